"""The process of a 通知书 or 意见书: rectifying → submitted → accepted → closed, with
rejection sending it back to rectifying (the unit resubmits); escalation moves an
unrectified one to the next instrument."""

from yifa.core import clock
from yifa.core.workflows import By, GuardFailed, Transition, Workflow

from .models import LetterState, OpinionLetter, ReportResult
from .services import (SUPERVISING_ROLES, letter_accepted_effect, letter_closed_effect, letter_rejected_effect,
                       notify_letter_unit)

RULE = "《行政执法监督条例》；县行政执法监督办法"


def _pending_report_with_evidence(letter, actor, payload):
    r = letter.reports.filter(result=ReportResult.PENDING).order_by("-round").first()
    if r is None or not (r.evidence.strip() or r.files.exists()):
        raise GuardFailed("须先报送附佐证材料（说明或文件）的整改报告", rule=RULE)


def _reviewer_not_submitter(letter, actor, payload):
    r = letter.reports.filter(result=ReportResult.PENDING).order_by("-round").first()
    if r is None:
        raise GuardFailed("没有待审核的整改报告", rule=RULE)
    if actor is not None and r.submitted_by_id == actor.pk:
        raise GuardFailed("整改报告的报送人不能审核本人报送的报告", rule=RULE)


def _escalable(letter, actor, payload):
    from .services import letter_escalable_reason

    if not letter_escalable_reason(letter, payload.get("on") or clock.today()):
        raise GuardFailed("只有整改逾期或整改报告未予认可的通知书、意见书才能升级", rule=RULE)


def _has_accepted_report(letter, actor, payload):
    if not letter.reports.filter(result=ReportResult.ACCEPTED).exists():
        raise GuardFailed("整改未经认可的通知书、意见书不能办结", rule=RULE)


LETTER = Workflow(
    "supervision_letter", model=OpinionLetter, state_labels=dict(LetterState.choices),
    transitions=[
        Transition(LetterState.RECTIFYING, "submit", LetterState.SUBMITTED, "报送整改报告",
                   guard=_pending_report_with_evidence),
        Transition(LetterState.SUBMITTED, "accept", LetterState.ACCEPTED, "认可整改", roles=SUPERVISING_ROLES,
                   by=By.ISSUER, guard=_reviewer_not_submitter, effect=letter_accepted_effect,
                   stops=("supervision.rectification",), notify=notify_letter_unit("整改已认可")),
        Transition(LetterState.SUBMITTED, "reject", LetterState.RECTIFYING, "不予认可，退回重新整改",
                   roles=SUPERVISING_ROLES, by=By.ISSUER, guard=_reviewer_not_submitter,
                   effect=letter_rejected_effect,
                   requires_reason=True, notify=notify_letter_unit("整改未予认可，请重新整改并报送")),
        Transition(LetterState.RECTIFYING, "escalate", LetterState.ESCALATED, "升级（通知书升级为意见书，意见书升级为监督决定书）",
                   roles=SUPERVISING_ROLES, by=By.ISSUER, guard=_escalable, requires_reason=True,
                   stops=("supervision.rectification",)),
        Transition(LetterState.ACCEPTED, "close", LetterState.CLOSED, "办结", roles=SUPERVISING_ROLES,
                   by=By.ISSUER, guard=_has_accepted_report, effect=letter_closed_effect),
    ])
