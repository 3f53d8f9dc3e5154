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
