"""The 督办 panel of an enforcement case page: the case's 督办 the user may see, the reply
form for the unit instructed, the 督办 form for a supervisor on an overdue case."""

from django import template

register = template.Library()


@register.inclusion_tag("supervision/_case_urgings.html", takes_context=True)
def case_urgings(context, case):
    from ..models import Urging
    from ..services import may_reply_urging, may_urge

    user = context["request"].user
    rows = list(Urging.objects.visible_to(user).filter(case=case).select_related("org", "issuer_org", "issued_by",
                                                                                 "replied_by"))
    return {"case": case, "urgings": [(u, may_reply_urging(user, u)) for u in rows],
            "can_urge": may_urge(user, case), "csrf_token": context.get("csrf_token")}
