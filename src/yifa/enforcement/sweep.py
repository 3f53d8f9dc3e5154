"""Sweep task: late publicity. The deadlines sweep already warns on every tracked
deadline (handler, the unit's supervision unit, the supervision office); this task adds
the case-level notice that a decision is published late, linking to the case, and is
idempotent through the notification dedupe key."""

from django.urls import reverse

from yifa.core.services import notify
from yifa.core.sweep import register, register_startup
from yifa.deadlines.models import TrackedDeadline
from yifa.deadlines.signals import deadline_rescheduled

from .imports import fail_interrupted
from .models import Case, PublicityState

PUBLICITY_RULES = ("penalty.publicity", "permit.publicity", "enforcement.publicity")


@register("enforcement", per_unit=True)
def sweep_publicity(today, org_ids=None) -> dict[str, int]:
    """Late publicity and catch-up deadlines of the cases of `org_ids` (None: every unit)."""
    late = TrackedDeadline.objects.red(today).filter(owner_type="enforcement.case", rule__code__in=PUBLICITY_RULES)
    if org_ids is not None:
        late = late.filter(org_id__in=org_ids)
    late = late.values_list("owner_id", "due")
    due_by_case = {int(owner_id): due for owner_id, due in late}
    created = 0
    if due_by_case:
        for case in (Case.objects.filter(pk__in=list(due_by_case), publicity_state=PublicityState.PENDING)
                     .select_related("handler")):
            created += notify(recipients=[case.handler], level="red",
                              title=f"【公示超期】{case.case_no} {case.title}",
                              body=f"行政执法决定应于 {due_by_case[case.pk]:%Y-%m-%d} 前公示（国办发〔2018〕118号）。",
                              url=reverse("enforcement:case_detail", args=[case.pk]),
                              dedupe_key=f"enforcement:publicity_late:{case.pk}")
    return {"late_publicity": len(due_by_case), "notifications": created,
            "pending_deadlines_started": start_pending_deadlines(today, org_ids)}


@register("enforcement.board")
def sweep_board(today) -> dict[str, int]:
    """Whole-database steps: the board's open-load rollup (once a day) and imports cut off."""
    return {"board_rollup_rebuilt": roll_board_forward(today), "imports_interrupted": fail_interrupted()}


def roll_board_forward(today) -> int:
    """The board's open-load rollup counts red/yellow for one day: once a day, recompute it
    for today (a scan of the open cases only, over the partial indexes). Returns 1 if it
    was rebuilt, 0 if it was already current (the sweep stays idempotent)."""
    from .services import load_as_of, rebuild_open_load

    if load_as_of() == today:
        return 0
    rebuild_open_load(today, force=False)
    return 1


def start_pending_deadlines(today, org_ids=None) -> int:
    """Catch-up for cases recorded before deadlines reaching a year without a holiday
    notice were started provisionally (they used to be left without one): open cases
    lacking their filing deadline, and served fines lacking the party's payment period.
    Index scan on (is_open, due); idempotent (a started deadline is never started twice)."""
    from django.db import transaction

    from .models import Sanction
    from .services import refresh_monitoring, start_filing_deadlines
    from .workflows import FILING_DEADLINES, start_payment_deadline

    def has(case, codes):
        return TrackedDeadline.objects.filter(owner_type="enforcement.case", owner_id=str(case.pk),
                                              rule__code__in=codes).exists()

    started = 0
    candidates = Case.objects.filter(is_open=True, due__isnull=True, case_type__in=["penalty", "permit"],
                                     state__in=["filed", "investigating", "notified", "hearing", "legal_review",
                                                "applied"])
    if org_ids is not None:
        candidates = candidates.filter(org_id__in=org_ids)
    for case in candidates.select_related("org", "handler")[:1000]:
        codes = FILING_DEADLINES.get((case.case_type, case.procedure), ())
        if not codes or has(case, codes):
            continue
        with transaction.atomic():
            start_filing_deadlines(case)
            refresh_monitoring(case)
        started += 1
    unpaid = Case.objects.filter(is_open=True, state="served", sanction=Sanction.FINE, amount__gt=0,
                                 served_on__isnull=False, paid_on__isnull=True)
    if org_ids is not None:
        unpaid = unpaid.filter(org_id__in=org_ids)
    for case in unpaid.select_related("org", "handler")[:1000]:
        if not has(case, ["penalty.payment"]):
            with transaction.atomic():
                start_payment_deadline(case)
                refresh_monitoring(case)
            started += 1
    return started


def _case_deadline_rescheduled(sender, deadline, old_due, **kwargs):
    """A case keeps its nearest active deadline on its own indexed columns (the board's):
    refresh them when a provisional deadline of the case is recomputed."""
    if deadline.owner_type != "enforcement.case":
        return
    from .services import refresh_monitoring

    case = Case.objects.filter(pk=deadline.owner_id).first()
    if case is not None and case.is_open:
        refresh_monitoring(case)


deadline_rescheduled.connect(_case_deadline_rescheduled, dispatch_uid="enforcement.case_deadline_rescheduled")


register_startup(fail_interrupted)
