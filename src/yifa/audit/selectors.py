from .models import AuditEvent
from .services import object_type_of


def timeline_for(obj, *, related=(), limit: int = 200):
    """The audit events of one record and of the records that belong to it (`related`:
    e.g. a wrong case's backtrack, its 四查 checks and the persons involved), oldest
    first. Callers have already checked that `obj` is visible to the user; the events
    belong to the record, so no further scoping."""
    from django.db.models import Q

    ids: dict[str, set[str]] = {}
    for o in (obj, *related):
        if o is not None and o.pk is not None:
            ids.setdefault(object_type_of(o), set()).add(str(o.pk))
    where = Q()
    for object_type, pks in ids.items():
        where |= Q(object_type=object_type, object_id__in=sorted(pks))
    return list(AuditEvent.objects.filter(where).select_related("actor").order_by("id")[:limit])


def events_visible_to(user):
    return AuditEvent.objects.visible_to(user).select_related("actor", "org")
