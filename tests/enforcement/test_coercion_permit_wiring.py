"""Issue 16 §1 time limits wired into the case workflows: freezing (行政强制法 art. 32),
催告 and the application to court (arts. 53, 54) on coercion cases, jointly handled permits
(行政许可法 art. 42 ¶2). Each starts its tracked deadline when the act is recorded; dates
cross the 2026 National Day holiday (10-01…10-07; 10-10 a make-up working day)."""
from datetime import date

import pytest

from tests.clock import frozen
from tests.enforcement.test_cases import file, move
from yifa.core.workflows import GuardFailed
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.enforcement import services
from yifa.enforcement.models import Case

pytestmark = pytest.mark.django_db


def _coercion(world, lib, no):
    return file(world, lib, case_type="coercion", title="冻结存款", sanction="", amount=None, circumstance="",
                filed_on=date(2026, 9, 1), source_case_no=no)


def test_freezing_starts_thirty_days_not_rolled_and_extends_by_thirty(world, lib):
    case = _coercion(world, lib, "F1")
    with frozen(date(2026, 9, 10)):
        move(case, "freeze", world.officer_a, date(2026, 9, 5))
    d = deadlines_for_owner(case).get(rule__code="coercion.freezing")
    assert d.due == date(2026, 10, 5)  # 30 CD, inside 国庆: a maximum duration is not rolled forward
    case.refresh_from_db()
    assert case.state == "frozen" and case.due == date(2026, 10, 5)
    with frozen(date(2026, 9, 30)):
        services.extend_case_deadline(actor=world.officer_a, case=case, rule_code="coercion.freezing",
                                      approver=world.dept_a_legal, reason="情况复杂", on=date(2026, 9, 30))
        d.refresh_from_db()
        assert d.due == date(2026, 11, 4)
        move(case, "unfreeze", world.officer_a, date(2026, 9, 30))
    d.refresh_from_db()
    assert d.state == "met" and Case.objects.get(pk=case.pk).state == "released"


def test_reminder_starts_the_court_application_period_and_the_wait_is_enforced(world, lib, client_for):
    case = _coercion(world, lib, "R1")
    with frozen(date(2026, 9, 24)):
        with pytest.raises(GuardFailed, match="期限届满日"):
            move(case, "remind", world.officer_a, date(2026, 9, 24))
        move(case, "remind", world.officer_a, date(2026, 9, 24), payload={"remedy_end_on": date(2026, 7, 1)})
    case.refresh_from_db()
    assert (case.state, case.reminder_served_on, case.remedy_end_on) == ("reminded", date(2026, 9, 24),
                                                                         date(2026, 7, 1))
    d = deadlines_for_owner(case).get(rule__code="coercion.court_application")
    assert d.due == date(2026, 10, 8)  # three months from 07-01 → 10-01 (国庆), rolled to 10-08
    # 催告书 served 09-24: ten working days (中秋 09-25…27 and 国庆 skipped) end on 10-15; "送达十日后"
    # (art. 54) means the unit may apply from the next day, 10-16
    with frozen(date(2026, 10, 15)):
        page = client_for(world.officer_a).get(f"/enforcement/cases/{case.pk}/").content.decode()
        assert 'id="court-application"' in page and "十个工作日至 2026-10-15 届满，届满后方可申请" in page
        with pytest.raises(GuardFailed, match="最早 2026-10-16"):
            move(case, "apply_court", world.officer_a, date(2026, 10, 15))
    with frozen(date(2026, 10, 16)):
        move(case, "apply_court", world.officer_a, date(2026, 10, 16))
    d.refresh_from_db()
    case.refresh_from_db()
    assert case.state == "court_applied" and case.court_applied_on == date(2026, 10, 16)
    assert d.state == "missed"  # applied after the three months ran out (10-08)


def test_reminder_refuses_remedy_periods_not_yet_over(world, lib):
    case = _coercion(world, lib, "R2")
    with frozen(date(2026, 9, 24)):
        with pytest.raises(GuardFailed, match="不能晚于今天"):
            move(case, "remind", world.officer_a, date(2026, 9, 24), payload={"remedy_end_on": date(2026, 9, 30)})


def test_remind_through_the_api(world, lib, client_for):
    case = _coercion(world, lib, "R3")
    c = client_for(world.officer_a)
    url = f"/api/v1/enforcement/cases/{case.pk}/transitions/"
    with frozen(date(2026, 9, 24)):
        resp = c.post(url, {"action": "remind", "on": "2026-09-24"}, content_type="application/json")
        assert resp.status_code == 409 and "期限届满日" in resp.json()["message"]
        resp = c.post(url, {"action": "remind", "on": "2026-09-24", "remedy_end_on": "2026-09-01"},
                      content_type="application/json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["state"] == "reminded" and resp.json()["due"] == "2026-12-01"


def test_joint_permit_starts_forty_five_working_days(world, lib):
    permit = file(world, lib, case_type="permit", title="联合办理许可", sanction="", amount=None, circumstance="",
                  filed_on=date(2026, 9, 1), source_case_no="J1")
    with frozen(date(2026, 9, 10)):
        move(permit, "accept_joint", world.officer_a, date(2026, 9, 1))
    d = deadlines_for_owner(permit).get(rule__code="permit.joint_decision")
    assert d.due == date(2026, 11, 9)  # 45 WD across 中秋 and 国庆
    assert not deadlines_for_owner(permit).filter(rule__code="permit.decision").exists()
    assert deadlines_for_owner(permit).get(rule__code="permit.materials_notice").state == "met"
    with frozen(date(2026, 10, 20)):
        move(permit, "approve", world.officer_a, date(2026, 10, 20))
    d.refresh_from_db()
    assert d.state == "met"


def test_the_wait_rule_is_named_for_what_its_date_is():
    from yifa.deadlines.models import DeadlineRule

    assert DeadlineRule.objects.get(code="coercion.notice_wait").name == \
        "催告书送达后当事人履行义务的期间（期满次日起方可申请人民法院强制执行）"
