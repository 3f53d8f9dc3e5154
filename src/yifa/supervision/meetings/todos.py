"""待办: open action items of the user's own unit (or named to the user), overdue first."""

from django.db.models import Q
from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Todo, key_for, register

from .models import ActionItem, ActionState


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
