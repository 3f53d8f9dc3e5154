"""Inspections and findings: scope, the rectification deadline, correct → verify, pages and API."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError, StaleVersion
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.supervision import services
from yifa.supervision.models import Finding, FindingState, Inspection

pytestmark = pytest.mark.django_db


def _inspection(w, actor=None, **kw):
    data = dict(org=w.supervision_office, kind="special", title="2025年度市场监管领域专项监督检查",
                period_start=date(2025, 6, 1), period_end=date(2025, 6, 30), targets=[w.dept_a, w.town_a],
                team="监督员甲、监督员乙", checklist="执法主体资格\n执法程序\n文书送达", joint_bodies="县纪委监委")
    data.update(kw)
    return services.create_inspection(actor=actor or w.supervisor, **data)


def test_inspection_with_targets_and_joint_bodies(world):
    insp = _inspection(world)
    assert set(insp.targets.all()) == {world.dept_a, world.town_a}
    assert insp.checklist_items() == ["执法主体资格", "执法程序", "文书送达"]
    assert AuditEvent.objects.filter(action="supervision.inspection.create", object_id=str(insp.pk)).exists()


def test_inspection_validation_and_scope(world):
    with pytest.raises(DomainError, match="结束日期"):
        _inspection(world, period_end=date(2025, 5, 1))
    with pytest.raises(DomainError, match="检查名称"):
        _inspection(world, title="  ")
    with pytest.raises(PermissionDenied):
        _inspection(world, actor=world.officer_a, org=world.dept_a)
    # a township legal office inspects its own township only
    with pytest.raises(DomainError, match="不在您的监督范围"):
        _inspection(world, actor=world.town_a_legal, org=world.town_a, targets=[world.town_b])
    with pytest.raises(PermissionDenied):
        _inspection(world, actor=world.town_a_legal, org=world.town_b, targets=[])
    insp = _inspection(world, actor=world.town_a_legal, org=world.town_a, targets=[world.town_a])
    assert insp.org == world.town_a


def test_finding_deadline_correct_verify(world):
    insp = _inspection(world)
    f = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure", source="congress",
                               description="行政处罚决定书未载明救济途径", on=date(2025, 6, 10), inspection=insp)
    (d,) = deadlines_for_owner(f)
    assert d.rule.code == "supervision.rectification" and d.org == world.dept_a and f.due == d.due
    assert f.state == FindingState.OPEN
    with pytest.raises(DomainError, match="整改情况"):
        services.correct_finding(actor=world.dept_a_legal, finding=f, evidence="  ", on=date(2025, 6, 20))
    with pytest.raises(DomainError, match="只有已整改"):
        services.verify_finding(actor=world.supervisor, finding=f)
    with pytest.raises(StaleVersion):
        services.correct_finding(actor=world.dept_a_legal, finding=f, evidence="已补正", expected_version=99)
    f = services.correct_finding(actor=world.dept_a_legal, finding=f, evidence="已补正文书，附整改报告",
                                 on=date(2025, 6, 20))
    d.refresh_from_db()
    assert f.state == FindingState.CORRECTED and d.state == "met" and d.closed_on == date(2025, 6, 20)
    with pytest.raises(DomainError, match="不能再报告整改"):
        services.correct_finding(actor=world.dept_a_legal, finding=f, evidence="再次", on=date(2025, 6, 21))
    with pytest.raises(PermissionDenied):
        services.verify_finding(actor=world.officer_a, finding=f)
    f = services.verify_finding(actor=world.supervisor, finding=f, on=date(2025, 6, 25))
    assert f.state == FindingState.VERIFIED and f.verified_by == world.supervisor


def test_finding_validation(world):
    with pytest.raises(DomainError, match="监督来源"):
        services.raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure", source="x",
                               description="问题", on=date(2025, 6, 10))
    with pytest.raises(DomainError, match="问题描述"):
        services.raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure",
                               description="", on=date(2025, 6, 10))
    with pytest.raises(PermissionDenied):
        services.raise_finding(actor=world.dept_a_legal, org=world.dept_b, category="procedure",
                               description="问题", on=date(2025, 6, 10))


def test_deadline_in_year_without_holidays_is_provisional_not_refused(world):
    """2027 has no holiday notice in the seeded table: the finding is raised, its
    rectification period is provisional (LEGAL_RULES.md, *Years without a notice*)."""
    f = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure",
                               description="问题", on=date(2026, 12, 20))
    assert f.due_provisional and f.due.year == 2027
    assert Finding.objects.filter(description="问题").exists()


def test_supervised_unit_sees_own_findings_only(world, client_for):
    fa = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="publicity",
                                description="市场局未按时公示处罚决定", on=date(2025, 6, 10))
    fb = services.raise_finding(actor=world.supervisor, org=world.dept_b, category="publicity",
                                description="环境局未按时公示处罚决定", on=date(2025, 6, 10))
    ca = client_for(world.dept_a_legal)
    page = ca.get("/supervision/findings/").content.decode()
    assert "市场局未按时公示" in page and "环境局未按时公示" not in page
    assert ca.get(f"/supervision/findings/{fb.pk}/").status_code == 404
    assert ca.get(f"/api/v1/supervision/findings/{fb.pk}/").status_code == 404
    sup = client_for(world.supervisor)
    ids = {r["id"] for r in sup.get("/api/v1/supervision/findings/").json()["results"]}
    assert {fa.pk, fb.pk} <= ids
    home = sup.get("/supervision/").content.decode()
    assert "各单位问题整改率" in home and world.dept_a.name in home


def test_pages_create_inspection_finding_and_correct(world, client_for):
    c = client_for(world.supervisor)
    assert c.get("/supervision/inspections/new/").status_code == 200
    resp = c.post("/supervision/inspections/new/", {
        "org": world.supervision_office.pk, "kind": "routine", "title": "日常监督检查（南湖镇）",
        "period_start": "2025-07-01", "period_end": "2025-07-05", "targets": [world.town_a.pk],
        "checklist": "立案\n调查", "joint_bodies": "县纪委监委"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    insp = Inspection.objects.get(title="日常监督检查（南湖镇）")
    resp = c.post(f"/supervision/inspections/{insp.pk}/findings/new/", {
        "org": world.town_a.pk, "category": "procedure", "source": "administrative",
        "description": "南湖镇案件未经法制审核即作出决定", "on": "2025-07-03"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    f = Finding.objects.get(inspection=insp)
    assert "南湖镇案件未经法制审核" in c.get(f"/supervision/inspections/{insp.pk}/").content.decode()
    unit = client_for(world.town_a_legal)
    resp = unit.post(f"/supervision/findings/{f.pk}/op/correct/", {"evidence": "", "version": f.version})
    f.refresh_from_db()
    assert f.state == FindingState.OPEN
    unit.post(f"/supervision/findings/{f.pk}/op/correct/", {"evidence": "已补办法制审核", "on": "2025-07-10",
                                                            "version": f.version})
    f.refresh_from_db()
    assert f.state == FindingState.CORRECTED
    c.post(f"/supervision/findings/{f.pk}/op/verify/", {"version": f.version})
    f.refresh_from_db()
    assert f.state == FindingState.VERIFIED
    assert "已核验" in c.get(f"/supervision/findings/{f.pk}/").content.decode()


def test_api_create_correct_verify(world, client_for):
    c = client_for(world.supervisor)
    resp = c.post("/api/v1/supervision/inspections/", {
        "org": world.supervision_office.pk, "kind": "special", "title": "专项检查API", "period_start": "2025-08-01",
        "period_end": "2025-08-10", "targets": [world.dept_b.pk], "joint_bodies": "县纪委监委"},
        content_type="application/json")
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["id"] and body["org"] == world.supervision_office.pk and body["targets"] == [world.dept_b.pk]
    resp = c.post("/api/v1/supervision/findings/", {
        "org": world.dept_b.pk, "category": "document", "source": "judicial", "description": "文书不规范",
        "on": "2025-08-05", "inspection": body["id"]}, content_type="application/json")
    assert resp.status_code == 201, resp.json()
    fid = resp.json()["id"]
    unit = client_for(world.dept_b_legal)
    resp = unit.post(f"/api/v1/supervision/findings/{fid}/correct/", {"evidence": ""},
                     content_type="application/json")
    assert resp.status_code == 400
    resp = unit.post(f"/api/v1/supervision/findings/{fid}/correct/", {"evidence": "已重新制作文书",
                                                                       "on": "2025-08-20"},
                     content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "corrected"
    assert unit.post(f"/api/v1/supervision/findings/{fid}/verify/", {}, content_type="application/json"
                     ).status_code == 403
    resp = c.post(f"/api/v1/supervision/findings/{fid}/verify/", {}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "verified"
    # out of scope org → 400, another unit's finding → 404
    other = client_for(world.dept_a_legal)
    assert other.post("/api/v1/supervision/findings/", {
        "org": world.dept_b.pk, "category": "document", "description": "x"},
        content_type="application/json").status_code == 400
    assert other.post(f"/api/v1/supervision/findings/{fid}/correct/", {"evidence": "x"},
                      content_type="application/json").status_code == 404
    rates = c.get("/api/v1/supervision/rectification-rates/").json()
    row = next(r for r in rates if r["org"] == world.dept_b.pk)
    assert row["done"] >= 1
