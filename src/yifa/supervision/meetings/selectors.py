"""Reads of the meetings app, always through `visible_to`."""

from django.db.models import Count, Q

from yifa.core import clock
from .models import ActionItem, ActionState, AdoptedRule, JointMeeting


def meetings_visible_to(user):
    today = clock.today()
    return JointMeeting.objects.visible_to(user).select_related("org").annotate(
        item_count=Count("action_items", distinct=True),
        open_count=Count("action_items", filter=Q(action_items__state=ActionState.OPEN), distinct=True),
        overdue_count=Count("action_items", filter=Q(action_items__state=ActionState.OPEN,
                                                     action_items__due__lt=today), distinct=True))


def items_visible_to(user):
    return ActionItem.objects.visible_to(user).select_related("org", "meeting", "owner")


def overdue_items(user, today=None):
    today = today or clock.today()
    return items_visible_to(user).filter(state=ActionState.OPEN, due__lt=today)


def rules_visible_to(user):
    return AdoptedRule.objects.visible_to(user).select_related("org", "finding", "case", "source_type")


def rules_for_source(obj):
    """Adopted rules linked to any record (e.g. an accountability wrong case)."""
    from django.contrib.contenttypes.models import ContentType

    return AdoptedRule.objects.filter(source_type=ContentType.objects.get_for_model(obj), source_id=obj.pk)
