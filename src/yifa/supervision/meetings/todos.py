"""待办: open action items of the user's own unit (or named to the user), overdue first."""

from django.db.models import Q
from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Todo, key_for, register

from .models import ActionItem, ActionState, JointMeeting


@register
def action_item_todos(user) -> list[Todo]:
    if not user.is_authenticated or user.scope_root is None:
        return []
    today = clock.today()
    qs = (ActionItem.objects.visible_to(user).filter(state=ActionState.OPEN)
          .filter(Q(owner=user) | Q(org_id__in={user.org_id, user.scope_root.pk}))
          .select_related("org").order_by("due")[:20])
    return [Todo(title=f"落实联席会议议定事项：{i.title[:40]}", url=reverse("meetings:item_detail", args=[i.pk]),
                 module="联席会议", kind="联席会议议定事项", key=key_for(i), due=i.due, level="red" if i.due < today else "normal") for i in qs]


@register
def quarterly_meeting_todos(user) -> list[Todo]:
    """每季度召开一次联席会议: the supervision office is reminded of a quarter with no meeting
    (the last complete quarter, and the current one in its last month), due on the
    quarter's last working day."""
    from yifa.deadlines import quarters

    county, gaps = quarters.office_missing(user, JointMeeting.objects.all(), clock.today())
    if county is None:
        return []
    url = reverse("meetings:meeting_create")
    return [Todo(title=(f"{m.label}未召开行政执法监督联席会议，请补开并登记" if m.past
                        else f"{m.label}行政执法监督联席会议尚未召开，请于{m.due.month}月{m.due.day}日前召开并登记"),
                 url=url, module="联席会议", kind="季度联席会议", key=f"meetings.quarter:{county.pk}:{m.year}-{m.quarter}",
                 due=m.due, level="red" if m.past else "yellow")
            for m in gaps]
