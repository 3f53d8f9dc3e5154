"""待办 of the supervision app.

- the supervised unit: letters awaiting its rectification, decisions awaiting performance;
- supervisors: rectification reports awaiting review, letters overdue (to escalate).

A letter belongs to the supervised unit; "the unit's own" letters are those addressed to
the user's unit or a unit above it in the tree (an internal supervision unit's department)."""

from django.db.models import Q
from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Todo, key_for, register


def _own_unit_ids(user):
    org = getattr(user, "org", None)
    if org is None:
        return []
    return [int(s) for s in (org.path or "").split(".") if s] or [org.pk]


@register
def unit_todos(user) -> list[Todo]:
    from .models import DecisionState, LetterState, OpinionLetter, SupervisionDecision, Urging, UrgingState

    if not getattr(user, "is_authenticated", False):
        return []
    ids = _own_unit_ids(user)
    if not ids:
        return []
    today = clock.today()
    out = []
    for letter in (OpinionLetter.objects.visible_to(user).filter(org_id__in=ids, state=LetterState.RECTIFYING)
                   .only("id", "title", "doc_number", "due", "due_provisional").order_by("due")[:20]):
        level = "red" if letter.due and letter.due < today else "yellow"
        out.append(Todo(title=f"整改监督意见书 {letter.doc_number or letter.title}",
                        url=reverse("supervision:letter_detail", args=[letter.pk]), module="行政执法监督",
                        kind="监督意见书整改", key=key_for(letter),
                        due=letter.due, due_provisional=letter.due_provisional, level=level))
    for u in (Urging.objects.visible_to(user).filter(org_id__in=ids, state=UrgingState.OPEN)
              .select_related("case", "issuer_org").order_by("due")[:20]):
        out.append(Todo(title=f"回复督办：{u.case.case_no}《{u.case.title}》已超期，{u.issuer_org.name}督办",
                        url=reverse("enforcement:case_detail", args=[u.case_id]) + "#urgings", module="行政执法监督",
                        kind="督办回复", key=key_for(u), due=u.due, due_provisional=u.due_provisional,
                        level="red" if u.due < today else "yellow"))
    for dec in (SupervisionDecision.objects.visible_to(user).filter(org_id__in=ids, state=DecisionState.ISSUED)
                .only("id", "doc_number", "due", "due_provisional").order_by("due")[:20]):
        out.append(Todo(title=f"履行行政执法监督决定 {dec.doc_number}",
                        url=reverse("supervision:decision_detail", args=[dec.pk]), module="行政执法监督",
                        kind="监督决定履行", key=key_for(dec),
                        due=dec.due, due_provisional=dec.due_provisional, level="red"))
    return out


@register
def supervisor_todos(user) -> list[Todo]:
    from .models import LetterState, OpinionLetter, Urging, UrgingState
    from .services import can_supervise

    if not can_supervise(user):
        return []
    today = clock.today()
    ids = _own_unit_ids(user)
    qs = OpinionLetter.objects.visible_to(user).exclude(org_id__in=ids)
    out = []
    for letter in (qs.filter(state=LetterState.SUBMITTED).select_related("org")
                   .only("id", "title", "doc_number", "due", "due_provisional", "org__name").order_by("due")[:20]):
        out.append(Todo(title=f"审核整改报告：{letter.org.name} · {letter.doc_number or letter.title}",
                        url=reverse("supervision:letter_detail", args=[letter.pk]), module="行政执法监督",
                        kind="审核整改报告", key=key_for(letter),
                        due=letter.due, due_provisional=letter.due_provisional, level="yellow"))
    for letter in (qs.filter(Q(state=LetterState.RECTIFYING), due__lt=today).select_related("org")
                   .only("id", "title", "doc_number", "due", "due_provisional", "org__name").order_by("due")[:20]):
        out.append(Todo(title=f"意见书逾期未整改，可升级为监督决定：{letter.org.name} · {letter.doc_number or letter.title}",
                        url=reverse("supervision:letter_detail", args=[letter.pk]), module="行政执法监督",
                        kind="意见书逾期未整改", key=key_for(letter),
                        due=letter.due, due_provisional=letter.due_provisional, level="red"))
    for u in (Urging.objects.visible_to(user).filter(issuer_org=user.org, state=UrgingState.OPEN, due__lt=today)
              .select_related("case", "org").order_by("due")[:20]):
        out.append(Todo(title=f"督办逾期未回复：{u.org.name} · {u.case.case_no}《{u.case.title}》",
                        url=reverse("enforcement:case_detail", args=[u.case_id]) + "#urgings", module="行政执法监督",
                        kind="督办逾期未回复", key=key_for(u), due=u.due, due_provisional=u.due_provisional,
                        level="red"))
    return out
