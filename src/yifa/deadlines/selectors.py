"""Reads of the deadlines app, already scoped."""

from datetime import date

from django.db.models import Count, Prefetch

from .models import (CLOSED_STATES, DeadlineRule, DeadlineRuleOverride, HolidayDay, HolidayYear,
                     TrackedDeadline)

REMINDER_FROM = (11, 1)  # from 1 November, next year's notice is awaited (LEGAL_RULES.md)


def rules():
    return DeadlineRule.objects.all().order_by("code")


def rules_with_overrides(user):
    """Every rule with the overrides of units visible to `user`."""
    visible = DeadlineRuleOverride.objects.visible_to(user).select_related("org").order_by("org__path")
    return rules().prefetch_related(Prefetch("overrides", queryset=visible, to_attr="visible_overrides"))


def rule_names(codes) -> dict[str, str]:
    """{rule code: its name in words} for the given codes (one query)."""
    return dict(DeadlineRule.objects.filter(code__in=list(codes)).values_list("code", "name")) if codes else {}


def holiday_years():
    return HolidayYear.objects.order_by("-year")


def holiday_days(year=None):
    qs = HolidayDay.objects.all().order_by("date")
    if year:
        qs = qs.filter(year=year)
    return qs


def deadlines_visible_to(user, today):
    return (TrackedDeadline.objects.visible_to(user).with_due_status(today)
            .select_related("org", "rule", "handler"))


def deadlines_for_owner(owner):
    """The tracked deadlines of one record (the owner module has checked visibility)."""
    return (TrackedDeadline.objects.filter(owner_type=owner._meta.label_lower, owner_id=str(owner.pk))
            .select_related("rule", "handler"))


def my_due_deadlines(user, today, limit=20):
    """The user's own open deadlines that are yellow or red: one indexed query."""
    return list(TrackedDeadline.objects.active().filter(handler=user, yellow_from__lte=today)
                .select_related("rule").order_by("due")[:limit])


def provisional_counts(user=None) -> dict[int, int]:
    """{year: number of not-yet-closed deadlines whose due date is provisional, waiting for
    that year's holiday notice}, among those visible to `user` (all of them for the system,
    e.g. the command line). One indexed query (partial index on provisional rows)."""
    qs = TrackedDeadline.objects.visible_to(user) if user is not None else TrackedDeadline.objects.all()
    rows = (qs.filter(provisional=True).exclude(state__in=CLOSED_STATES)
            .values("waiting_for_year").annotate(n=Count("pk")).order_by("waiting_for_year"))
    return {r["waiting_for_year"]: r["n"] for r in rows}


def missing_notice_years(today: date, user=None) -> list[tuple[int, int]]:
    """[(year, provisional deadlines waiting for it)] for the years whose holiday notice an
    administrator should enter now: this year if it is incomplete, and next year from 1
    November (the State Council's notice usually comes in November or December)."""
    years = [today.year] + ([today.year + 1] if (today.month, today.day) >= REMINDER_FROM else [])
    complete = set(HolidayYear.objects.filter(year__in=years, complete=True).values_list("year", flat=True))
    missing = [y for y in years if y not in complete]
    if not missing:
        return []
    counts = provisional_counts(user)
    return [(y, counts.get(y, 0)) for y in missing]
