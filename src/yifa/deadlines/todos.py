"""The home page's 待办: the user's own open deadlines that are yellow or red."""

from django.urls import reverse
from django.utils import timezone

from yifa.core.todos import Todo, register

from .selectors import my_due_deadlines


@register
def due_deadlines(user) -> list[Todo]:
    today = timezone.localdate()
    return [
        Todo(title=f"{d.title}（{d.rule.code}）", url=reverse("deadlines:tracked_detail", args=[d.pk]),
             module="法定期限", due=d.due, level="red" if d.due < today else "yellow")
        for d in my_due_deadlines(user, today)
    ]
