"""待办: requests whose reply period runs (the receiving unit's staff), and the steps
that wait on a date (a correction or a third party's opinion overdue)."""

from datetime import timedelta

from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Todo, key_for, register

from yifa.deadlines.models import ACTIVE_STATES, TrackedDeadline

from .models import ANSWERABLE_STATES, THIRD_PARTY_RULE, InfoRequest, RequestState
from .services import can_handle

SOON_DAYS = 7  # calendar days before the due date the to-do turns yellow


def _about(r) -> str:
    text = " ".join(r.content.split())
    return f"{r.org.name}{r.number}：{text[:24]}{'……' if len(text) > 24 else ''}"


@register
def foia_todos(user) -> list[Todo]:
    if not user.is_authenticated or user.scope_root is None or not can_handle(user):
        return []
    today = clock.today()
    qs = InfoRequest.objects.visible_to(user).select_related("org")
    out = []
    for r in qs.filter(state__in=ANSWERABLE_STATES).order_by("due")[:20]:
        level = ("red" if r.due and r.due < today else
                 "yellow" if r.due and r.due <= today + timedelta(days=SOON_DAYS) else "normal")
        out.append(Todo(title=f"答复政府信息公开申请：{_about(r)}", url=reverse("foia:detail", args=[r.pk]),
                        module="政府信息公开申请", kind="答复政府信息公开申请", key=key_for(r), due=r.due,
                        due_provisional=r.due_provisional, level=level))
    for r in qs.filter(state=RequestState.CORRECTION_REQUESTED, correction_due__lt=today).order_by("correction_due")[:10]:
        out.append(Todo(title=f"补正期限已过，确认是否视为放弃申请：{_about(r)}", url=reverse("foia:detail", args=[r.pk]),
                        module="政府信息公开申请", kind="政府信息公开申请补正", key=key_for(r)))
    lapsed = TrackedDeadline.objects.visible_to(user).filter(
        owner_type=InfoRequest._meta.label_lower, rule__code=THIRD_PARTY_RULE, state__in=ACTIVE_STATES,
        due__lt=today).values_list("owner_id", flat=True)[:10]
    for r in qs.filter(state=RequestState.CONSULTING, pk__in=[int(x) for x in lapsed]):
        out.append(Todo(title=f"第三方提出意见的期限已过，恢复计算答复期限：{_about(r)}",
                        url=reverse("foia:detail", args=[r.pk]), module="政府信息公开申请",
                        kind="政府信息公开申请第三方意见", key=key_for(r)))
    return out
