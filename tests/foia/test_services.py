"""The register's steps under the 政府信息公开条例: each transition, its refusals (nothing
half-written) and the tracked deadlines it starts, closes, suspends, resumes or extends."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.clock import frozen
from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.deadlines.models import DeadlineState, TrackedDeadline
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.supervision.foia import services
from yifa.supervision.foia.models import (CORRECTION_RULE, REPLY_RULE, THIRD_PARTY_RULE, InfoRequest,
                                          RequestState)

from .helpers import RECEIVED, TODAY, new_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with frozen(TODAY):
        yield


def _deadline(r, rule):
    return deadlines_for_owner(r).filter(rule__code=rule).order_by("-id").first()


def _count(r):
    return (InfoRequest.objects.get(pk=r.pk).version, deadlines_for_owner(r).count(),
            AuditEvent.objects.filter(object_id=str(r.pk), action__startswith="inforequest.").count())


def test_register_numbers_per_unit_and_year_and_starts_20_working_days_across_national_day(world):
    r = new_request(world)
    # the scoping walk's record of town A is 〔2025〕1号
    assert r.state == RequestState.REGISTERED and r.number == "〔2025〕2号"
    d = _deadline(r, REPLY_RULE)
    # 20 WD after Fri 26 Sep 2025: Sep 28 (make-up), 29, 30, Oct 9, 10, 11 (make-up), 13–17, 20–24, 27–30
    assert d.start == RECEIVED and d.due == date(2025, 10, 30) and r.due == date(2025, 10, 30)
    assert "第三十三条" in d.citation
    assert new_request(world).number == "〔2025〕3号"
    assert new_request(world, org=world.town_b, actor=world.town_b_legal).number == "〔2025〕2号"
    assert AuditEvent.objects.filter(action="inforequest.register", object_id=str(r.pk)).exists()
    ev = AuditEvent.objects.get(action="inforequest.register", object_id=str(r.pk))
    assert "张三丰" not in str(ev.after) and "13812341234" not in str(ev.after)


@pytest.mark.parametrize("kw,field", [
    ({"requester_name": ""}, "requester_name"),
    ({"requester_phone": "abc"}, "requester_phone"),
    ({"channel": "pigeon"}, "channel"),
    ({"content": "短"}, "content"),
    ({"on": date(2025, 12, 2)}, "received_on"),
])
def test_register_refuses_bad_input_and_writes_nothing(world, kw, field):
    with pytest.raises(DomainError) as exc:
        new_request(world, **kw)
    assert field in exc.value.fields
    assert not InfoRequest.objects.filter(requester_name="张三丰").exists()
    assert not TrackedDeadline.objects.filter(owner_type="foia.inforequest").exists()


def test_who_may_register_and_act(world):
    with pytest.raises(PermissionDenied):
        new_request(world, actor=world.supervisor)  # the justice bureau reads, it does not answer for a unit
    with pytest.raises(PermissionDenied):
        new_request(world, actor=world.town_b_legal)  # another township's request
    r = new_request(world)
    with pytest.raises(PermissionDenied):
        services.reply(actor=world.supervisor, info_request=r, reply_type="disclosed", text="予以公开。")
    with pytest.raises(PermissionDenied):
        services.reply(actor=world.town_b_legal, info_request=r, reply_type="disclosed", text="予以公开。")
    assert InfoRequest.objects.get(pk=r.pk).state == RequestState.REGISTERED
    assert new_request(world, actor=world.officer_a, org=world.dept_a).org == world.dept_a


def test_reply_on_time_closes_the_deadline_met(world):
    r = new_request(world)
    r = services.reply(actor=world.town_a_legal, info_request=r, reply_type="disclosed", text="予以公开，随附文件。",
                       on=date(2025, 10, 20), expected_version=r.version)
    assert r.state == RequestState.REPLIED and r.on_time is True and r.replied_by == world.town_a_legal
    d = _deadline(r, REPLY_RULE)
    assert d.state == DeadlineState.MET and d.closed_on == date(2025, 10, 20)
    assert AuditEvent.objects.filter(action="inforequest.reply", object_id=str(r.pk)).exists()


def test_late_reply_is_recorded_as_missed(world):
    r = new_request(world)
    r = services.reply(actor=world.town_a_legal, info_request=r, reply_type="not_exist", text="信息不存在。",
                       on=date(2025, 11, 5))
    assert r.on_time is False and _deadline(r, REPLY_RULE).state == DeadlineState.MISSED


@pytest.mark.parametrize("reply_type", ["withheld", "partial"])
def test_withheld_or_partial_without_reason_and_basis_is_refused(world, reply_type):
    r = new_request(world)
    before = _count(r)
    with pytest.raises(DomainError) as exc:
        services.reply(actor=world.town_a_legal, info_request=r, reply_type=reply_type, text="不予公开。")
    assert "basis" in exc.value.fields and "第三十六条" in exc.value.message
    assert _count(r) == before and InfoRequest.objects.get(pk=r.pk).state == RequestState.REGISTERED
    assert _deadline(r, REPLY_RULE).state == DeadlineState.OPEN
    r = services.reply(actor=world.town_a_legal, info_request=r, reply_type=reply_type, text="不予公开。",
                       basis="《政府信息公开条例》第十四条")
    assert r.reply_basis and r.state == RequestState.REPLIED


def test_dates_in_the_future_or_before_receipt_are_refused(world):
    r = new_request(world)
    for on in (date(2025, 12, 2), date(2025, 9, 25)):
        with pytest.raises(DomainError):
            services.reply(actor=world.town_a_legal, info_request=r, reply_type="disclosed", text="予以公开。", on=on)
    assert InfoRequest.objects.get(pk=r.pk).state == RequestState.REGISTERED


def test_correction_restarts_the_reply_period_from_the_corrected_request(world):
    r = new_request(world)
    r = services.request_correction(actor=world.town_a_legal, info_request=r, what="请写明所需信息的年度。",
                                    correction_due=date(2025, 10, 24), on=date(2025, 9, 30))
    assert r.state == RequestState.CORRECTION_REQUESTED and r.due is None
    c = _deadline(r, CORRECTION_RULE)
    assert c.start == RECEIVED and c.state == DeadlineState.MET  # told within 7 WD of receipt
    assert _deadline(r, REPLY_RULE).state in (DeadlineState.MET, DeadlineState.MISSED)
    with pytest.raises(IllegalTransition):
        services.reply(actor=world.town_a_legal, info_request=r, reply_type="disclosed", text="予以公开。")
    r = services.record_correction(actor=world.town_a_legal, info_request=r, on=date(2025, 10, 20))
    d = _deadline(r, REPLY_RULE)
    assert r.state == RequestState.CORRECTED and d.start == date(2025, 10, 20) and d.state == DeadlineState.OPEN
    assert d.due == date(2025, 11, 17) and r.due == d.due  # 20 WD from Mon 20 Oct
    assert deadlines_for_owner(r).filter(rule__code=REPLY_RULE).count() == 2
    r = services.reply(actor=world.town_a_legal, info_request=r, reply_type="published", text="已主动公开。",
                       on=date(2025, 11, 10))
    assert r.on_time is True


def test_late_correction_notice_is_recorded_as_missed(world):
    r = new_request(world)
    r = services.request_correction(actor=world.town_a_legal, info_request=r, what="请写明所需信息的年度。",
                                    correction_due=date(2025, 10, 31), on=date(2025, 10, 15))
    assert _deadline(r, CORRECTION_RULE).state == DeadlineState.MISSED


def test_withdrawal_only_after_the_correction_period(world):
    r = new_request(world)
    r = services.request_correction(actor=world.town_a_legal, info_request=r, what="请写明所需信息的年度。",
                                    correction_due=date(2025, 10, 24), on=date(2025, 9, 30))
    before = _count(r)
    with pytest.raises(DomainError) as exc:
        services.withdraw(actor=world.town_a_legal, info_request=r, on=date(2025, 10, 24))
    assert "尚未届满" in exc.value.message and _count(r) == before
    r = services.withdraw(actor=world.town_a_legal, info_request=r, on=date(2025, 10, 27))
    assert r.state == RequestState.WITHDRAWN and r.withdrawn_on == date(2025, 10, 27)
    for fn, kw in ((services.record_correction, {}), (services.consult, {"third_party": "甲公司"})):
        with pytest.raises(IllegalTransition) as exc:
            fn(actor=world.town_a_legal, info_request=r, **kw)
        assert "视为放弃申请" in exc.value.message


def test_correction_refusals(world):
    r = new_request(world)
    with pytest.raises(DomainError):  # the time to correct must end after the notice
        services.request_correction(actor=world.town_a_legal, info_request=r, what="补正", on=date(2025, 9, 30),
                                    correction_due=date(2025, 9, 30))
    with pytest.raises(DomainError):
        services.request_correction(actor=world.town_a_legal, info_request=r, what="", on=date(2025, 9, 30),
                                    correction_due=date(2025, 10, 30))
    assert InfoRequest.objects.get(pk=r.pk).state == RequestState.REGISTERED
    assert not deadlines_for_owner(r).filter(rule__code=CORRECTION_RULE).exists()
    assert _deadline(r, REPLY_RULE).state == DeadlineState.OPEN
    with pytest.raises(IllegalTransition):
        services.record_correction(actor=world.town_a_legal, info_request=r)
    with pytest.raises(IllegalTransition):
        services.withdraw(actor=world.town_a_legal, info_request=r)


def test_third_party_consultation_suspends_and_the_opinion_resumes_the_reply_period(world):
    r = new_request(world)
    r = services.consult(actor=world.town_a_legal, info_request=r, third_party="北山建材有限公司",
                         on=date(2025, 10, 13))
    assert r.state == RequestState.CONSULTING
    d = _deadline(r, REPLY_RULE)
    assert d.state == DeadlineState.SUSPENDED
    t = _deadline(r, THIRD_PARTY_RULE)
    assert t.start == date(2025, 10, 13) and t.due == date(2025, 11, 3) and "第三十二条" in t.citation  # 15 WD
    with pytest.raises(IllegalTransition):
        services.reply(actor=world.town_a_legal, info_request=r, reply_type="disclosed", text="予以公开。")
    r = services.record_opinion(actor=world.town_a_legal, info_request=r, opinion="不同意公开涉及商业秘密的部分。",
                                on=date(2025, 10, 20))
    d.refresh_from_db()
    # Oct 13–17 (five working days) not counted: Oct 30 moves five working days later
    assert r.state == RequestState.REGISTERED and d.state == DeadlineState.OPEN
    assert d.due == date(2025, 11, 6) and r.due == d.due
    assert _deadline(r, THIRD_PARTY_RULE).state == DeadlineState.MET


def test_opinion_lapsed_only_after_15_working_days_and_resumes_the_day_after(world):
    r = new_request(world)
    r = services.consult(actor=world.town_a_legal, info_request=r, third_party="甲公司", on=date(2025, 10, 13))
    with frozen(date(2025, 11, 3)):
        with pytest.raises(DomainError):
            services.opinion_lapsed(actor=world.town_a_legal, info_request=r)
    assert InfoRequest.objects.get(pk=r.pk).state == RequestState.CONSULTING
    with frozen(date(2025, 11, 10)):
        r = services.opinion_lapsed(actor=world.town_a_legal, info_request=r)
    d = _deadline(r, REPLY_RULE)
    # not counted: Oct 13 – Nov 3 (16 working days: the third party's 15 after the letter, and its day);
    # counting resumes on Nov 4, so Oct 30 moves 16 working days later
    assert r.state == RequestState.REGISTERED and d.state == DeadlineState.OPEN and d.due == date(2025, 11, 21)
    assert _deadline(r, THIRD_PARTY_RULE).state == DeadlineState.MISSED


def test_consultation_after_correction_returns_to_corrected(world):
    r = new_request(world)
    r = services.request_correction(actor=world.town_a_legal, info_request=r, what="请写明年度。",
                                    correction_due=date(2025, 10, 24), on=date(2025, 9, 30))
    r = services.record_correction(actor=world.town_a_legal, info_request=r, on=date(2025, 10, 20))
    r = services.consult(actor=world.town_a_legal, info_request=r, third_party="甲公司", on=date(2025, 10, 22))
    r = services.record_opinion(actor=world.town_a_legal, info_request=r, opinion="同意公开。", on=date(2025, 10, 24))
    assert r.state == RequestState.CORRECTED


def test_extension_adds_20_working_days_once_with_an_approver(world):
    r = new_request(world)
    before = _count(r)
    with pytest.raises(DomainError):
        services.extend(actor=world.town_a_legal, info_request=r, approver=None, reason="信息量大")
    with pytest.raises(DomainError):
        services.extend(actor=world.town_a_legal, info_request=r, approver=world.town_a_legal, reason="")
    assert _count(r) == before
    r = services.extend(actor=world.town_a_legal, info_request=r, approver=world.town_a_legal, reason="信息量大",
                        on=date(2025, 10, 27))
    d = _deadline(r, REPLY_RULE)
    assert r.extended and d.state == DeadlineState.EXTENDED
    assert d.due == date(2025, 11, 27) and r.due == d.due  # Oct 30 + 20 WD
    with pytest.raises(IllegalTransition):
        services.extend(actor=world.town_a_legal, info_request=r, approver=world.town_a_legal, reason="再延长")


def test_stale_version_is_refused(world):
    r = new_request(world)
    with pytest.raises(StaleVersion):
        services.reply(actor=world.town_a_legal, info_request=r, reply_type="disclosed", text="予以公开。",
                       expected_version=r.version + 5)
    assert InfoRequest.objects.get(pk=r.pk).state == RequestState.REGISTERED


def test_the_sweep_resumes_the_reply_period_once_the_third_partys_days_have_passed(world):
    from yifa.supervision.foia.sweep import third_party_lapsed

    r = new_request(world)
    r = services.consult(actor=world.town_a_legal, info_request=r, third_party="甲公司", on=date(2025, 10, 13))
    with frozen(date(2025, 11, 3)):  # the third party's last day: nothing moves
        assert third_party_lapsed(date(2025, 11, 3)) == {"resumed": 0}
    assert InfoRequest.objects.get(pk=r.pk).state == RequestState.CONSULTING
    with frozen(date(2025, 11, 4)):
        assert third_party_lapsed(date(2025, 11, 4)) == {"resumed": 1}
        assert third_party_lapsed(date(2025, 11, 4)) == {"resumed": 0}  # idempotent
    r = InfoRequest.objects.get(pk=r.pk)
    d = _deadline(r, REPLY_RULE)
    # the same result as a person recording the lapse: counting resumes on Nov 4 → Nov 21
    assert r.state == RequestState.REGISTERED and d.due == date(2025, 11, 21) and r.due == d.due
    assert AuditEvent.objects.filter(object_id=str(r.pk), action="inforequest.opinion_lapsed",
                                     actor__isnull=True).exists()
