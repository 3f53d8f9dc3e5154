"""待办: complaints to route (supervisors), to answer (the responsible unit), to close."""

from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Todo, key_for, register

from .models import Complaint, ComplaintState
from .services import can_reply, can_supervise


def _about(c) -> str:
    """What and whose, in words: "对县市场监管局的执法不规范投诉：门店检查时未出示证件……"."""
    text = " ".join(c.content.split())
    return f"对{c.subject_unit.name}的{c.get_category_display()}投诉：{text[:24]}{'……' if len(text) > 24 else ''}"


@register
def complaint_todos(user) -> list[Todo]:
    if not user.is_authenticated or user.scope_root is None:
        return []
    today = clock.today()
    qs = Complaint.objects.visible_to(user).select_related("subject_unit", "org")
    out = []
    if can_reply(user):
        for c in qs.filter(state=ComplaintState.ROUTED).order_by("due")[:20]:
            level = "red" if c.due and c.due < today else "normal"
            out.append(Todo(title=f"答复投诉举报：{_about(c)}", url=reverse("complaints:detail", args=[c.pk]),
                            module="投诉举报", kind="答复投诉举报", key=key_for(c), due=c.due,
                            due_provisional=c.due_provisional, level=level))
    if can_supervise(user):
        for c in qs.filter(state=ComplaintState.RECEIVED).order_by("received_on")[:20]:
            out.append(Todo(title=f"转办投诉举报：{_about(c)}", url=reverse("complaints:detail", args=[c.pk]),
                            module="投诉举报", kind="转办投诉举报", key=key_for(c)))
        for c in qs.filter(state=ComplaintState.REPLIED).order_by("replied_on")[:10]:
            out.append(Todo(title=f"办结投诉举报：{_about(c)}", url=reverse("complaints:detail", args=[c.pk]),
                            module="投诉举报", kind="办结投诉举报", key=key_for(c)))
    return out
