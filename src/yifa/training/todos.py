"""To-dos of the unit's legal officers: their officers' certificates expiring within 30
days or already invalid (one entry per state, linking to the filtered list)."""

from django.db.models import Count

from yifa.core import clock
from yifa.core import todos


@todos.register
def certificate_todos(user):
    from . import selectors, services

    if not services.can_manage(user):
        return []
    today = clock.today()
    from yifa.enforcement.models import Officer

    qs = Officer.objects.visible_to(user).annotate(cert_state=selectors.cert_state_expression(today))
    counts = {r["cert_state"]: r["n"] for r in qs.filter(status="active").order_by()
              .values("cert_state").annotate(n=Count("id"))}
    out = []
    if counts.get("expiring_30"):
        out.append(todos.Todo(title=f"{counts['expiring_30']} 名执法人员的执法证 30 天内到期，请督促换证",
                              url="/training/officers/?status=expiring_30", module="队伍建设", kind="执法证到期", level="yellow"))
    return out
