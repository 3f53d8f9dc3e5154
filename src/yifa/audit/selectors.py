from .models import AuditEvent
from .services import object_type_of


def timeline_for(obj, *, limit: int = 200):
    """The audit events of one record, oldest first. Callers have already checked that
    `obj` is visible to the user; the events belong to the record, so no further scoping."""
    return list(
        AuditEvent.objects.filter(object_type=object_type_of(obj), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("id")[:limit]
    )


def events_visible_to(user):
    return AuditEvent.objects.visible_to(user).select_related("actor", "org")
