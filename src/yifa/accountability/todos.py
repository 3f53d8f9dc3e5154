"""To-dos: wrong cases whose backtrack is open in the user's scope (for those who run
backtracks), coloured by the backtrack deadline."""


from yifa.core import clock
from yifa.core import todos


@todos.register
def wrong_case_todos(user):
    from .models import Backtrack
    from .services import can_manage

    if not can_manage(user):
        return []
    today = clock.today()
    out = []
    for bt in (Backtrack.objects.visible_to(user).filter(state="in_progress", wrong_case__state="backtracking").select_related("wrong_case")
               .order_by("due")[:20]):
        level = "red" if bt.due and bt.due < today else ("yellow" if bt.due and (bt.due - today).days <= 5 else "normal")
        out.append(todos.Todo(title=f"错案倒查：{bt.wrong_case.title}", url=f"/accountability/wrong-cases/{bt.wrong_case_id}/",
                              module="错案问责", kind="错案倒查", key=todos.key_for(bt), due=bt.due, due_provisional=bt.due_provisional, level=level))
    return out


@todos.register
def quarterly_notice_todos(user):
    """每季度向全县通报错案问责情况: the supervision office is reminded of a quarter with no
    错案通报 (the last complete quarter, and the current one in its last month), due on the
    quarter's last working day."""
    from django.urls import reverse

    from yifa.deadlines import quarters

    from .models import Notice

    county, gaps = quarters.office_missing(user, Notice.objects.all(), clock.today())
    if county is None:
        return []
    url = reverse("accountability:notice_create")
    return [todos.Todo(title=(f"{m.label}未印发错案通报，请补发" if m.past
                              else f"{m.label}错案通报尚未印发，请于{m.due.month}月{m.due.day}日前印发"),
                       url=url, module="错案问责", kind="季度错案通报",
                       key=f"accountability.quarter_notice:{county.pk}:{m.year}-{m.quarter}",
                       due=m.due, level="red" if m.past else "yellow")
            for m in gaps]
