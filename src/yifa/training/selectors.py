"""Reads of the training app, always scoped.

An officer's hours in a year = the sum of `hours_credited` of their attended sessions
held that year (the only record of hours: officers carry no typed-in hours field).
The required hours for an officer's year come from the nearest `HoursRequirement` of the
officer's unit or an ancestor for that year, else `YIFA_TRAINING_REQUIRED_HOURS` (env or
settings), else 60. Everything is annotated in SQL: one query per list, whatever the size.
"""

import os
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (Case, CharField, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When)
from django.db.models.functions import Coalesce

from yifa.core import clock
from yifa.enforcement.models import Officer, OfficerStatus
from yifa.orgs.models import Organization

from .models import Attendance, AttendanceStatus, HoursRequirement, Training

DEFAULT_REQUIRED_HOURS = Decimal("60")
EXPIRING_SOON_DAYS = 90
EXPIRING_URGENT_DAYS = 30
HOURS = DecimalField(max_digits=7, decimal_places=1)

CERT_LABELS = {"valid": "有效", "expiring_90": "90天内到期", "expiring_30": "30天内到期", "invalid": "无效"}
CERT_BADGES = {"valid": "success", "expiring_90": "warning", "expiring_30": "danger", "invalid": "dark"}


def default_required_hours() -> Decimal:
    value = getattr(settings, "YIFA_TRAINING_REQUIRED_HOURS", None) or os.environ.get("YIFA_TRAINING_REQUIRED_HOURS")
    try:
        value = Decimal(str(value)) if value not in (None, "") else DEFAULT_REQUIRED_HOURS
    except ArithmeticError:
        return DEFAULT_REQUIRED_HOURS
    return value if value > 0 else DEFAULT_REQUIRED_HOURS


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _requirements(year: int):
    """(path, hours) of the year's settings, most specific (longest path) first."""
    rows = HoursRequirement.objects.filter(year=year).values_list("org__path", "hours")
    return sorted(rows, key=lambda r: -len(r[0]))


def required_expression(year: int, path_field="org__path"):
    """SQL expression: the required hours of the row's unit for `year`."""
    reqs = _requirements(year)
    default = Value(default_required_hours(), output_field=HOURS)
    if not reqs:
        return default
    return Case(*[When(**{f"{path_field}__startswith": p}, then=Value(h, output_field=HOURS)) for p, h in reqs],
                default=default, output_field=HOURS)


def required_hours_for(org: Organization, year: int) -> Decimal:
    for path, hours in _requirements(year):
        if org.path.startswith(path):
            return hours
    return default_required_hours()


def hours_subquery(start: date, end: date):
    return Coalesce(Subquery(
        Attendance.objects.filter(officer=OuterRef("pk"), status=AttendanceStatus.ATTENDED,
                                  held_on__gte=start, held_on__lte=end)
        .order_by().values("officer").annotate(s=Sum("hours_credited")).values("s")[:1], output_field=HOURS),
        Value(Decimal("0"), output_field=HOURS), output_field=HOURS)


def cert_state_expression(today: date):
    return Case(
        When(~Q(status=OfficerStatus.ACTIVE) | Q(valid_to__lt=today) | Q(valid_from__gt=today), then=Value("invalid")),
        When(valid_to__lte=today + timedelta(days=EXPIRING_URGENT_DAYS), then=Value("expiring_30")),
        When(valid_to__lte=today + timedelta(days=EXPIRING_SOON_DAYS), then=Value("expiring_90")),
        default=Value("valid"), output_field=CharField())


def annotate_officers(qs, *, year: int, today: date, start: date | None = None, end: date | None = None,
                      required=None):
    """Hours in [start, end] (default: the year), required hours, shortfall flag and
    certificate state, all in SQL."""
    if start is None or end is None:
        start, end = year_bounds(year)
    return qs.annotate(
        hours_done=hours_subquery(start, end),
        hours_required=required if required is not None else required_expression(year),
        cert_state=cert_state_expression(today),
    ).annotate(meets=Case(When(hours_done__gte=F("hours_required"), then=Value(True)), default=Value(False)))


def counted_officers(qs):
    """The officers a completion rate counts: those in post (not suspended or revoked)."""
    return qs.filter(status=OfficerStatus.ACTIVE)


def officers_for(user, *, year: int, today: date, org: Organization | None = None):
    qs = Officer.objects.visible_to(user).select_related("org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return annotate_officers(qs, year=year, today=today)


def filter_officers(qs, status: str | None):
    """Drill-down filters shared by pages, API, exports and the metrics."""
    if status == "below":
        return counted_officers(qs).filter(meets=False)
    if status == "met":
        return counted_officers(qs).filter(meets=True)
    if status in ("expiring_30", "invalid"):
        return qs.filter(cert_state=status)
    if status == "expiring_90":  # within 90 days, the 30-day ones included
        return qs.filter(cert_state__in=("expiring_90", "expiring_30"))
    if status == "counted":
        return counted_officers(qs)
    return qs


def trainings_for(user):
    return (Training.objects.visible_to(user).select_related("org")
            .annotate(attended=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ATTENDED)))
            .order_by("-held_on", "-id"))  # Meta.ordering is not applied to GROUP BY queries


def attendances_for(user):
    return Attendance.objects.visible_to(user).select_related("training", "officer", "user", "org")


def officer_history(user, officer):
    """The officer's attendance rows visible to the user (their unit's records), newest first."""
    return attendances_for(user).filter(officer=officer).order_by("-held_on", "-id")


def yearly_hours(user, officer) -> list[dict]:
    rows = (Attendance.objects.visible_to(user).filter(officer=officer, status=AttendanceStatus.ATTENDED)
            .values("held_on__year").annotate(hours=Sum("hours_credited"), sessions=Count("id"))
            .order_by("-held_on__year"))
    return [{"year": r["held_on__year"], "hours": r["hours"], "sessions": r["sessions"],
             "required": required_hours_for(officer.org, r["held_on__year"])} for r in rows]


def orgs_for(user):
    root = user.scope_root
    if root is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=root.path).order_by("path")


def requirements_for(user):
    return HoursRequirement.objects.visible_to(user).select_related("org")


# --- statistics -------------------------------------------------------------------------------

def _rate(num, den):
    return round(100 * num / den, 1) if den else None


def _prorated_required(start: date, end: date, path_field="org__path"):
    """Required hours for [start, end]: each covered year's requirement times the share of
    that year covered (a whole calendar year gives exactly the year's requirement)."""
    parts = []
    for year in range(start.year, end.year + 1):
        ys, ye = year_bounds(year)
        s, e = max(start, ys), min(end, ye)
        share = Decimal((e - s).days + 1) / Decimal((ye - ys).days + 1)
        parts.append((required_expression(year, path_field), share))
    if len(parts) == 1 and parts[0][1] == 1:
        return parts[0][0]
    expr = None
    for e, share in parts:
        term = e * Value(share.quantize(Decimal("0.000001")), output_field=HOURS)
        expr = term if expr is None else expr + term
    return expr


def _officers_in(org: Organization, start: date, end: date, today: date):
    qs = Officer.objects.in_subtree(org).select_related("org")
    return annotate_officers(qs, year=end.year, today=today, start=start, end=end,
                             required=_prorated_required(start, end))


def unit_statistics(user, year: int, today: date, *, org: Organization | None = None) -> list[dict]:
    """Per unit owning officers or sessions in the user's scope: sessions organised,
    attendances, hours, officers, officers meeting the requirement, completion rate and
    certificates expiring (90 / 30 days) or invalid."""
    start, end = year_bounds(year)
    root = org or user.scope_root
    if root is None:
        return []
    officers = annotate_officers(Officer.objects.visible_to(user).filter(org__path__startswith=root.path),
                                 year=year, today=today)
    per_officer_org = {r["org"]: r for r in officers.order_by().values("org").annotate(
        officers=Count("id", filter=Q(status=OfficerStatus.ACTIVE)),
        meeting=Count("id", filter=Q(status=OfficerStatus.ACTIVE, meets=True)),
        exp90=Count("id", filter=Q(cert_state__in=("expiring_90", "expiring_30"))),
        exp30=Count("id", filter=Q(cert_state="expiring_30")),
        invalid=Count("id", filter=Q(cert_state="invalid")))}
    att = {r["org"]: r for r in Attendance.objects.visible_to(user).filter(
        org__path__startswith=root.path, held_on__gte=start, held_on__lte=end, officer__isnull=False)
        .order_by().values("org").annotate(
            attendances=Count("id", filter=Q(status=AttendanceStatus.ATTENDED)),
            absences=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
            hours=Sum("hours_credited", filter=Q(status=AttendanceStatus.ATTENDED)))}
    sessions = {r["org"]: r["n"] for r in Training.objects.visible_to(user).filter(
        org__path__startswith=root.path, held_on__gte=start, held_on__lte=end)
        .order_by().values("org").annotate(n=Count("id"))}
    ids = set(per_officer_org) | set(att) | set(sessions)
    orgs = Organization.objects.filter(pk__in=ids).order_by("path")
    out = []
    for o in orgs:
        p, a = per_officer_org.get(o.pk, {}), att.get(o.pk, {})
        row = {"org": o.pk, "org_name": o.name, "year": year, "sessions": sessions.get(o.pk, 0),
               "attendances": a.get("attendances", 0), "absences": a.get("absences", 0),
               "hours": a.get("hours") or Decimal("0"), "officers": p.get("officers", 0),
               "meeting": p.get("meeting", 0), "expiring_90": p.get("exp90", 0), "expiring_30": p.get("exp30", 0),
               "invalid": p.get("invalid", 0)}
        row["below"] = row["officers"] - row["meeting"]
        row["completion_rate"] = _rate(row["meeting"], row["officers"])
        out.append(row)
    return out


def totals(rows: list[dict]) -> dict:
    keys = ("sessions", "attendances", "absences", "hours", "officers", "meeting", "expiring_90", "expiring_30",
            "invalid")
    t = {k: sum((r[k] for r in rows), Decimal("0") if k == "hours" else 0) for k in keys}
    t["below"] = t["officers"] - t["meeting"]
    t["completion_rate"] = _rate(t["meeting"], t["officers"])
    return t


METRICS = ("sessions", "attendances", "hours", "officers", "officers_meeting", "officers_below", "completion_rate",
           "certificates_expiring_90", "certificates_expiring_30", "certificates_invalid")


def training_metrics(org: Organization, start: date, end: date, *, today: date | None = None) -> dict:
    """Training figures of `org`'s subtree for [start, end], for the assessment and the
    dashboard: a dict of numbers. Records behind each figure: `training_drilldown(org,
    start, end, metric)`. Completion compares each officer's hours in the period with the
    required hours prorated to the period (a whole calendar year: the year's requirement).
    Certificate figures are as of `today` (default: `end`, or today if earlier)."""
    if end < start:
        raise ValueError("end before start")
    today = today or min(end, clock.today())
    officers = counted_officers(_officers_in(org, start, end, today))
    o = officers.aggregate(n=Count("id"), met=Count("id", filter=Q(meets=True)))
    certs = Officer.objects.in_subtree(org).annotate(cert_state=cert_state_expression(today)).aggregate(
        exp90=Count("id", filter=Q(cert_state__in=("expiring_90", "expiring_30"))),
        exp30=Count("id", filter=Q(cert_state="expiring_30")), invalid=Count("id", filter=Q(cert_state="invalid")))
    a = Attendance.objects.in_subtree(org).filter(held_on__gte=start, held_on__lte=end, officer__isnull=False,
                                                  status=AttendanceStatus.ATTENDED).aggregate(
        n=Count("id"), hours=Sum("hours_credited"))
    sessions = Training.objects.in_subtree(org).filter(held_on__gte=start, held_on__lte=end).count()
    return {"sessions": sessions, "attendances": a["n"], "hours": a["hours"] or Decimal("0"),
            "officers": o["n"], "officers_meeting": o["met"], "officers_below": o["n"] - o["met"],
            "completion_rate": _rate(o["met"], o["n"]), "certificates_expiring_90": certs["exp90"],
            "certificates_expiring_30": certs["exp30"], "certificates_invalid": certs["invalid"]}


def training_drilldown(org: Organization, start: date, end: date, metric: str, *, today: date | None = None):
    """The records behind one figure of `training_metrics`: Training rows for `sessions`,
    Attendance rows for `attendances`/`hours`, annotated Officer rows otherwise."""
    today = today or min(end, clock.today())
    if metric == "sessions":
        return Training.objects.in_subtree(org).filter(held_on__gte=start, held_on__lte=end).select_related("org")
    if metric in ("attendances", "hours"):
        return (Attendance.objects.in_subtree(org)
                .filter(held_on__gte=start, held_on__lte=end, officer__isnull=False, status=AttendanceStatus.ATTENDED)
                .select_related("training", "officer", "org"))
    officers = _officers_in(org, start, end, today)
    status = {"officers": "counted", "completion_rate": "counted", "officers_meeting": "met",
              "officers_below": "below", "certificates_expiring_90": "expiring_90",
              "certificates_expiring_30": "expiring_30", "certificates_invalid": "invalid"}.get(metric)
    if status is None:
        raise ValueError(f"unknown metric {metric!r}; one of {', '.join(METRICS)}")
    return filter_officers(officers, status)
