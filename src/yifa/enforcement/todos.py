"""待办: the user's own open cases whose deadline is yellow or red (one indexed query)."""

from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Todo, register

from .models import Case


@register
def due_cases(user) -> list[Todo]:
    today = clock.today()
    rows = (Case.objects.filter(handler=user, is_open=True, yellow_from__lte=today)
            .only("id", "case_no", "title", "due", "due_provisional").order_by("due")[:20])
    return [Todo(title=f"{c.case_no} {c.title}", url=reverse("enforcement:case_detail", args=[c.pk]),
                 module="行政执法", due=c.due, due_provisional=c.due_provisional, level="red" if c.due and c.due < today else "yellow") for c in rows]
