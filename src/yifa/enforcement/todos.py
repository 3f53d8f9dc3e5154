"""待办: the user's own open cases whose deadline is yellow or red (one indexed query), each
in words: the case, the party and the step whose deadline runs. A case's tracked deadlines
(the deadlines provider) merge into this row through the case's key."""

from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Health, Todo, key_for, register, register_health

from .models import Case

LIMIT = 20


@register
def due_cases(user) -> list[Todo]:
    from yifa.deadlines.selectors import rule_names

    today = clock.today()
    rows = list(Case.objects.filter(handler=user, is_open=True, yellow_from__lte=today)
                .only("id", "case_no", "title", "party_name", "due", "due_rule", "due_provisional")
                .order_by("due")[:LIMIT])
    names = rule_names({c.due_rule for c in rows if c.due_rule})
    out = []
    for c in rows:
        step = names.get(c.due_rule)
        out.append(Todo(title=f"{c.case_no}《{c.title}》（当事人：{c.party_name}）" + (f"：{step}" if step else ""),
                        url=reverse("enforcement:case_detail", args=[c.pk]), module="行政执法", kind="承办案件期限",
                        key=key_for(c), due=c.due, due_provisional=c.due_provisional,
                        level="red" if c.due and c.due < today else "yellow"))
    return out


@register_health
def import_health(user) -> list[Health]:
    """The administrator's home: bulk imports that failed in the last 30 days."""
    from datetime import timedelta

    from django.utils import timezone

    from yifa.orgs.models import Role

    from .models import ImportBatch

    if not user.has_role(Role.ADMIN):
        return []
    since = timezone.now() - timedelta(days=30)
    failed = ImportBatch.objects.visible_to(user).filter(state="failed", created_at__gte=since)
    n = failed.count()
    url = reverse("enforcement:import")
    if not n:
        return [Health(label="批量导入", value="近 30 天无失败的导入", url=url)]
    last = failed.order_by("-created_at").first()
    when = timezone.localtime(last.created_at).strftime("%Y-%m-%d %H:%M")
    return [Health(label="批量导入", value=f"近 30 天 {n} 批导入失败（最近一次 {when}，{last.filename or last.source_system or '接口导入'}）",
                   level="danger", url=url)]
