"""The shell: home page with the to-do list, notifications, error pages, and the
generic list/detail views every app uses (scoped through `visible_to`)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .viewkit import (  # noqa: F401  (the kit, importable from here as before)
    RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView, configure_table, form_error)


HOME_NOTIFICATIONS = 5


@login_required
def home(request):
    """"What must I do today": the user's to-dos grouped by kind, most urgent first; the
    leader's key figures, the administrator's system health (each from the providers the
    apps register); the unread count and the latest few notifications."""
    user = request.user
    groups = selectors.todo_groups(user)
    return render(request, "core/home.html", {
        "title": "工作台", "groups": groups, "banners": selectors.banners_for(user),
        "totals": {level: sum(getattr(g, level) for g in groups) for level in ("red", "yellow", "normal")},
        "figures": selectors.figures_for(user), "health": selectors.health_for(user),
        "notifications": selectors.notifications_for(user)[:HOME_NOTIFICATIONS],
    })


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request):
    ids = request.POST.getlist("id") or None
    services.mark_read(actor=request.user, notification_ids=ids)
    return redirect(request.POST.get("next") or "notifications")


def error_403(request, exception=None):
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
