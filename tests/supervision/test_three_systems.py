"""三项制度 checks: rates per unit and period computed from case data, drill-down to the
failing cases (links to the enforcement case), scoped; page and API."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from yifa.enforcement.models import Case, EnforcementItem, Officer, ProcessRecord
from yifa.supervision.checks import failing_cases, three_systems

pytestmark = pytest.mark.django_db
START, END, TODAY = date(2026, 1, 1), date(2026, 10, 31), date(2026, 11, 2)


@pytest.fixture
def cases(world):
    item = EnforcementItem.objects.create(org=world.dept_a, code="TS-1", name="三项制度测试事项", category="penalty",
                                          legal_basis="《测试条例》")
    officers = [Officer.objects.create(org=world.dept_a, name=n, certificate_no=f"TS-{n}", valid_from=date(2024, 1, 1),
                                       valid_to=date(2030, 12, 31)) for n in ("甲", "乙")]

    def make(no, org=None, records=("document", "photo"), **kw):
        data = dict(org=org or world.dept_a, case_no=no, title=f"{no}案由", item=item, party_name="某公司",
                    party_kind="organisation", filed_on=date(2026, 3, 1), source_case_no=no, state="decided",
                    decided_on=date(2026, 5, 6), sanction="warning", publicity_state="published",
                    published_on=date(2026, 5, 8))
        data.update(kw)
        c = Case.objects.create(**data)
        c.officers.set(officers)
        for kind in records:
            ProcessRecord.objects.create(case=c, org=c.org, step="investigating", kind=kind,
                                         file=ContentFile(b"%PDF", name="r.pdf"), original_name="r.pdf",
                                         content_type="application/pdf", size=4, sm3="0" * 64)
        return c

    make("TS-OK")
    make("TS-LATEPUB", published_on=date(2026, 6, 30))               # 7 working days long past
    make("TS-UNPUB", publicity_state="pending", published_on=None)   # never published, past due
    make("TS-NORECORD", records=())
    make("TS-NOREVIEW", sanction="fine", amount=Decimal("80000"))
    make("TS-REVIEWED", sanction="fine", amount=Decimal("80000"), legal_review_result="passed")
    make("TS-OLD", decided_on=date(2025, 5, 6), published_on=date(2025, 7, 1), records=())  # outside the period
    make("TS-B", org=world.dept_b, records=(), published_on=date(2026, 7, 1))
    return world


def _nos(qs):
    return set(qs.values_list("case_no", flat=True))


def test_rates_and_failing_cases(cases):
    w = cases
    data = three_systems(w.supervisor, START, END, today=TODAY)
    rows = {r["org_name"]: r for r in data["rows"]}
    a = rows[w.dept_a.name]
    assert a["publicity"] == {"total": 6, "ok": 4, "fail": 2, "rate": 66.7}
    assert a["records"]["total"] == 6 and a["records"]["fail"] == 1
    assert a["review"] == {"total": 2, "ok": 1, "fail": 1, "rate": 50.0}
    assert data["totals"]["publicity"]["total"] == 7 and data["totals"]["records"]["fail"] == 2
    assert _nos(failing_cases(w.supervisor, "publicity", START, END, today=TODAY)) == {"TS-LATEPUB", "TS-UNPUB",
                                                                                       "TS-B"}
    assert _nos(failing_cases(w.supervisor, "records", START, END)) == {"TS-NORECORD", "TS-B"}
    assert _nos(failing_cases(w.supervisor, "review", START, END)) == {"TS-NOREVIEW"}
    # per unit
    assert _nos(failing_cases(w.supervisor, "records", START, END, org=w.dept_a)) == {"TS-NORECORD"}


def test_scoped_to_the_users_units(cases):
    w = cases
    data = three_systems(w.dept_b_legal, START, END, today=TODAY)
    assert [r["org_name"] for r in data["rows"]] == [w.dept_b.name]
    assert _nos(failing_cases(w.dept_b_legal, "records", START, END)) == {"TS-B"}
    # the township has no case to judge; its enforcement items make it owe 事前公开 (none recorded)
    town = three_systems(w.town_a_legal, START, END, today=TODAY)["rows"]
    assert [(c["code"], c["total"], c["ok"]) for r in town for c in r["cells"] if c["total"]] == [("disclosure", 1, 0)]


def test_page_and_api(cases, client_for, django_assert_max_num_queries):
    w = cases
    c = client_for(w.supervisor)
    q = "start=2026-01-01&end=2026-10-31"
    page = c.get(f"/supervision/three-systems/?{q}").content.decode()
    assert w.dept_a.name in page and "全过程记录完整率" in page
    assert f"/supervision/three-systems/records/?start=2026-01-01&end=2026-10-31&org={w.dept_a.pk}" in page
    with django_assert_max_num_queries(12):
        failing = c.get(f"/supervision/three-systems/records/?{q}&org={w.dept_a.pk}").content.decode()
    assert "TS-NORECORD" in failing and "TS-B" not in failing
    case = Case.objects.get(case_no="TS-NORECORD")
    assert f"/enforcement/cases/{case.pk}/" in failing
    assert c.get("/supervision/three-systems/nope/").status_code == 404
    bad = c.get("/supervision/three-systems/?start=2026-13-01").content.decode()
    assert "日期格式不正确" in bad
    # API
    data = c.get(f"/api/v1/supervision/three-systems/?{q}").json()
    assert data["totals"]["review"]["fail"] == 1
    rows = c.get(f"/api/v1/supervision/three-systems/failing/?check=review&{q}").json()
    assert [r["case_no"] for r in rows["results"]] == ["TS-NOREVIEW"]
    assert rows["results"][0]["url"] == f"/enforcement/cases/{Case.objects.get(case_no='TS-NOREVIEW').pk}/"
    r = c.get("/api/v1/supervision/three-systems/?start=x")
    assert r.status_code == 400 and "日期格式不正确" in r.json()["message"]
    assert c.get("/api/v1/supervision/three-systems/?start=2026-05-01&end=2026-01-01").status_code == 400
    assert c.get("/api/v1/supervision/three-systems/failing/?check=nope").status_code == 400
    # a department's unit cannot drill into another department
    b = client_for(w.dept_b_legal)
    assert b.get(f"/supervision/three-systems/records/?org={w.dept_a.pk}").status_code == 404
    assert b.get(f"/api/v1/supervision/three-systems/?org={w.dept_a.pk}").status_code == 404
    assert "TS-NORECORD" not in b.get(f"/api/v1/supervision/three-systems/failing/?check=records&{q}").content.decode()
