"""General-procedure penalty with its legal guards, deadlines, publicity, other case types."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from yifa.core import clock
from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.core.workflows import GuardFailed
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.enforcement import services
from yifa.enforcement.models import Case, OnTimeRollup

pytestmark = pytest.mark.django_db


def file(world, lib, officers=None, **kw):
    defaults = dict(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=date(2026, 8, 3),
                    title="销售不合格电线", party_name="张三丰", party_kind="individual",
                    party_id_no="110101199001011234", party_phone="13812345678",
                    party_address="测试县城关街道人民路88号3单元", sanction="fine", amount=Decimal("5000"),
                    circumstance="general")
    defaults.update(kw)
    return services.file_case(officers=officers if officers is not None else [lib.o1, lib.o2], **defaults)


def move(case, action, user, on, **kw):
    return services.move_case(Case.objects.get(pk=case.pk), action, actor=user, on=on, **kw)


def test_filing_starts_penalty_decision_and_denormalises(world, lib):
    case = file(world, lib)
    d = deadlines_for_owner(case).get()
    assert d.rule.code == "penalty.decision" and d.due == date(2026, 11, 2)
    case.refresh_from_db()
    assert case.state == "filed" and case.is_open and case.due == d.due and case.due_rule == "penalty.decision"
    assert case.handler == world.officer_a and case.case_no


def test_one_officer_is_refused_naming_the_rule(world, lib):
    case = file(world, lib, officers=[lib.o1])
    with pytest.raises(GuardFailed) as exc:
        move(case, "investigate", world.officer_a, date(2026, 8, 4))
    assert "第四十二条" in exc.value.message and "当前有效 1 人" in exc.value.message


def test_expired_certificate_is_refused(world, lib):
    case = file(world, lib, officers=[lib.o1, lib.expired])
    with pytest.raises(GuardFailed) as exc:
        move(case, "investigate", world.officer_a, date(2026, 8, 4))
    assert "王过期" in exc.value.message and "第四十二条" in exc.value.message
    # on a day when the certificate was still valid the act is fine (the date of the act counts)
    case2 = file(world, lib, officers=[lib.o1, lib.expired], filed_on=date(2025, 11, 3), source_case_no="X2")
    assert move(case2, "investigate", world.officer_a, date(2025, 11, 4)).state == "investigating"


def test_full_general_procedure_with_review_hearing_and_publicity(world, lib, client):
    case = file(world, lib, amount=Decimal("20000"))  # ≥ 10,000 for an individual: 法制审核 required
    move(case, "investigate", world.officer_a, date(2026, 8, 4))
    with pytest.raises(IllegalTransition):
        move(case, "decide", world.officer_a, date(2026, 8, 5))
    case = move(case, "notify", world.officer_a, date(2026, 8, 10))
    assert case.notice_on == date(2026, 8, 10) and case.hearing_request_until == date(2026, 8, 17)
    # the hearing-request period has not run out
    with pytest.raises(GuardFailed) as exc:
        move(case, "decide", world.officer_a, date(2026, 8, 12))
    assert "听证" in exc.value.message and "第六十四条" in exc.value.message
    # the party requests a hearing within the period: the decision deadline is suspended
    move(case, "request_hearing", world.officer_a, date(2026, 8, 13))
    d = deadlines_for_owner(case).get(rule__code="penalty.decision")
    assert d.state == "suspended"
    # the hearing cannot be held without a notice seven working days before it (art. 64)
    with pytest.raises(GuardFailed, match="尚未登记听证通知"):
        move(case, "hold_hearing", world.officer_a, date(2026, 8, 20))
    with pytest.raises(GuardFailed, match="最迟应于 2026-08-12"):  # 7 WD before 08-21 is 08-12
        move(case, "notify_hearing", world.officer_a, date(2026, 8, 13), payload={"hearing_on": date(2026, 8, 21)})
    move(case, "notify_hearing", world.officer_a, date(2026, 8, 13), payload={"hearing_on": date(2026, 8, 24)})
    with pytest.raises(GuardFailed, match="不足七个工作日"):
        move(case, "hold_hearing", world.officer_a, date(2026, 8, 21))
    case = move(case, "hold_hearing", world.officer_a, date(2026, 8, 24))
    assert case.state == "legal_review" and case.hearing_notice_on == date(2026, 8, 13)
    d.refresh_from_db()
    assert d.state == "open" and d.due == date(2026, 11, 12)  # the hearing period (08-14…08-24) not counted
    # no legal review yet
    with pytest.raises(GuardFailed) as exc:
        move(case, "decide", world.officer_a, date(2026, 8, 25))
    assert "第五十八条" in exc.value.message
    services.record_legal_review(actor=world.dept_a_legal, case=case, result="passed", opinion="事实清楚，同意。",
                                 on=date(2026, 8, 24))
    case = move(case, "decide", world.officer_a, date(2026, 8, 25))
    assert case.state == "decided" and case.publicity_state == "pending"
    codes = {x.rule.code: x.state for x in deadlines_for_owner(case)}
    assert codes["penalty.decision"] == "met" and codes["penalty.service"] == "open"
    assert codes["penalty.publicity"] == "open"
    case = move(case, "serve", world.officer_a, date(2026, 8, 26))
    services.publish(actor=world.officer_a, case=case, on=date(2026, 8, 27))
    assert deadlines_for_owner(case).get(rule__code="penalty.payment").due == date(2026, 9, 10)  # 15 CD
    with pytest.raises(GuardFailed, match="第六十七条"):
        move(case, "close", world.officer_a, date(2026, 9, 10))  # the fine is not paid yet
    case = move(case, "pay", world.officer_a, date(2026, 9, 8))
    assert case.paid_on == date(2026, 9, 8) and case.state == "executing"
    assert deadlines_for_owner(case).get(rule__code="penalty.payment").state == "met"
    case = move(case, "close", world.officer_a, date(2026, 9, 10))
    assert not case.is_open and case.on_time is True
    assert OnTimeRollup.objects.get(org=world.dept_a, month=date(2026, 9, 1)).on_time == 1
    # the public page (no login) shows it masked
    resp = client.get(f"/enforcement/public/{case.pk}/")
    body = resp.content.decode()
    assert resp.status_code == 200 and "张**" in body and "张三丰" not in body
    assert "110101********1234" in body and "138****5678" in body and "人民路88号" not in body
    assert "张**" in client.get("/enforcement/public/").content.decode()
    # the decision is annulled: withdrawal tracked, then the page no longer shows it
    services.request_withdrawal(actor=world.officer_a, case=case, reason="复议决定撤销", on=date(2026, 10, 12))
    assert deadlines_for_owner(case).get(rule__code="penalty.publicity_withdraw").due == date(2026, 10, 15)
    services.withdraw(actor=world.officer_a, case=case, on=date(2026, 10, 13))
    assert client.get(f"/enforcement/public/{case.pk}/").status_code == 404


def test_decision_needs_notice_and_benchmark_reason(world, lib):
    case = file(world, lib, amount=Decimal("40000"), party_kind="organisation", party_name="某某电器有限公司")
    move(case, "investigate", world.officer_a, date(2026, 8, 4))
    services.update_case(actor=world.officer_a, case=case, data={"rights_waived": True})
    move(case, "notify", world.officer_a, date(2026, 8, 10))
    with pytest.raises(GuardFailed) as exc:
        move(case, "decide", world.officer_a, date(2026, 8, 11))
    assert "裁量基准" in exc.value.message and "30000" in exc.value.message
    services.update_case(actor=world.officer_a, case=case, data={"discretion_reason": "违法所得较大，经集体讨论"})
    assert move(case, "decide", world.officer_a, date(2026, 8, 11)).state == "decided"


def test_summary_procedure_limits(world, lib):
    case = file(world, lib, procedure="summary", amount=Decimal("500"), circumstance="")
    with pytest.raises(GuardFailed) as exc:
        move(case, "decide", world.officer_a, date(2026, 8, 3))
    assert "第五十一条" in exc.value.message and "200" in exc.value.message
    ok = file(world, lib, procedure="summary", amount=Decimal("150"), circumstance="", source_case_no="S2")
    assert move(ok, "decide", world.officer_a, date(2026, 8, 3)).state == "decided"


def test_two_people_editing_one_case(world, lib):
    case = file(world, lib)
    services.update_case(actor=world.officer_a, case=case, data={"facts": "第一人"}, expected_version=1)
    with pytest.raises(StaleVersion):
        services.update_case(actor=world.dept_a_legal, case=case, data={"facts": "第二人"}, expected_version=1)
    assert Case.objects.get(pk=case.pk).facts == "第一人"


def test_scope_and_roles(world, lib):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    case = file(world, lib)
    with pytest.raises(Http404):
        move(case, "investigate", world.dept_b_legal, date(2026, 8, 4))
    with pytest.raises(PermissionDenied):
        move(case, "investigate", world.supervisor, date(2026, 8, 4))
    with pytest.raises(PermissionDenied):
        file(world, lib, actor=world.dept_b_legal, source_case_no="Z")
    assert Case.objects.visible_to(world.supervisor).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(world.dept_b_legal).filter(pk=case.pk).exists()


def test_permit_and_coercion_deadlines(world, lib):
    permit = file(world, lib, case_type="permit", title="食品经营许可", sanction="", amount=None, circumstance="",
                  filed_on=date(2026, 9, 1), source_case_no="P1")
    assert permit.state == "applied"
    assert deadlines_for_owner(permit).get().rule.code == "permit.materials_notice"
    move(permit, "accept", world.officer_a, date(2026, 9, 3))
    d = deadlines_for_owner(permit).get(rule__code="permit.decision")
    services.extend_case_deadline(actor=world.officer_a, case=permit, rule_code="permit.decision",
                                  approver=world.dept_a_legal, reason="情况复杂", on=date(2026, 9, 20))
    d.refresh_from_db()
    assert d.state == "extended" and d.extensions.get().approver == world.dept_a_legal
    permit.refresh_from_db()
    assert permit.due == d.due
    move(permit, "approve", world.officer_a, date(2026, 9, 25))
    assert {x.rule.code for x in deadlines_for_owner(permit) if x.state == "open"} == {"permit.issue",
                                                                                       "permit.publicity"}
    seizure = file(world, lib, case_type="coercion", title="扣押不合格电线", sanction="", amount=None,
                   circumstance="", filed_on=date(2026, 9, 1), source_case_no="C1")
    move(seizure, "seize", world.officer_a, date(2026, 9, 2))
    # 30 CD → 10-02 (国庆): a maximum duration is not rolled forward — the goods must be released by then
    assert deadlines_for_owner(seizure).get().due == date(2026, 10, 2)


def test_bad_input(world, lib):
    with pytest.raises(DomainError):
        file(world, lib, filed_on=clock.today() + timedelta(days=1))  # not after today
    with pytest.raises(DomainError):
        file(world, lib, case_type="permit", procedure="summary", source_case_no="Q")
