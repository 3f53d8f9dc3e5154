"""To-dos: the supervision office sees the bottom-three units still to be interviewed;
users of a flagged unit see that their unit's head is to be interviewed."""

from django.urls import reverse

from yifa.core import todos

from .models import Interview, UnitResult


@todos.register
def assessment_todos(user):
    from . import services

    out = []
    rows = (UnitResult.objects.visible_to(user).filter(bottom=True).select_related("org", "period")
            .order_by("-period__start")[:20])
    rows = [r for r in rows]
    if not rows:
        return out
    interviewed = set(Interview.objects.filter(period_id__in={r.period_id for r in rows})
                      .values_list("period_id", "org_id"))
    manager = services.can_manage(user)
    for r in rows:
        if (r.period_id, r.org_id) in interviewed:
            continue
        if manager:
            out.append(todos.Todo(title=f"待约谈：{r.org.name}（{r.period.name}排名后三位）",
                                  url=reverse("assessment:interview_create", args=[r.period_id]) + f"?org={r.org_id}",
                                  module="考核评价", kind="考核约谈", level="yellow"))
        elif user.org_id == r.org_id or user.scope_root.pk == r.org_id:
            out.append(todos.Todo(title=f"本单位在{r.period.name}中排名后三位，主要负责人将被约谈",
                                  url=reverse("assessment:result_detail", args=[r.pk]), module="考核评价", kind="考核约谈"))
    return out
