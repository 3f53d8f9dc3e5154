"""The sweep: tell the owner unit (and the owner person) once when an action item turns
overdue. Idempotent through the notifications' dedupe key."""

from django.urls import reverse

from yifa.core import sweep


@sweep.register("meetings")
def run(today):
    from yifa.core.services import notify

    from .models import ActionItem, ActionState
    from .services import _unit_users

    sent = 0
    items = (ActionItem.objects.filter(state=ActionState.OPEN, due__lt=today)
             .select_related("org", "owner", "meeting").order_by("org_id", "due"))
    users_by_org = {}
    for item in items.iterator(chunk_size=500):
        if item.org_id not in users_by_org:
            users_by_org[item.org_id] = _unit_users(item.org)
        recipients = set(users_by_org[item.org_id]) | ({item.owner} if item.owner_id else set())
        sent += notify(recipients=recipients, title=f"【逾期】联席会议议定事项：{item.title[:60]}",
                       body=f"{item.meeting.title}议定事项，期限 {item.due:%Y-%m-%d} 已过，请尽快落实并报告。",
                       url=reverse("meetings:item_detail", args=[item.pk]), level="red",
                       dedupe_key=f"meetings:action:{item.pk}:overdue")
    return {"notifications": sent}
