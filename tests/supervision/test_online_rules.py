"""Online supervision rules: set-based clues, idempotent reruns, per-unit switches,
confirm into a finding, dismiss with a reason; pages and API."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from yifa.core import sweep
from yifa.core.errors import DomainError
from yifa.deadlines import services as deadline_services
from yifa.enforcement.models import Case, EnforcementItem, Officer
from yifa.supervision import services
from yifa.supervision.models import Clue, ClueState, FindingState
from yifa.supervision.rules import RULES

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


@pytest.fixture
def cases(world):
    item = EnforcementItem.objects.create(org=world.dept_a, code="SUP-T-1", name="监督测试事项", category="penalty",
                                          legal_basis="《测试条例》")
    o1 = Officer.objects.create(org=world.dept_a, name="甲执法员", certificate_no="SUP-1", valid_from=date(2024, 1, 1),
                                valid_to=date(2030, 12, 31))
    o2 = Officer.objects.create(org=world.dept_a, name="乙执法员", certificate_no="SUP-2", valid_from=date(2024, 1, 1),
                                valid_to=date(2025, 1, 31))  # expired before the decisions below

    def make(no, **kw):
        data = dict(org=world.dept_a, case_no=no, title=f"{no}案由", item=item, party_name="某公司",
                    party_kind="organisation", filed_on=date(2026, 3, 1), source_case_no=no)
        data.update(kw)
        c = Case.objects.create(**data)
        return c

    ok = make("OK-1", decided_on=date(2026, 5, 1), sanction="fine", amount=Decimal("60000"),
              legal_review_result="passed", state="decided")
    ok.officers.set([o1, o2])
    o3 = Officer.objects.create(org=world.dept_a, name="丙执法员", certificate_no="SUP-3", valid_from=date(2024, 1, 1),
                                valid_to=date(2030, 12, 31))
    ok.officers.set([o1, o3])
    one_officer = make("ONE-1", decided_on=date(2026, 5, 1), sanction="warning", state="decided")
    one_officer.officers.set([o1, o2])  # o2 expired on the decision day
    no_review = make("NOREV-1", decided_on=date(2026, 5, 1), sanction="fine", amount=Decimal("80000"),
                     state="decided")
    no_review.officers.set([o1, o3])
    overdue = make("LATE-1", filed_on=date(2026, 6, 1))
    deadline_services.start_deadline(actor=None, owner=overdue, rule_code="penalty.decision", start=date(2026, 6, 1),
                                     org=world.dept_a)
    unpublished = make("PUB-1", decided_on=date(2026, 9, 1), sanction="warning", state="decided")
    unpublished.officers.set([o1, o3])
    deadline_services.start_deadline(actor=None, owner=unpublished, rule_code="penalty.publicity",
                                     start=date(2026, 9, 1), org=world.dept_a)
    return {"ok": ok, "one": one_officer, "norev": no_review, "late": overdue, "pub": unpublished}


def _clue_cases(code):
    return set(Clue.objects.filter(rule_code=code).values_list("case__case_no", flat=True))


def test_rules_raise_clues_idempotently(world, cases):
    counts = services.run_rules(today=TODAY)
    assert set(counts) == set(RULES)
    assert _clue_cases("officers.two_certified") >= {"ONE-1"} and "OK-1" not in _clue_cases("officers.two_certified")
    assert "NOREV-1" in _clue_cases("review.missing") and "OK-1" not in _clue_cases("review.missing")
    assert "LATE-1" in _clue_cases("deadline.overdue") and "OK-1" not in _clue_cases("deadline.overdue")
    assert "PUB-1" in _clue_cases("publicity.late") and "LATE-1" not in _clue_cases("publicity.late")
    clue = Clue.objects.get(rule_code="review.missing", case=cases["norev"])
    assert clue.org == world.dept_a and clue.raised_on == TODAY and clue.state == ClueState.OPEN
    n = Clue.objects.count()
    again = services.run_rules(today=TODAY)
    assert sum(again.values()) == 0 and Clue.objects.count() == n
    assert sweep.run_all(TODAY)["supervision"] == {"clues": 0}


def test_rule_switched_off_for_unit(world, cases):
    services.set_rule_switch(actor=world.supervisor, org=world.dept_a, rule_code="review.missing", enabled=False)
    services.run_rules(today=TODAY)
    assert not _clue_cases("review.missing") & {"NOREV-1"}
    services.set_rule_switch(actor=world.supervisor, org=world.dept_a, rule_code="review.missing", enabled=True)
    services.run_rules(today=TODAY)
    assert "NOREV-1" in _clue_cases("review.missing")
    with pytest.raises(DomainError, match="未知"):
        services.set_rule_switch(actor=world.supervisor, org=world.dept_a, rule_code="nope", enabled=False)
    with pytest.raises(PermissionDenied):
        services.set_rule_switch(actor=world.dept_b_legal, org=world.dept_a, rule_code="review.missing",
                                 enabled=False)


def test_supervisor_run_is_scoped(world, cases):
    counts = services.run_rules(actor=world.dept_b_legal, today=TODAY)
    assert sum(counts.values()) == 0  # dept_b's internal unit sees nothing of dept_a's cases
    with pytest.raises(PermissionDenied):
        services.run_rules(actor=world.officer_a, today=TODAY)
    assert services.run_rules(actor=world.dept_a_legal, today=TODAY)["review.missing"] >= 1


def test_confirm_and_dismiss(world, cases):
    services.run_rules(today=TODAY)
    clue = Clue.objects.get(rule_code="review.missing", case=cases["norev"])
    finding = services.confirm_clue(actor=world.supervisor, clue=clue, category="procedure", on=date(2026, 11, 2))
    clue.refresh_from_db()
    assert clue.state == ClueState.CONFIRMED and clue.finding == finding
    assert finding.org == world.dept_a and finding.state == FindingState.OPEN and "NOREV-1" in finding.description
    assert finding.due is not None
    with pytest.raises(DomainError, match="不能再处理"):
        services.dismiss_clue(actor=world.supervisor, clue=clue, reason="x")
    other = Clue.objects.get(rule_code="officers.two_certified", case=cases["one"])
    with pytest.raises(DomainError, match="排除理由"):
        services.dismiss_clue(actor=world.supervisor, clue=other, reason=" ")
    with pytest.raises(PermissionDenied):
        services.dismiss_clue(actor=world.officer_a, clue=other, reason="误报")
    other = services.dismiss_clue(actor=world.supervisor, clue=other, reason="执法证已续期，系统数据滞后")
    assert other.state == ClueState.DISMISSED and other.dismiss_reason.startswith("执法证")


def test_pages_and_api(world, cases, client_for):
    c = client_for(world.supervisor)
    page = c.get("/supervision/rules/").content.decode()
    assert "未经法制审核作出决定" in page and "《行政处罚法》第五十八条" in page
    assert c.post("/supervision/rules/", {"run": "1", "rule": ["review.missing"]}).status_code == 302
    clue = Clue.objects.get(rule_code="review.missing", case=cases["norev"])
    assert "NOREV-1" in c.get("/supervision/clues/").content.decode()
    assert "NOREV-1" in c.get(f"/supervision/clues/{clue.pk}/").content.decode()
    resp = c.post(f"/supervision/clues/{clue.pk}/op/confirm/", {"category": "procedure", "version": clue.version})
    assert resp.status_code == 302
    clue.refresh_from_db()
    assert clue.state == ClueState.CONFIRMED
    # the unit switches are saved from the page
    c.post("/supervision/rules/", {"org": world.dept_b.pk, "rule_code": "publicity.late", "enabled": "0"})
    assert world.dept_b.supervision_rule_switches.get(rule_code="publicity.late").enabled is False
    # API: rules, run, clues, dismiss, switches
    assert {r["code"] for r in c.get("/api/v1/supervision/rules/").json()} == set(RULES)
    resp = c.post("/api/v1/supervision/rules/run/", {"rule_codes": []}, content_type="application/json")
    assert resp.status_code == 200 and "deadline.overdue" in resp.json()
    assert c.post("/api/v1/supervision/rules/run/", {"rule_codes": ["x"]},
                  content_type="application/json").status_code == 400
    rows = c.get("/api/v1/supervision/clues/").json()["results"]
    target = next(r for r in rows if r["state"] == "open")
    assert c.post(f"/api/v1/supervision/clues/{target['id']}/dismiss/", {},
                  content_type="application/json").status_code == 400
    resp = c.post(f"/api/v1/supervision/clues/{target['id']}/dismiss/", {"reason": "已核实无误"},
                  content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "dismissed"
    other = next(r for r in rows if r["state"] == "open" and r["id"] != target["id"])
    resp = c.post(f"/api/v1/supervision/clues/{other['id']}/confirm/", {"category": "substance"},
                  content_type="application/json")
    assert resp.status_code == 201 and resp.json()["org"] == world.dept_a.pk
    resp = c.post("/api/v1/supervision/rule-switches/", {"org": world.dept_a.pk, "rule_code": "deadline.overdue",
                                                         "enabled": False}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["enabled"] is False
    # another department's officer sees none of dept_a's clues
    b = client_for(world.dept_b_legal)
    assert b.get(f"/api/v1/supervision/clues/{clue.pk}/").status_code == 404
    assert b.get(f"/supervision/clues/{clue.pk}/").status_code == 404
