"""Reads of the enforcement app, already scoped (`visible_to`)."""

from datetime import date

from django.db.models import Count, F, Q, Sum

from yifa.deadlines.models import Warning
from yifa.deadlines.selectors import deadlines_for_owner

from .models import (Case, DiscretionBenchmark, EnforcementBody, EnforcementItem, Officer, OnTimeRollup,
                     ProcessRecord, PublicityState)


def bodies(user):
    return EnforcementBody.objects.visible_to(user).select_related("org")


def officers(user):
    return Officer.objects.visible_to(user).select_related("org")


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


def case_warnings(case):
    ids = [d.pk for d in deadlines_for_owner(case)]
    return list(Warning.objects.filter(deadline_id__in=ids).select_related("deadline__rule"))


def _subtree_ids(org):
    from yifa.orgs.models import Organization

    return Organization.objects.filter(path__startswith=org.path).values("pk")


def board(user, today: date, *, org=None) -> dict:
    """The monitoring board: counts of open cases by due state, unit, handler and item,
    each a grouped count over the (is_open, …) indexes; the on-time rate from the rollup."""
    qs = Case.objects.visible_to(user).filter(is_open=True).order_by()
    if org is not None:
        qs = qs.filter(org_id__in=_subtree_ids(org))
    totals = qs.aggregate(
        total=Count("id"),
        red=Count("id", filter=Q(due__lt=today)),
        yellow=Count("id", filter=Q(yellow_from__lte=today, due__gte=today)),
    )
    totals["normal"] = totals["total"] - totals["red"] - totals["yellow"]
    status_counts = lambda key: (qs.order_by().values(key).annotate(  # noqa: E731
        total=Count("id"), red=Count("id", filter=Q(due__lt=today)),
        yellow=Count("id", filter=Q(yellow_from__lte=today, due__gte=today))).order_by("-red", "-total"))
    by_org = list(status_counts("org_id"))
    # driven from the open cases (partial index), joined to their officers
    by_officer = list(qs.filter(officers__isnull=False).values(officer_id=F("officers")).annotate(
        total=Count("id"), red=Count("id", filter=Q(due__lt=today)),
        yellow=Count("id", filter=Q(yellow_from__lte=today, due__gte=today))).order_by("-red", "-total")[:20])
    officer_map = {o.pk: o for o in Officer.objects.filter(pk__in=[r["officer_id"] for r in by_officer])}
    for r in by_officer:
        r["officer"] = officer_map.get(r["officer_id"])
    by_handler = list(status_counts("handler_id")[:20])
    by_item = list(status_counts("item_id")[:20])
    from yifa.orgs.models import Organization, User

    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=[r["org_id"] for r in by_org])}
    users = {u.pk: u for u in User.objects.filter(pk__in=[r["handler_id"] for r in by_handler if r["handler_id"]])}
    item_map = {i.pk: i for i in EnforcementItem.objects.filter(pk__in=[r["item_id"] for r in by_item])}
    for r in by_org:
        r["org"] = orgs.get(r["org_id"])
    for r in by_handler:
        r["handler"] = users.get(r["handler_id"])
    for r in by_item:
        r["item"] = item_map.get(r["item_id"])
    return {"totals": totals, "by_org": by_org, "by_handler": by_handler, "by_officer": by_officer, "by_item": by_item,
            "trend": on_time_trend(user, org=org), "by_org_rate": on_time_by_org(user, org=org)}


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
    qs = _rollups(user, org)
    if since is not None:
        qs = qs.filter(month__gte=since)
    rows = qs.values("org_id", "org__name").annotate(closed=Sum("closed"), on_time=Sum("on_time")).order_by("org__name")
    return [{"org_id": r["org_id"], "org_name": r["org__name"], "closed": r["closed"], "on_time": r["on_time"],
             "rate": round(100 * r["on_time"] / r["closed"], 1) if r["closed"] else None} for r in rows]


def board_cases(user, today, *, status=None, org=None, handler=None, item=None, officer=None):
    """The cases behind a board figure (drill-down), ordered by due date."""
    qs = cases(user).filter(is_open=True)
    if status in ("red", "yellow", "normal"):
        qs = qs.with_status(status, today)
    if org is not None:
        qs = qs.filter(org_id__in=_subtree_ids(org))
    if handler is not None:
        qs = qs.filter(handler_id=handler)
    if item is not None:
        qs = qs.filter(item_id=item)
    if officer is not None:
        qs = qs.filter(pk__in=Case.officers.through.objects.filter(officer_id=officer).values("case_id"))
    return qs.order_by("due", "id")


def published_cases():
    """Public page: decisions published and not withdrawn (any unit: public by law)."""
    return (Case.objects.filter(publicity_state=PublicityState.PUBLISHED)
            .select_related("org", "item").order_by("-published_on", "-id"))
