"""Reads of the deadlines app, already scoped."""

from django.db.models import Prefetch

from .models import (DeadlineRule, DeadlineRuleOverride, HolidayDay, HolidayYear, TrackedDeadline)


def rules():
    return DeadlineRule.objects.all().order_by("code")


def rules_with_overrides(user):
    """Every rule with the overrides of units visible to `user`."""
    visible = DeadlineRuleOverride.objects.visible_to(user).select_related("org").order_by("org__path")
    return rules().prefetch_related(Prefetch("overrides", queryset=visible, to_attr="visible_overrides"))


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
