"""The case-process online rules (issue 18): each raises a clue on the records that break
it and none on the records that keep it; reruns add nothing; thresholds come from the
rule's parameters (RuleParam), not from the query."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from yifa.accountability.models import Decision, Method, Person
from yifa.deadlines.models import DeadlineState, HolidayDay, TrackedDeadline
from yifa.enforcement.models import Case, EnforcementItem, Officer
from yifa.supervision import services
from yifa.supervision.models import Clue, RuleParam
from yifa.supervision.rules import CASE_OWNER, RULES

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)

PROCESS_RULES = ("decision.before_review", "hearing.decided_before", "hearing.not_held", "penalty.limitation",
                 "fines.no_court_application", "coercion.overdue", "case.closed_same_day", "decision.rest_day",
                 "inspections.frequent", "officers.restricted", "permit.decided_late", "permit.materials_late",
                 "publicity.withdraw_late", "fines.surcharge_missing")


@pytest.fixture
def make(world):
    item = EnforcementItem.objects.create(org=world.dept_a, code="SUP-P-1", name="程序规则测试事项",
                                          category="penalty", legal_basis="《测试条例》")
    n = [0]

    def make(org=None, officers=(), **kw):
        n[0] += 1
        no = kw.pop("no", f"P-{n[0]}")
        data = dict(org=org or world.dept_a, case_no=no, title=f"{no}案由", item=item, party_name=f"当事人{no}",
                    party_kind="organisation", filed_on=date(2026, 3, 2), source_case_no=no, state="filed")
        data.update(kw)
        c = Case.objects.create(**data)
        if officers:
            c.officers.set(officers)
        return c

    return make


def _deadline(case, code, *, due, state=DeadlineState.MISSED, start=None):
    from yifa.deadlines.models import DeadlineRule

    rule = DeadlineRule.objects.get(code=code)
    return TrackedDeadline.objects.create(owner_type=CASE_OWNER, owner_id=str(case.pk), org=case.org, rule=rule,
                                          title=case.title, start=start or due - timedelta(days=10), n=rule.n,
                                          unit=rule.unit, due=due, yellow_from=due - timedelta(days=2),
                                          citation=rule.basis, state=state)


def _hits(code, today=TODAY):
    return set(RULES[code].cases(today).values_list("case_no", flat=True))


def _run(code, today=TODAY):
    services.run_rules(today=today, rule_codes=[code])
    return set(Clue.objects.filter(rule_code=code).values_list("case__case_no", flat=True))


def test_every_process_rule_is_described():
    for code in PROCESS_RULES:
        r = RULES[code]
        assert r.name and r.description and r.citation and r.rationale
        assert r.severity in ("high", "medium", "low")
    assert len(RULES) >= 22


def test_decision_before_review(make):
    make(no="BAD", decided_on=date(2026, 5, 1), legal_review_on=date(2026, 5, 3), legal_review_result="passed")
    make(no="OK", decided_on=date(2026, 5, 3), legal_review_on=date(2026, 5, 3), legal_review_result="passed")
    make(no="NOREVIEW", decided_on=date(2026, 5, 3))
    assert _run("decision.before_review") == {"BAD"}
    assert services.run_rules(today=TODAY, rule_codes=["decision.before_review"]) == {"decision.before_review": 0}


def test_hearing_rules(make):
    make(no="EARLY", hearing_requested=True, hearing_held_on=date(2026, 5, 10), decided_on=date(2026, 5, 8))
    make(no="AFTER", hearing_requested=True, hearing_held_on=date(2026, 5, 10), decided_on=date(2026, 5, 12))
    make(no="NOHEAR", hearing_requested=True, decided_on=date(2026, 5, 12))
    make(no="WAITING", hearing_requested=True)  # requested, not decided yet: nothing wrong so far
    make(no="NOREQ", decided_on=date(2026, 5, 12))
    assert _run("hearing.decided_before") == {"EARLY"}
    assert _run("hearing.not_held") == {"NOHEAR"}


def test_limitation_two_and_five_years(make):
    make(no="LATE", act_on=date(2024, 3, 1), discovered_on=date(2026, 3, 2))
    make(no="LASTDAY", act_on=date(2024, 3, 2), discovered_on=date(2026, 3, 2))
    make(no="FILEDLATE", act_on=date(2024, 1, 31), filed_on=date(2026, 2, 1))  # no discovery date: filing counts
    make(no="FIVE", act_on=date(2024, 3, 1), discovered_on=date(2026, 3, 2), limitation_five_years=True)
    make(no="FIVELATE", act_on=date(2021, 1, 5), discovered_on=date(2026, 1, 6), filed_on=date(2026, 1, 6),
         limitation_five_years=True)
    make(no="LEAP", act_on=date(2024, 2, 29), discovered_on=date(2026, 2, 28))  # the period ends on 28 February
    make(no="LEAPLATE", act_on=date(2024, 2, 29), discovered_on=date(2026, 3, 1))
    make(no="NOACT", filed_on=date(2026, 3, 2))
    make(no="PERMIT", case_type="permit", act_on=date(2020, 1, 1), state="applied")
    assert _run("penalty.limitation") == {"LATE", "FILEDLATE", "FIVELATE", "LEAPLATE"}


def test_fine_not_enforced_follows_its_params(make):
    served = date(2026, 1, 20)  # + 6 + 3 months = 20 October: past by 2 November
    make(no="UNPAID", sanction="fine", amount=Decimal("3000"), state="served", served_on=served)
    make(no="RECENT", sanction="fine", amount=Decimal("3000"), state="served", served_on=date(2026, 3, 1))
    make(no="PAID", sanction="fine", amount=Decimal("3000"), state="executing", served_on=served,
         paid_on=date(2026, 2, 1))
    make(no="EXECUTING", sanction="fine", amount=Decimal("3000"), state="executing", served_on=served)
    make(no="ANNULLED", sanction="fine", amount=Decimal("3000"), state="served", served_on=served,
         decision_change="annulled")
    assert _hits("fines.no_court_application") == {"UNPAID"}
    RuleParam.objects.create(rule_code="fines.no_court_application", key="apply_months", value="1")
    assert _hits("fines.no_court_application") == {"UNPAID", "RECENT"}
    assert _run("fines.no_court_application") == {"UNPAID", "RECENT"}


def test_coercion_overdue(make):
    late = make(no="SEIZED", case_type="coercion", state="seized")
    _deadline(late, "coercion.seizure", due=date(2026, 10, 20), state=DeadlineState.OPEN)
    released_late = make(no="RELEASED", case_type="coercion", state="released")
    _deadline(released_late, "coercion.seizure", due=date(2026, 6, 1), state=DeadlineState.MISSED)
    frozen = make(no="FROZEN", case_type="coercion", state="seized")
    _deadline(frozen, "coercion.freezing", due=date(2026, 10, 30), state=DeadlineState.EXTENDED)
    running = make(no="RUNNING", case_type="coercion", state="seized")
    _deadline(running, "coercion.seizure", due=date(2026, 11, 20), state=DeadlineState.OPEN)
    in_time = make(no="INTIME", case_type="coercion", state="released")
    _deadline(in_time, "coercion.seizure", due=date(2026, 6, 1), state=DeadlineState.MET)
    assert _run("coercion.overdue") == {"SEIZED", "RELEASED", "FROZEN"}


def test_closed_same_day(make):
    make(no="SAMEDAY", filed_on=date(2026, 5, 6), decided_on=date(2026, 5, 6), closed_on=date(2026, 5, 6),
         state="closed")
    make(no="SUMMARY", procedure="summary", filed_on=date(2026, 5, 6), decided_on=date(2026, 5, 6),
         closed_on=date(2026, 5, 6), state="closed")
    make(no="DISMISSED", filed_on=date(2026, 5, 6), closed_on=date(2026, 5, 6), state="closed")
    make(no="NORMAL", filed_on=date(2026, 5, 6), decided_on=date(2026, 6, 6), closed_on=date(2026, 6, 20),
         state="closed")
    assert _run("case.closed_same_day") == {"SAMEDAY"}


def test_decision_on_rest_day(make):
    HolidayDay.objects.filter(date__in=(date(2026, 3, 7), date(2026, 3, 14))).delete()
    HolidayDay.objects.update_or_create(date=date(2026, 3, 14), defaults={"kind": "makeup_workday", "year": 2026})
    HolidayDay.objects.update_or_create(date=date(2026, 10, 5), defaults={"kind": "holiday", "year": 2026})
    make(no="SATURDAY", decided_on=date(2026, 3, 7))
    make(no="MAKEUP", decided_on=date(2026, 3, 14))  # a Saturday that is a make-up working day
    make(no="HOLIDAY", decided_on=date(2026, 10, 5))  # a Monday in the National Day holiday
    make(no="REASON", decided_on=date(2026, 10, 5), rest_day_reason="现场存在重大安全隐患，须当即作出责令停产停业决定。")
    make(no="BLANKREASON", decided_on=date(2026, 3, 7), rest_day_reason="  ")
    make(no="WEEKDAY", decided_on=date(2026, 3, 9))
    make(no="ONSITE", procedure="summary", decided_on=date(2026, 3, 7))
    assert _run("decision.rest_day") == {"SATURDAY", "HOLIDAY", "BLANKREASON"}


def test_frequent_inspections_window_and_params(make, world):
    party = dict(party_name="某食品公司", party_id_no="91370000MA0000001X", case_type="inspection",
                 state="closed")
    for i, day in enumerate((date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1))):
        make(no=f"INS-{i}", filed_on=day, **party)
    make(no="INS-OLD", filed_on=date(2025, 9, 1), **party)  # outside 180 days
    make(no="OTHERUNIT", org=world.dept_b, filed_on=date(2026, 9, 2), **party)
    for i in range(3):  # three visits: not more than three
        make(no=f"THREE-{i}", filed_on=date(2026, 8, 1) + timedelta(days=i), party_name="某餐馆",
             case_type="inspection", state="closed")
    assert _hits("inspections.frequent") == {"INS-0", "INS-1", "INS-2", "INS-3"}
    RuleParam.objects.create(rule_code="inspections.frequent", key="count", value="2")
    assert _hits("inspections.frequent") == {"INS-0", "INS-1", "INS-2", "INS-3", "THREE-0", "THREE-1", "THREE-2"}
    RuleParam.objects.create(rule_code="inspections.frequent", key="window_days", value="450")
    assert "INS-OLD" in _hits("inspections.frequent")
    RuleParam.objects.filter(rule_code="inspections.frequent").delete()
    assert _run("inspections.frequent") == {"INS-0", "INS-1", "INS-2", "INS-3"}
    assert services.run_rules(today=TODAY, rule_codes=["inspections.frequent"]) == {"inspections.frequent": 0}


def test_restricted_officer(make, world):
    def officer(no, **kw):
        return Officer.objects.create(org=world.dept_a, name=f"执法员{no}", certificate_no=f"RST-{no}",
                                      valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31), **kw)

    punished, clean, suspended = officer(1), officer(2), officer(3, status="suspended")
    via_user = officer(4, user=world.officer_a)
    method = Method.objects.filter(restricts_promotion=True).first()
    Decision.objects.create(org=world.dept_a, person=Person.objects.create(org=world.dept_a, name="执法员1",
                                                                          officer=punished),
                            method=method, authority="县监委", decided_on=date(2026, 4, 1), doc_number="清监〔2026〕9号",
                            impact_from=date(2026, 4, 1), impact_until=date(2026, 9, 30))
    Decision.objects.create(org=world.dept_a, person=Person.objects.create(org=world.dept_a, name="市场执法员",
                                                                          user=world.officer_a),
                            method=method, authority="县监委", decided_on=date(2026, 4, 1), doc_number="清监〔2026〕10号",
                            impact_from=date(2026, 4, 1), impact_until=date(2026, 4, 30))
    make(no="DURING", officers=(punished, clean), filed_on=date(2026, 3, 1), decided_on=date(2026, 5, 1),
         is_open=False)
    make(no="BEFORE", officers=(punished, clean), filed_on=date(2026, 1, 1), decided_on=date(2026, 3, 1),
         is_open=False)
    make(no="AFTER", officers=(punished, clean), filed_on=date(2026, 10, 1), is_open=True)
    make(no="USER", officers=(via_user, clean), filed_on=date(2026, 4, 10), is_open=False)
    make(no="SUSPENDED", officers=(suspended, clean), filed_on=date(2026, 10, 1), is_open=True)
    make(no="SUSPENDEDCLOSED", officers=(suspended, clean), filed_on=date(2025, 10, 1), is_open=False)
    make(no="CLEAN", officers=(clean,), filed_on=date(2026, 5, 1), is_open=True)
    assert _run("officers.restricted") == {"DURING", "USER", "SUSPENDED"}
    assert Clue.objects.filter(rule_code="officers.restricted").count() == 3


def test_permit_time_limits(make):
    late = make(no="LATEDECISION", case_type="permit", state="approved", decided_on=date(2026, 5, 1))
    _deadline(late, "permit.decision", due=date(2026, 4, 20))
    joint = make(no="LATEJOINT", case_type="permit", state="approved", decided_on=date(2026, 5, 1))
    _deadline(joint, "permit.joint_decision", due=date(2026, 4, 20))
    ok = make(no="INTIME", case_type="permit", state="approved", decided_on=date(2026, 4, 10))
    _deadline(ok, "permit.decision", due=date(2026, 4, 20), state=DeadlineState.MET)
    notice = make(no="LATENOTICE", case_type="permit", state="pending_materials")
    _deadline(notice, "permit.materials_notice", due=date(2026, 3, 9))
    _deadline(ok, "permit.materials_notice", due=date(2026, 3, 9), state=DeadlineState.MET)
    assert _run("permit.decided_late") == {"LATEDECISION", "LATEJOINT"}
    assert _run("permit.materials_late") == {"LATENOTICE"}


def test_withdrawal_late(make):
    late = make(no="STILLUP", decision_change="annulled", publicity_state="withdrawing")
    _deadline(late, "penalty.publicity_withdraw", due=date(2026, 10, 28), state=DeadlineState.OPEN)
    done_late = make(no="WITHDRAWNLATE", decision_change="changed", publicity_state="withdrawn")
    _deadline(done_late, "penalty.publicity_withdraw", due=date(2026, 6, 1), state=DeadlineState.MISSED)
    waiting = make(no="WAITING", decision_change="annulled", publicity_state="withdrawing")
    _deadline(waiting, "penalty.publicity_withdraw", due=date(2026, 11, 4), state=DeadlineState.OPEN)
    other = make(no="PUBLICITYLATE", publicity_state="pending")
    _deadline(other, "penalty.publicity", due=date(2026, 10, 1), state=DeadlineState.OPEN)
    assert _run("publicity.withdraw_late") == {"STILLUP", "WITHDRAWNLATE"}


def test_process_rules_switch_per_unit(make, world):
    make(no="BAD", decided_on=date(2026, 5, 1), legal_review_on=date(2026, 5, 3))
    services.set_rule_switch(actor=world.supervisor, org=world.dept_a, rule_code="decision.before_review",
                             enabled=False)
    assert _run("decision.before_review") == set()


def test_surcharge_not_computed(make):
    fine = {"sanction": "fine", "amount": Decimal("3000")}
    make(no="NODEADLINE", state="executing", served_on=date(2026, 9, 1), **fine)
    tracked = make(no="TRACKED", state="executing", served_on=date(2026, 9, 1), **fine)
    _deadline(tracked, "penalty.payment", due=date(2026, 9, 16), state=DeadlineState.OPEN)
    make(no="INPERIOD", state="served", served_on=date(2026, 10, 25), **fine)  # 15 days not over
    make(no="PAIDFINE", state="executing", served_on=date(2026, 9, 1), paid_on=date(2026, 9, 10), **fine)
    make(no="CLOSEDFINE", state="closed", is_open=False, served_on=date(2026, 9, 1), **fine)
    make(no="WARNING", state="served", served_on=date(2026, 9, 1), sanction="warning")
    assert _run("fines.surcharge_missing") == {"NODEADLINE"}
    RuleParam.objects.create(rule_code="fines.surcharge_missing", key="payment_days", value="5")
    assert "INPERIOD" in _hits("fines.surcharge_missing")


def test_all_process_rules_rerun_adds_nothing(make, world):
    make(no="A", decided_on=date(2026, 5, 1), legal_review_on=date(2026, 5, 3))
    make(no="B", hearing_requested=True, decided_on=date(2026, 5, 12))
    make(no="C", act_on=date(2024, 1, 1), discovered_on=date(2026, 3, 2))
    make(no="D", filed_on=date(2026, 5, 6), decided_on=date(2026, 5, 6), closed_on=date(2026, 5, 6), state="closed")
    seized = make(no="E", case_type="coercion", state="seized")
    _deadline(seized, "coercion.seizure", due=date(2026, 10, 20), state=DeadlineState.OPEN)
    first = services.run_rules(today=TODAY, rule_codes=list(PROCESS_RULES))
    assert sum(first.values()) >= 5
    assert services.run_rules(today=TODAY, rule_codes=list(PROCESS_RULES)) == dict.fromkeys(PROCESS_RULES, 0)
    # a supervisor of another department sees none of them; the unit's own one all
    assert sum(services.run_rules(actor=world.dept_b_legal, today=TODAY, rule_codes=list(PROCESS_RULES)).values()) == 0


def test_process_rules_in_the_incremental_sweep(make):
    from yifa.core import sweep

    make(no="SW-EARLY", decided_on=date(2026, 5, 1), legal_review_on=date(2026, 5, 3))
    sweep.run_all(TODAY)
    assert _run("decision.before_review") == {"SW-EARLY"}
    # a case saved after the pass is found by the next one, which looks only at changed cases
    make(no="SW-LATER", decided_on=date(2026, 6, 1), legal_review_on=date(2026, 6, 2))
    assert sweep.run_all(TODAY)["supervision"]["clues"] >= 1
    assert {"SW-EARLY", "SW-LATER"} <= set(Clue.objects.filter(rule_code="decision.before_review")
                                            .values_list("case__case_no", flat=True))
    assert sweep.run_all(TODAY)["supervision"] == {"clues": 0}
