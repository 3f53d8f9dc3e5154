"""Reads of the complaints app, always scoped (visible_to) except the public query."""

from datetime import date

from django.db.models import Count, F, Q

from yifa.core import clock
from yifa.orgs.models import Organization

from .models import Complaint, ComplaintSource, ComplaintState


def complaints_visible_to(user):
    return Complaint.objects.visible_to(user).select_related("org", "subject_unit")


def units_for_public():
    """Units a member of the public may name: the active enforcement units (departments,
    townships) of the county and their sub-units."""
    return Organization.objects.filter(is_active=True, kind__in=["department", "township"]).order_by("sort_order",
                                                                                                       "path")


def units_in_scope(user):
    root = user.scope_root
    if root is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=root.path, is_active=True).order_by("path")


def _summary(qs, today):
    agg = qs.aggregate(
        total=Count("id"),
        to_route=Count("id", filter=Q(state=ComplaintState.RECEIVED)),
        routed=Count("id", filter=Q(state=ComplaintState.ROUTED)),
        replied=Count("id", filter=Q(state=ComplaintState.REPLIED)),
        closed=Count("id", filter=Q(state=ComplaintState.CLOSED)),
        rejected=Count("id", filter=Q(state=ComplaintState.REJECTED)),
        answered=Count("id", filter=Q(replied_on__isnull=False)),
        answered_on_time=Count("id", filter=Q(replied_on__isnull=False, due__isnull=False, replied_on__lte=F("due"))),
        overdue_open=Count("id", filter=Q(state=ComplaintState.ROUTED, due__lt=today)),
        to_finding=Count("id", filter=Q(finding__isnull=False)),
        hotline=Count("id", filter=Q(source=ComplaintSource.HOTLINE)),
    )
    agg["on_time_rate"] = round(100 * agg["answered_on_time"] / agg["answered"], 1) if agg["answered"] else None
    return agg


def complaint_metrics(org, start: date, end: date, today: date | None = None) -> dict:
    """Figures for `org`'s subtree over complaints received in [start, end]: totals by
    state, answered on time, overdue now, turned into findings, by source and by unit."""
    today = today or clock.today()
    qs = Complaint.objects.in_subtree(org).filter(received_on__gte=start, received_on__lte=end)
    out = _summary(qs, today)
    out["by_source"] = {r["source"]: r["n"] for r in qs.values("source").annotate(n=Count("id")).order_by()}
    out["by_unit"] = list(qs.values("org", "org__name").annotate(n=Count("id")).order_by("-n", "org__name"))
    return out


def statistics(user, start: date, end: date, today: date):
    qs = Complaint.objects.visible_to(user).filter(received_on__gte=start, received_on__lte=end)
    summary = _summary(qs, today)
    by_source = [{"key": k, "label": ComplaintSource(k).label, **v} for k, v in _group(qs, "source", today)]
    by_state = [{"key": r["state"], "label": ComplaintState(r["state"]).label, "n": r["n"]}
                for r in qs.values("state").annotate(n=Count("id")).order_by("state")]
    by_unit = list(qs.values("org", "org__name").annotate(
        n=Count("id"), answered=Count("id", filter=Q(replied_on__isnull=False)),
        on_time=Count("id", filter=Q(replied_on__isnull=False, due__isnull=False, replied_on__lte=F("due"))),
        overdue=Count("id", filter=Q(state=ComplaintState.ROUTED, due__lt=today)),
    ).order_by("-n", "org__name"))
    for r in by_unit:
        r["rate"] = round(100 * r["on_time"] / r["answered"], 1) if r["answered"] else None
    return {"summary": summary, "by_source": by_source, "by_state": by_state, "by_unit": by_unit}


def _group(qs, field, today):
    rows = qs.values(field).annotate(
        n=Count("id"), answered=Count("id", filter=Q(replied_on__isnull=False)),
        overdue=Count("id", filter=Q(state=ComplaintState.ROUTED, due__lt=today))).order_by(field)
    return [(r[field], {"n": r["n"], "answered": r["answered"], "overdue": r["overdue"]}) for r in rows]
