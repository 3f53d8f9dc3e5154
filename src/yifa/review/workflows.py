"""The review process as a transition table (三审联动).

submitted ─accept→ first_review ─first_opinion→ second_review ─second_opinion→ final_review
─final_opinion→ opinion_issued ─confirm_adoption→ adoption_recorded ─clear→ cleared ─file→ filed

Intake returns (return_intake) and returns for revision at any tier (return_revision)
go to `returned`; the submitting unit resubmits (a new round; earlier rounds stay
readable). A tier cannot be skipped: each opinion action exists only from its own tier.
Per-tier deadlines are started and closed by the effects (they need the reviewer just
assigned as the handler).
"""

from yifa.core.workflows import GuardFailed, Transition, Workflow
from yifa.orgs.models import Role

from .models import Adoption, Conclusion, ItemState, ReviewItem, Suggestion, Tier

UNIT_ROLES = (Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.ADMIN)
OFFICE = (Role.ADVISOR_OFFICE,)
REVIEWERS = (Role.DUTY_LAWYER, Role.EXPERT_LAWYER, Role.ADVISOR_OFFICE)

RULE_DISCUSSION = "《重大行政决策程序暂行条例》第二十五条、第二十八条；国办发〔2018〕37号"


def _intake_complete(item, actor, payload):
    from .services import intake_problems

    problems = intake_problems(item)
    if problems:
        raise GuardFailed("材料不齐全，不能受理：" + "；".join(problems), rule="《重大行政决策程序暂行条例》第二十九条",
                          fields={"materials": problems})


def _unanswered(item):
    return Suggestion.objects.live().filter(opinion__item=item, adoption="")


def _all_answered(item, actor, payload):
    missing = list(_unanswered(item).values_list("suggestion", flat=True)[:10])
    if missing:
        raise GuardFailed(f"还有 {_unanswered(item).count()} 条审查建议未反馈采纳情况（如：{missing[0][:40]}）",
                          rule="合法性审查结果运用：每条建议须反馈采纳、部分采纳或未采纳及理由",
                          fields={"suggestions": missing})


def _may_clear(item, actor, payload):
    if item.final_conclusion not in (Conclusion.AGREE, Conclusion.AGREE_MODIFIED):
        label = dict(Conclusion.choices).get(item.final_conclusion, "未出具")
        raise GuardFailed(f"终审结论为“{label}”，未经合法性审查或者经审查不合法的，不得提交集体讨论或印发",
                          rule=RULE_DISCUSSION)
    _all_answered(item, actor, payload)


def _final_guard(item, actor, payload):
    from .services import check_minimum_review_time

    check_minimum_review_time(item, on=payload.get("on"), reason=payload.get("short_reason", ""))


def _effect(name):
    def run(obj, actor, payload):
        from . import services

        getattr(services, name)(obj, actor, payload)

    run.__name__ = name
    return run


def _notify(name):
    def run(obj, actor, payload):
        from . import services

        getattr(services, name)(obj, actor, payload)

    run.__name__ = name
    return run


WITHDRAW_CONFIRM = "将撤回本审查事项，审查随之终止，此操作不可撤回。"
CLEAR_CONFIRM = "将确认审查已完成、准予提交集体讨论或印发，此后不能再反馈采纳情况。"
REVISE_CONFIRM = "将按意见书修改后重新送审，本轮意见书的审查随之结束，开始新一轮审查。"

REVIEW = Workflow(
    "review", model=ReviewItem,
    state_labels=dict(ItemState.choices),
    transitions=[
        Transition(ItemState.SUBMITTED, "accept", ItemState.FIRST_REVIEW, "受理并分配初审", roles=OFFICE,
                   guard=_intake_complete, effect=_effect("on_accept"), notify=_notify("notify_assigned")),
        Transition(ItemState.SUBMITTED, "return_intake", ItemState.RETURNED, "退回补正材料", roles=OFFICE,
                   requires_reason=True, confirm="将退回报送单位补正材料，本次报送不再审查，须补正后重新报送。", effect=_effect("on_returned"), notify=_notify("notify_unit")),
        Transition(ItemState.RETURNED, "resubmit", ItemState.SUBMITTED, "重新报送", roles=UNIT_ROLES,
                   effect=_effect("on_resubmit")),
        Transition(ItemState.SUBMITTED, "withdraw", ItemState.WITHDRAWN, "撤回", roles=UNIT_ROLES,
                   requires_reason=True, confirm=WITHDRAW_CONFIRM),
        Transition(ItemState.RETURNED, "withdraw", ItemState.WITHDRAWN, "撤回", roles=UNIT_ROLES,
                   requires_reason=True, confirm=WITHDRAW_CONFIRM),
        Transition(ItemState.FIRST_REVIEW, "first_opinion", ItemState.SECOND_REVIEW, "提交初审意见",
                   roles=(Role.DUTY_LAWYER,), effect=_effect("on_tier_done"), notify=_notify("notify_assigned")),
        Transition(ItemState.SECOND_REVIEW, "second_opinion", ItemState.FINAL_REVIEW, "提交复审意见",
                   roles=(Role.EXPERT_LAWYER,), effect=_effect("on_tier_done"), notify=_notify("notify_assigned")),
        Transition(ItemState.FINAL_REVIEW, "final_opinion", ItemState.OPINION_ISSUED, "终审并出具意见书",
                   roles=OFFICE, guard=_final_guard, effect=_effect("on_final"), notify=_notify("notify_unit")),
        *[Transition(state, "return_revision", ItemState.RETURNED, "退回修改", roles=REVIEWERS,
                     requires_reason=True, confirm="将退回报送单位修改，本轮审查结束，修改后须重新送审。", effect=_effect("on_returned"), notify=_notify("notify_unit"))
          for state in (Tier.FIRST, Tier.SECOND, Tier.FINAL)],
        Transition(ItemState.OPINION_ISSUED, "confirm_adoption", ItemState.ADOPTION_RECORDED, "确认采纳情况",
                   roles=UNIT_ROLES, guard=_all_answered),
        Transition(ItemState.OPINION_ISSUED, "clear", ItemState.CLEARED, "准予提交集体讨论/印发",
                   roles=UNIT_ROLES, guard=_may_clear, effect=_effect("on_cleared"), confirm=CLEAR_CONFIRM),
        Transition(ItemState.ADOPTION_RECORDED, "clear", ItemState.CLEARED, "准予提交集体讨论/印发",
                   roles=UNIT_ROLES, guard=_may_clear, effect=_effect("on_cleared"), confirm=CLEAR_CONFIRM),
        Transition(ItemState.OPINION_ISSUED, "revise", ItemState.RETURNED, "修改后重新送审", roles=UNIT_ROLES,
                   requires_reason=True, confirm=REVISE_CONFIRM),
        Transition(ItemState.ADOPTION_RECORDED, "revise", ItemState.RETURNED, "修改后重新送审",
                   roles=UNIT_ROLES, requires_reason=True, confirm=REVISE_CONFIRM),
        Transition(ItemState.CLEARED, "file", ItemState.FILED, "登记备案", roles=UNIT_ROLES + OFFICE,
                   effect=_effect("on_filed"), confirm="将登记备案，审查事项随之办结，备案后不能再修改。"),
    ],
)

OPINION_ACTION = {Tier.FIRST: "first_opinion", Tier.SECOND: "second_opinion", Tier.FINAL: "final_opinion"}
ADOPTION_CHOICES = Adoption.choices
