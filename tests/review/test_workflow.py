"""The three-tier review journey and its refusals, at the service level."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.core.workflows import GuardFailed
from yifa.deadlines.models import TrackedDeadline
from yifa.review import services
from yifa.review.models import Assignment, ItemState, PrecheckHint, ReviewItem, ReviewOpinion, Suggestion, Tier
from yifa.review.services import Conflict

from .conftest import item_fields

pytestmark = pytest.mark.django_db

OPINION = dict(authority="制定主体适格。", procedure="已履行公开征求意见程序。", content="第二条设定了行政许可。")


def submit(world, **extra):
    return services.submit_item(actor=world.dept_a_legal, org=world.dept_a, **item_fields(**extra))


def review_to_issue(world, item, conclusion="agree_modified"):
    services.act(item, "accept", actor=world.office_user)
    services.submit_opinion(actor=world.duty, item=item, tier=Tier.FIRST, conclusion=conclusion,
                            suggestions=[{"quote": "须经县城市管理局批准后方可设置", "suggestion": "删除该审批要求",
                                          "basis": "《行政许可法》第十七条"}], **OPINION)
    services.submit_opinion(actor=world.expert, item=item, tier=Tier.SECOND, conclusion=conclusion, **OPINION,
                            suggestions=[{"quote": "第三条", "suggestion": "明确职责分工"}])
    services.submit_opinion(actor=world.office_user, item=item, tier=Tier.FINAL, conclusion=conclusion, **OPINION,
                            suggestions=[{"quote": "", "suggestion": "补充施行日期"}],
                            short_reason="测试：县政府常务会议议程紧急")
    return ReviewItem.objects.get(pk=item.pk)


def test_full_journey(office):
    w = office
    item = submit(w)
    assert item.state == ItemState.SUBMITTED and item.number.startswith("合审")
    hints = PrecheckHint.objects.filter(item=item)
    assert any(h.rule_code == "permit.set" and "须经县城市管理局批准" in h.quote for h in hints)
    item = services.act(item, "accept", actor=w.office_user)
    assert item.state == ItemState.FIRST_REVIEW
    a = Assignment.objects.get(item=item, tier=Tier.FIRST)
    assert a.reviewer == w.duty and a.how == "当日坐班"
    assert TrackedDeadline.objects.get(owner_id=str(item.pk), rule__code="review.first_review").handler == w.duty
    item = ReviewItem.objects.get(pk=submit(w, title="另一件").pk)
    item = review_to_issue(w, item)
    assert item.state == ItemState.OPINION_ISSUED and item.final_conclusion == "agree_modified"
    assert item.letter_number and item.letter_document_id
    assert Assignment.objects.get(item=item, tier=Tier.SECOND).reviewer == w.expert  # specialty match
    # every tier deadline closed
    assert not TrackedDeadline.objects.filter(owner_id=str(item.pk), state="open").exists()
    # cannot clear before every suggestion has an answer
    with pytest.raises(GuardFailed) as exc:
        services.act(item, "clear", actor=w.dept_a_legal)
    assert exc.value.status == 409 and "未反馈采纳情况" in exc.value.message
    for i, s in enumerate(Suggestion.objects.filter(opinion__item=item)):
        if i == 0:
            with pytest.raises(DomainError):
                services.record_adoption(actor=w.dept_a_legal, suggestion=s, adoption="rejected")
        services.record_adoption(actor=w.dept_a_legal, suggestion=s, adoption="adopted" if i else "partial",
                                 reason="部分条款保留")
    item = services.act(ReviewItem.objects.get(pk=item.pk), "confirm_adoption", actor=w.dept_a_legal)
    item = services.act(item, "clear", actor=w.dept_a_legal)
    assert item.state == ItemState.CLEARED and item.cleared_on
    item = services.act(item, "file", actor=w.dept_a_legal, payload={"filing_number": "备2026-1"})
    assert item.state == ItemState.FILED and item.filing_number == "备2026-1"
    actions = set(AuditEvent.objects.filter(object_id=str(item.pk), object_type="review.reviewitem")
                  .values_list("action", flat=True))
    assert {"review.submit", "review.accept", "review.opinion", "review.final_opinion", "review.adoption",
            "review.clear", "review.file"} <= actions


def test_disagree_cannot_be_cleared(office):
    w = office
    item = review_to_issue(w, submit(w), conclusion="disagree")
    for s in Suggestion.objects.filter(opinion__item=item):
        services.record_adoption(actor=w.dept_a_legal, suggestion=s, adoption="adopted")
    with pytest.raises(GuardFailed) as exc:
        services.act(ReviewItem.objects.get(pk=item.pk), "clear", actor=w.dept_a_legal)
    assert "不同意" in exc.value.message and "第二十五条" in exc.value.message


def test_incomplete_major_decision_returned_listing_everything(office):
    w = office
    start = date(2026, 3, 2)
    item = submit(w, item_type="major_decision", drafting_explanation="", comment_start=start,
                  comment_end=start + timedelta(days=10))
    assert item.state == ItemState.RETURNED
    text = "；".join(item.intake_problems)
    for word in ("起草说明", "专家论证", "风险评估", "少于法定最短期限 30 日"):
        assert word in text
    # resubmit with everything: a new round, back to 待受理
    item = services.resubmit_item(actor=w.dept_a_legal, item=item, drafting_explanation="说明",
                                  expert_argumentation="专家论证意见", risk_assessment="风险评估报告",
                                  comment_end=start + timedelta(days=31))
    assert item.state == ItemState.SUBMITTED and item.round == 2 and item.drafts.count() == 2


def test_normative_document_minimum_review_time_and_tracked_period(office):
    """A normative document's review is tracked (normative.review, 15 WD) and cannot be
    finished below the 5-WD minimum without a recorded reason."""
    from tests.clock import frozen
    from yifa.deadlines.selectors import deadlines_for_owner

    w = office
    with frozen(date(2026, 9, 28)):  # accepted on Monday 09-28: 国庆 follows
        item = submit(w)
        services.act(item, "accept", actor=w.office_user)
        d = deadlines_for_owner(item).get(rule__code="normative.review")
        assert d.due == date(2026, 10, 23)  # 15 WD: 09-29, 09-30, then from 10-08 (10-10 is a working Saturday)
        services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="agree", **OPINION)
        services.submit_opinion(actor=w.expert, item=item, tier=Tier.SECOND, conclusion="agree", **OPINION)
    with frozen(date(2026, 10, 9)):  # only four working days after acceptance (09-29, 09-30, 10-08, 10-09)
        with pytest.raises(GuardFailed) as exc:
            services.submit_opinion(actor=w.office_user, item=item, tier=Tier.FINAL, conclusion="agree", **OPINION)
        assert "不少于 5 个工作日" in exc.value.message and "2026-10-10" in exc.value.message
        assert not ReviewOpinion.objects.filter(item=item, tier=Tier.FINAL).exists()  # nothing half-saved
    with frozen(date(2026, 10, 10)):  # the fifth working day (a make-up Saturday): allowed without a reason
        services.submit_opinion(actor=w.office_user, item=item, tier=Tier.FINAL, conclusion="agree", **OPINION)
    item = ReviewItem.objects.get(pk=item.pk)
    assert item.state == ItemState.OPINION_ISSUED
    d.refresh_from_db()
    assert d.state == "met"


def test_major_decision_seven_days_bind_the_submitting_unit(office):
    """重大行政决策程序暂行条例 art. 26: the unit must give the reviewers at least 7 WD before
    it needs the result; the reviewers themselves are not held to a minimum."""
    from tests.clock import frozen

    w = office
    major = dict(item_type="major_decision", comment_start=date(2026, 7, 1), comment_end=date(2026, 8, 10),
                 expert_argumentation="论证", risk_assessment="评估")
    with frozen(date(2026, 9, 28)):
        item = submit(w, **major, needed_by=date(2026, 10, 12))  # 7 WD from 09-28 is 10-13
        assert item.state == ItemState.RETURNED
        assert any("不足 7 个工作日" in p and "第二十六条" in p and "2026-10-13" in p for p in item.intake_problems)
        ok = submit(w, **major, title="紧急事项", needed_by=date(2026, 10, 12), urgent_reason="防汛应急，县政府紧急部署")
        assert ok.state == ItemState.SUBMITTED
        fine = submit(w, **major, title="从容事项", needed_by=date(2026, 10, 13))
        assert fine.state == ItemState.SUBMITTED
        # the reviewers may finish the same day (no reviewer-side floor for major decisions)
        services.act(fine, "accept", actor=w.office_user)
        services.submit_opinion(actor=w.duty, item=fine, tier=Tier.FIRST, conclusion="agree", **OPINION)
        services.submit_opinion(actor=w.expert, item=fine, tier=Tier.SECOND, conclusion="agree", **OPINION)
        services.submit_opinion(actor=w.office_user, item=fine, tier=Tier.FINAL, conclusion="agree", **OPINION)
    assert ReviewItem.objects.get(pk=fine.pk).state == ItemState.OPINION_ISSUED


def test_tier_cannot_be_skipped_and_unassigned_is_404(office):
    w = office
    item = submit(w)
    services.act(item, "accept", actor=w.office_user)
    with pytest.raises(IllegalTransition):  # the office cannot jump to the final tier
        services.submit_opinion(actor=w.office_user, item=item, tier=Tier.FINAL, conclusion="agree", **OPINION)
    with pytest.raises(Http404):  # the expert is not assigned yet: cannot even see it
        services.submit_opinion(actor=w.expert, item=item, tier=Tier.SECOND, conclusion="agree", **OPINION)
    with pytest.raises(Http404):  # the other duty lawyer is not assigned (and cannot see it)
        services.submit_opinion(actor=w.duty2, item=item, tier=Tier.FIRST, conclusion="agree", **OPINION)
    with pytest.raises(DomainError):
        services.act(item, "first_opinion", actor=w.duty)
    with pytest.raises(PermissionDenied):
        services.reassign(actor=w.duty, item=item, reviewer=w.duty2, reason="x")


def test_concurrent_same_tier_second_gets_conflict(office):
    w = office
    item = submit(w)
    item = services.act(item, "accept", actor=w.office_user)
    version = item.version
    services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="agree", expected_version=version,
                            **OPINION)
    with pytest.raises((IllegalTransition, StaleVersion, Conflict)) as exc:
        services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="agree",
                                expected_version=version, **OPINION)
    assert exc.value.status == 409
    assert ReviewOpinion.objects.filter(item=item, tier=Tier.FIRST).count() == 1


def test_recusal_reassigns_and_is_audited(office):
    w = office
    item = submit(w)
    services.act(item, "accept", actor=w.office_user)
    new = services.recuse(actor=w.duty, item=item, reason="本人曾为该局代理诉讼")
    assert new.reviewer == w.duty2
    old = Assignment.objects.get(item=item, reviewer=w.duty)
    assert old.recused and not old.active
    assert AuditEvent.objects.filter(action="review.recuse", object_id=str(item.pk)).exists()
    d = TrackedDeadline.objects.get(owner_id=str(item.pk), rule__code="review.first_review", state="open")
    assert d.handler == w.duty2
    # the recused lawyer still sees the item (previously assigned) but cannot act on it
    assert ReviewItem.objects.visible_to(w.duty).filter(pk=item.pk).exists()
    with pytest.raises(Http404):
        services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="agree", **OPINION)


def test_return_for_revision_keeps_rounds(office):
    w = office
    item = submit(w)
    services.act(item, "accept", actor=w.office_user)
    services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="disagree", **OPINION)
    item = ReviewItem.objects.get(pk=item.pk)
    with pytest.raises(Http404):
        services.act(item, "return_revision", actor=w.duty2, reason="x")
    item = services.act(item, "return_revision", actor=w.expert, reason="第二条无上位法依据，请修改后重新报送")
    assert item.state == ItemState.RETURNED
    item = services.resubmit_item(actor=w.dept_a_legal, item=item, draft_text="第一条 修改后的办法。")
    assert item.round == 2
    assert ReviewOpinion.objects.filter(item=item, round=1).count() == 1  # round 1 stays readable
    assert item.drafts.get(round=1).text != item.drafts.get(round=2).text


def test_visibility(office):
    w = office
    item = submit(w)
    assert ReviewItem.objects.visible_to(w.dept_a_legal).filter(pk=item.pk).exists()
    assert not ReviewItem.objects.visible_to(w.dept_b_legal).filter(pk=item.pk).exists()
    assert ReviewItem.objects.visible_to(w.office_user).filter(pk=item.pk).exists()
    assert ReviewItem.objects.visible_to(w.supervisor).filter(pk=item.pk).exists()
    assert not ReviewItem.objects.visible_to(w.duty).filter(pk=item.pk).exists()
    services.act(item, "accept", actor=w.office_user)
    assert ReviewItem.objects.visible_to(w.duty).filter(pk=item.pk).exists()
    assert not ReviewItem.objects.visible_to(w.expert).filter(pk=item.pk).exists()
