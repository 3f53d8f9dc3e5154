"""Review tier deadlines that turned yellow or red: tell the reviewer and the advisor
office (the deadlines sweep already records the warnings; this adds the office).
Idempotent: notifications are deduplicated per deadline and level."""

from django.urls import reverse

from yifa.core.services import notify
from yifa.core.sweep import register
from yifa.orgs.models import Role, User

from .models import TIER_RULE, ReviewItem


@register("review", per_unit=True)
def warn_review_deadlines(today, org_ids=None) -> dict:
    from yifa.deadlines.models import TrackedDeadline

    created = 0
    qs = TrackedDeadline.objects.active().filter(rule__code__in=list(TIER_RULE.values()), yellow_from__lte=today)
    if org_ids is not None:
        qs = qs.filter(org_id__in=org_ids)
    qs = qs.select_related("handler").order_by("due", "pk")[:2000]  # over `deadline_active_due`: open work only
    rows = list(qs)
    items = {str(i.pk): i for i in ReviewItem.objects.filter(pk__in=[int(d.owner_id) for d in rows if d.owner_id.isdigit()])
             .select_related("advisor_office")}
    offices = {}
    for d in rows:
        item = items.get(d.owner_id)
        if item is None:
            continue
        level = "red" if d.due < today else "yellow"
        if item.advisor_office_id not in offices:
            offices[item.advisor_office_id] = list(User.objects.filter(
                org_id=item.advisor_office_id, role_assignments__role=Role.ADVISOR_OFFICE, is_active=True))
        word = "已超期" if level == "red" else "即将到期"
        created += notify(recipients=[d.handler, *offices[item.advisor_office_id]],
                          title=f"合法性审查{word}：{d.title}（{d.due:%Y-%m-%d}）",
                          url=reverse("review:item_detail", args=[item.pk]), level=level,
                          dedupe_key=f"review-deadline:{d.pk}:{level}")
    return {"notifications": created}
