from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, recipients, title, body="", url="", level="info", dedupe_key) -> int:
    """Create one notification per recipient unless that recipient already has one with
    this key. Returns how many were created (the sweep's idempotency rests on this)."""
    if level not in dict(Notification.LEVELS):
        # the page shows the level's name (提示/临期/超期): an unknown level would reach a person as a code
        raise ValueError(f"unknown notification level {level!r}; one of {[k for k, _ in Notification.LEVELS]}")
    recipients = {u.pk: u for u in recipients if u is not None}
    if not recipients:
        return 0
    existing = set(
        Notification.objects.filter(recipient_id__in=recipients, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    new = [
        Notification(recipient_id=pk, title=title[:200], body=body, url=url, level=level, dedupe_key=dedupe_key)
        for pk in recipients
        if pk not in existing
    ]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def mark_read(*, actor, notification_ids=None) -> int:
    qs = Notification.objects.for_user(actor).filter(read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
