"""Reads of the foia app, always scoped (visible_to)."""

from datetime import date

from django.db.models import Count, F, Q

from yifa.orgs.models import Organization, User

from .models import ANSWERABLE_STATES, InfoRequest, RequestState


def requests_visible_to(user):
    return InfoRequest.objects.visible_to(user).select_related("org")


def overdue_q(today: date) -> Q:
    """Open, the reply period running and past its due date (suspended ones are not overdue)."""
    return Q(state__in=ANSWERABLE_STATES, due__lt=today)


def units_in_scope(user):
    root = user.scope_root
    if root is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=root.path, is_active=True).order_by("path")


def approvers_for(info_request):
    """Who may approve an extension (art. 33 ¶2: 政府信息公开工作机构负责人): the active
    people of the receiving unit and the units under it."""
    return User.objects.filter(is_active=True, org__path__startswith=info_request.org.path).order_by(
        "org__path", "display_name")


def summary(user, start: date, end: date, today: date) -> dict:
    qs = InfoRequest.objects.visible_to(user).filter(received_on__gte=start, received_on__lte=end)
    agg = qs.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(state__in=ANSWERABLE_STATES)),
        correction=Count("id", filter=Q(state=RequestState.CORRECTION_REQUESTED)),
        consulting=Count("id", filter=Q(state=RequestState.CONSULTING)),
        replied=Count("id", filter=Q(state=RequestState.REPLIED)),
        withdrawn=Count("id", filter=Q(state=RequestState.WITHDRAWN)),
        on_time=Count("id", filter=Q(replied_on__isnull=False, due__isnull=False, replied_on__lte=F("due"))),
        overdue=Count("id", filter=overdue_q(today)),
    )
    agg["on_time_rate"] = round(100 * agg["on_time"] / agg["replied"], 1) if agg["replied"] else None
    return agg
