"""The home page's 待办 for review: items awaiting this reviewer, items to accept (the
advisor office), and items returned to / answered for the submitting unit."""

from django.urls import reverse

from yifa.core.todos import Todo, key_for, register
from yifa.orgs.models import Role

from .models import ItemState, ReviewItem, Tier
from .selectors import awaiting


@register
def review_todos(user) -> list[Todo]:
    out = []
    for item in awaiting(user)[:20]:
        out.append(Todo(title=f"{Tier(item.state).label}：{item.title}（{item.org.name}报送）",
                        url=reverse("review:item_detail", args=[item.pk]), module="合法性审查", kind="合法性审查",
                        key=key_for(item)))
    if user.has_role(Role.ADVISOR_OFFICE) and user.org.kind == "advisor_office":
        for item in (ReviewItem.objects.filter(state=ItemState.SUBMITTED, advisor_office=user.org)
                     .select_related("org").order_by("submitted_on")[:10]):
            out.append(Todo(title=f"待受理：{item.title}（{item.org.name}报送）", url=reverse("review:item_detail", args=[item.pk]),
                            module="合法性审查", kind="合法性审查", key=key_for(item)))
    if user.has_role(Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER):
        for item in (ReviewItem.objects.filter(org__path__startswith=user.scope_root.path,
                                               state__in=[ItemState.RETURNED, ItemState.OPINION_ISSUED])
                     .order_by("submitted_on")[:10]):
            what = "退回补正/修改" if item.state == ItemState.RETURNED else "反馈意见书采纳情况"
            out.append(Todo(title=f"{what}：{item.title}", url=reverse("review:item_detail", args=[item.pk]),
                            module="合法性审查", kind="合法性审查", key=key_for(item)))
    return out
