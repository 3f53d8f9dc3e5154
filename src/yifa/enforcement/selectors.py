"""Reads of the enforcement app, already scoped (`visible_to`)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from yifa.core import clock
from yifa.deadlines.models import Warning
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.orgs.selectors import subtree_ids

from .models import (Case, DiscretionBenchmark, EnforcementBody, EnforcementItem, Officer, OnTimeRollup,
                     OpenLoadRollup, ProcessRecord, PublicityState)


def bodies(user):
    return EnforcementBody.objects.visible_to(user).select_related("org")


def officers(user):
    """Officers in scope, with this year's training hours computed from attendance (the
    training app holds the only record of hours)."""
    from yifa.training.selectors import hours_subquery, year_bounds

    start, end = year_bounds(clock.today().year)
    return Officer.objects.visible_to(user).select_related("org").annotate(hours_this_year=hours_subquery(start, end))


def items(user):
    return EnforcementItem.objects.visible_to(user).select_related("org")


def benchmarks(user):
    return DiscretionBenchmark.objects.visible_to(user).select_related("item")


def cases(user):
    return Case.objects.visible_to(user).select_related("org", "item", "handler")


def records(user):
    return ProcessRecord.objects.visible_to(user).select_related("case", "uploaded_by")


def case_deadlines(case):
    return list(deadlines_for_owner(case).order_by("start", "id"))


def case_warnings(case, deadlines=None):
    """The warnings of the case's deadlines (pass the deadlines already read to save a query)."""
    deadlines = case_deadlines(case) if deadlines is None else deadlines
    by_id = {d.pk: d for d in deadlines}
    warnings = list(Warning.objects.filter(deadline_id__in=list(by_id)).order_by("-created_on", "-id")[:50])
    for w in warnings:
        w.deadline = by_id[w.deadline_id]
    return warnings


def case_documents(case):
    """The official documents issued for the case (法制审核意见书, …), newest first."""
    from yifa.documents.models import IssuedDocument

    return list(IssuedDocument.objects.filter(owner_type=case._meta.label_lower, owner_id=str(case.pk))
                .order_by("-id")[:20])


DETAIL_PAGE = 20


def page_of(qs, page, per=DETAIL_PAGE):
    """(rows, page, has_next) of one page, without a COUNT."""
    try:
        page = max(1, int(page or 1))
    except (TypeError, ValueError):
        page = 1
    rows = list(qs[(page - 1) * per: page * per + 1])
    return rows[:per], page, len(rows) > per


def case_records(case, page=1):
    """One page of the case's process records, newest first."""
    return page_of(ProcessRecord.objects.filter(case_id=case.pk).select_related("uploaded_by")
                   .order_by("-uploaded_at", "-id"), page)


def case_history(case, page=1):
    """One page of the case's audit events, newest first (the full trail is in the audit app)."""
    from yifa.audit.models import AuditEvent
    from yifa.audit.services import object_type_of

    return page_of(AuditEvent.objects.filter(object_type=object_type_of(case), object_id=str(case.pk))
                   .order_by("-id"), page)


def _board_root(user, org):
    """The unit the board is for: `org` when it lies in the user's scope, else the scope."""
    if user is None or not getattr(user, "is_authenticated", False) or user.scope_root is None:
        return None
    return org if org is not None and org.path.startswith(user.scope_root.path) else user.scope_root


def _load_rows(user, org, dim):
    from yifa.orgs.models import Organization

    qs = OpenLoadRollup.objects.filter(dim=dim)
    root = _board_root(user, org)
    if root is None:
        return qs.none()
    return qs.filter(org_id__in=Organization.objects.filter(path__startswith=root.path).values("pk"))


def _branch(root):
    """The segment of a rollup row's unit path just below `root`: the id (zero-padded) of
    the branch of the tree the row belongs to, "" for the root's own rows. Grouping by it
    gives one row per unit one level down whatever the depth of the tree (a province board
    lists its counties, a county board its departments and townships)."""
    from django.db.models import F
    from django.db.models.functions import Substr

    from yifa.orgs.models import PATH_SEGMENT

    return Substr(F("org__path"), len(root.path) + 1, PATH_SEGMENT)


def _branch_units(root, keys) -> dict:
    """{branch key: unit} for the keys `_branch` produced ("" is the root itself)."""
    from yifa.orgs.models import PATH_SEGMENT, Organization

    ids = {int(k) for k in keys if k}
    units = {f"{o.pk:0{PATH_SEGMENT}d}": o for o in Organization.objects.filter(pk__in=ids)} if ids else {}
    if "" in keys:
        units[""] = root
    return units


def ensure_load_current(today: date) -> date:
    """The rollup's red/yellow are for one day; the daily sweep moves it on. If the sweep
    has not run yet today, rebuild it now (once: later calls find the day current)."""
    from . import services

    if services.load_as_of() != today:
        services.rebuild_open_load(today, force=False)
    return today


def board(user, today: date, *, org=None) -> dict:
    """The monitoring board: counts of open cases by due state, unit, handler, officer and
    item, read from the open-load rollup (maintained by the services, rebuilt daily by the
    sweep); the on-time rate from the monthly on-time rollup. No case is scanned here."""
    ensure_load_current(today)

    def grouped(dim, limit=None):
        qs = (_load_rows(user, org, dim).values("key").annotate(total=Sum("total"), red=Sum("red"),
                                                                   yellow=Sum("yellow"))
              .filter(total__gt=0).order_by("-red", "-total", "key"))
        return list(qs[:limit] if limit else qs)

    root = _board_root(user, org)
    by_org = []
    if root is not None:
        rows = list(_load_rows(user, org, "org").annotate(branch=_branch(root)).values("branch")
                    .annotate(total=Sum("total"), red=Sum("red"), yellow=Sum("yellow"))
                    .filter(total__gt=0).order_by("-red", "-total", "branch"))
        units = _branch_units(root, {r["branch"] for r in rows})
        for r in rows:
            unit = units.get(r["branch"])
            by_org.append({"org_id": unit.pk if unit else None, "own": r["branch"] == "", "total": r["total"],
                           "red": r["red"], "yellow": r["yellow"], "branch": r["branch"]})
    totals = {"total": sum(r["total"] for r in by_org), "red": sum(r["red"] for r in by_org),
              "yellow": sum(r["yellow"] for r in by_org)}
    totals["normal"] = totals["total"] - totals["red"] - totals["yellow"]
    by_handler = [{"handler_id": r["key"] or None, **r} for r in grouped("handler", 20)]
    by_officer = [{"officer_id": r["key"], **r} for r in grouped("officer", 20)]
    by_item = [{"item_id": r["key"], **r} for r in grouped("item", 20)]
    from yifa.orgs.models import Organization, User

    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=[r["org_id"] for r in by_org if r["org_id"]])}
    users = {u.pk: u for u in User.objects.filter(pk__in=[r["handler_id"] for r in by_handler if r["handler_id"]])}
    item_map = {i.pk: i for i in EnforcementItem.objects.filter(pk__in=[r["item_id"] for r in by_item])}
    officer_map = {o.pk: o for o in Officer.objects.filter(pk__in=[r["officer_id"] for r in by_officer])}
    for rows, id_key, name, objs in ((by_org, "org_id", "org", orgs), (by_handler, "handler_id", "handler", users),
                                     (by_item, "item_id", "item", item_map),
                                     (by_officer, "officer_id", "officer", officer_map)):
        for r in rows:
            r.pop("key", None)
            r.pop("branch", None)
            r[name] = objs.get(r[id_key])
    return {"totals": totals, "by_org": by_org, "by_handler": by_handler, "by_officer": by_officer, "by_item": by_item,
            "trend": on_time_trend(user, org=org), "by_org_rate": on_time_by_org(user, org=org), "as_of": today}


def _rollups(user, org=None):
    qs = OnTimeRollup.objects.visible_to(user)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs


def on_time_trend(user, *, org=None, months: int = 36) -> list[dict]:
    rows = (_rollups(user, org).values("month").annotate(closed=Sum("closed"), on_time=Sum("on_time"))
            .order_by("-month")[:months])
    out = [{"month": r["month"].strftime("%Y-%m"), "closed": r["closed"], "on_time": r["on_time"],
            "rate": round(100 * r["on_time"] / r["closed"], 1) if r["closed"] else None} for r in rows]
    return list(reversed(out))


def on_time_by_org(user, *, org=None, since: date | None = None) -> list[dict]:
    """按时办结率 per unit one level below the board's unit (its own cases as 本级)."""
    root = _board_root(user, org)
    if root is None:
        return []
    qs = _rollups(user, root)
    if since is not None:
        qs = qs.filter(month__gte=since)
    rows = list(qs.annotate(branch=_branch(root)).values("branch")
                .annotate(closed=Sum("closed"), on_time=Sum("on_time")).order_by("branch"))
    units = _branch_units(root, {r["branch"] for r in rows})
    out = []
    for r in rows:
        unit = units.get(r["branch"])
        if unit is None:
            continue
        name = f"{unit.name}（本级）" if r["branch"] == "" else unit.name
        out.append({"org_id": unit.pk, "org_name": name, "closed": r["closed"], "on_time": r["on_time"],
                    "rate": round(100 * r["on_time"] / r["closed"], 1) if r["closed"] else None})
    return sorted(out, key=lambda r: r["org_name"])


def board_cases(user, today, *, status=None, org=None, handler=None, item=None, officer=None, provisional=False):
    """The cases behind a board figure (drill-down), ordered by due date: one query over the
    partial (is_open, org, due) indexes. A unit filter replaces the user's scope subquery
    when the unit lies inside it (it is narrower), otherwise the scope applies."""
    if org is not None and user is not None and getattr(user, "scope_root", None) is not None \
            and org.path.startswith(user.scope_root.path):
        # the unit's ids as literals: the planner then walks (org, due) for just these units,
        # where a subquery makes it walk every open case in due order (SQLite)
        qs = Case.objects.filter(org_id__in=subtree_ids(org))
    else:
        qs = Case.objects.visible_to(user)
    qs = qs.filter(is_open=True).select_related("org", "handler")
    if status in ("red", "yellow", "normal"):
        qs = qs.with_status(status, today)
    if handler is not None:
        qs = qs.filter(handler_id=handler)
    if item is not None:
        qs = qs.filter(item_id=item)
    if officer is not None:
        qs = qs.filter(pk__in=Case.officers.through.objects.filter(officer_id=officer).values("case_id"))
    if provisional:
        qs = qs.filter(due_provisional=True)
    return qs.order_by("due", "id")


COUNT_CAP = 1000


def capped_count(qs, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): counts at most `cap` + 1 rows, so a long list never costs a full count."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def published_cases():
    """Public page: decisions published and not withdrawn (any unit: public by law)."""
    return (Case.objects.filter(publicity_state=PublicityState.PUBLISHED)
            .select_related("org", "item").order_by("-published_on", "-id"))


# --- late payment (行政处罚法 art. 72) ------------------------------------------------------

SURCHARGE_RATE = Decimal("0.03")  # 每日按罚款数额的百分之三加处罚款


@dataclass(frozen=True)
class PausedPeriod:
    """A reconsideration or suit whose days are left out of the surcharge (art. 73 ¶3)."""

    kind_label: str
    reference: str
    start: date
    end: date | None   # None: still running
    days: int          # overdue days this period leaves out

    @property
    def text(self) -> str:
        until = f"{self.end:%Y-%m-%d}" if self.end else "今（仍在进行）"
        return f"{self.kind_label}（{self.reference}）自 {self.start:%Y-%m-%d} 至 {until}，不计 {self.days} 日"


@dataclass(frozen=True)
class Surcharge:
    """加处罚款 of an unpaid (or late-paid) fine as of `on`: 3% of the fine per day after the
    payment deadline, never more than the fine itself (行政处罚法 art. 72 ¶1(1)); the days
    of a reconsideration or suit against the decision are not counted (art. 73 ¶3)."""

    due: date            # last day to pay
    provisional: bool    # the due date waits for next year's holiday notice
    days: int            # days counted as of `on` (or until payment), paused days left out
    amount: Decimal      # surcharge so far, capped at the fine
    capped: bool
    paid_on: date | None
    excluded_days: int = 0                      # overdue days inside reconsideration/litigation
    paused: tuple[PausedPeriod, ...] = ()       # the periods that overlap the overdue days

    @property
    def text(self) -> str:
        if self.days <= 0:
            return ""
        until = f"至缴纳之日（{self.paid_on:%Y-%m-%d}）" if self.paid_on else "至今"
        cap = "，已达罚款数额上限" if self.capped else ""
        paused = f"（另有 {self.excluded_days} 日为申请复议、提起诉讼期间，不予计算）" if self.excluded_days else ""
        return (f"逾期{until} {self.days} 日{paused}，每日按罚款数额 3% 加处罚款 {self.amount:,.2f} 元{cap}"
                f"（《行政处罚法》第七十二条、第七十三条第三款）")

    @property
    def paused_text(self) -> str:
        """Why days were left out, in words (empty when none were)."""
        if not self.excluded_days:
            return ""
        return ("申请行政复议、提起行政诉讼期间不计算加处罚款（《行政处罚法》第七十三条第三款），共不计 "
                f"{self.excluded_days} 日：" + "；".join(p.text for p in self.paused))


def with_payment_due(qs):
    """Cases annotated with their payment deadline (`payment_due`, `payment_due_provisional`)
    in the same query, so a list computes every surcharge without a query per case."""
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast

    from yifa.deadlines.models import TrackedDeadline

    payment = (TrackedDeadline.objects.filter(owner_type=Case._meta.label_lower,
                                              owner_id=Cast(OuterRef("pk"), CharField()),
                                              rule__code="penalty.payment").order_by("-id"))
    return qs.annotate(payment_due=Subquery(payment.values("due")[:1]),
                       payment_due_provisional=Subquery(payment.values("provisional")[:1]))


def _overlap(start: date, end: date, lo: date, hi: date) -> tuple[date, date] | None:
    a, b = max(start, lo), min(end, hi)
    return (a, b) if a <= b else None


def late_payment_surcharge(case, on: date | None = None, periods=None) -> Surcharge | None:
    """None when the case has no fine or no payment deadline yet. Uses the annotation of
    `with_payment_due` when the case carries it, else reads the deadline. `periods`: the
    case's reconsideration/litigation periods (`remedies.periods_for`) when the caller read
    them for a whole page; else they are read here, only for a fine that is overdue.

    Days counted are the days after the due date up to payment (or `on`); a day from the
    filing of a reconsideration or suit to the day its outcome took effect is not counted
    (a period still running pauses the count up to `on`)."""
    if case.sanction != "fine" or not case.amount:
        return None
    if hasattr(case, "payment_due"):
        due, provisional = case.payment_due, bool(case.payment_due_provisional)
    else:
        d = deadlines_for_owner(case).filter(rule__code="penalty.payment").order_by("-id").first()
        due, provisional = (d.due, d.provisional) if d is not None else (None, False)
    if due is None:
        return None
    on = on or clock.today()
    end = min(case.paid_on, on) if case.paid_on else on
    overdue = max((end - due).days, 0)
    paused: list[PausedPeriod] = []
    excluded = 0
    if overdue:
        if periods is None:
            from .remedies import periods_for

            periods = periods_for([case.pk]).get(case.pk, [])
        first_overdue = due + timedelta(days=1)
        spans = []
        for p in periods:
            span = _overlap(p.start, p.end or end, first_overdue, end)
            if span is None:
                continue
            spans.append(span)
            paused.append(PausedPeriod(kind_label=p.kind_label, reference=p.reference, start=p.start, end=p.end,
                                       days=(span[1] - span[0]).days + 1))
        # the union of the spans, so overlapping periods leave a day out once
        cursor = None
        for a, b in sorted(spans):
            if cursor is not None and a <= cursor:
                a = cursor + timedelta(days=1)
            if a <= b:
                excluded += (b - a).days + 1
            cursor = b if cursor is None else max(cursor, b)
    days = overdue - excluded
    raw = (case.amount * SURCHARGE_RATE * days).quantize(Decimal("0.01"))
    amount = min(raw, case.amount)
    return Surcharge(due=due, provisional=provisional, days=days, amount=amount, capped=raw >= case.amount,
                     paid_on=case.paid_on, excluded_days=excluded, paused=tuple(paused))
