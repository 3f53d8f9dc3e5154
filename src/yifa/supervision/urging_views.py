"""督办 pages: the two writes (issue, reply) posted from the case page, where the 督办 is
shown (`{% case_urgings %}`). Kept beside views.py so the case page's panel, its posts and
their tests read together."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from yifa.core.errors import DomainError

from . import services
from .models import Urging


def _case_url(case_id):
    from django.urls import reverse

    return reverse("enforcement:case_detail", args=[case_id])


@login_required
@require_POST
def urge_case(request, case_pk):
    from yifa.enforcement.models import Case

    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_pk)
    try:
        u = services.urge_case(actor=request.user, case=case, instruction=request.POST.get("instruction", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已督办{u.org.name}，回复期限 {u.due:%Y年%-m月%-d日}{'（暂定）' if u.due_provisional else ''}。")
    return redirect(_case_url(case.pk) + "#urgings")


@login_required
@require_POST
def urging_op(request, pk, op):
    """The unit's reply (op "reply"), posted like the app's other record operations."""
    from django.http import Http404

    u = get_object_or_404(Urging.objects.visible_to(request.user), pk=pk)
    if op != "reply":
        raise Http404
    try:
        services.reply_urging(actor=request.user, urging=u, reply=request.POST.get("reply", ""),
                              version=request.POST.get("version") or None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已回复督办。")
    return redirect(_case_url(u.case_id) + "#urgings")
