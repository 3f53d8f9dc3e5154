"""The shell: home page with the to-do list, notifications, error pages, and the
generic list/detail views every app uses (scoped through `visible_to`)."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from yifa.audit.selectors import timeline_for

from . import selectors, services


def form_error(form, exc):
    """Put a service's DomainError on a form: its message above the form, its field
    messages beside the fields the form has."""
    form.add_error(None, exc.message)
    for field, errs in (exc.fields or {}).items():
        if field in form.fields:
            for e in errs if isinstance(errs, list) else [errs]:
                form.add_error(field, e)


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


MAX_PER_PAGE = 200
MAX_PAGE = 10 ** 6  # beyond: the last page (no database is asked for an absurd offset)


def _positive_int(value, default: int, maximum: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return default
    return min(n, maximum) if n >= 1 else default


def configure_table(request, table, *, per_page: int, **paginate):
    """Order and paginate a table from the query string; a page or page size that is not a
    positive number falls back to the first page / the default size, a page beyond the
    last shows the last one — never an error page."""
    from django.core.paginator import EmptyPage, PageNotAnInteger

    RequestConfig(request, paginate=False).configure(table)
    size = _positive_int(request.GET.get(table.prefixed_per_page_field), per_page, MAX_PER_PAGE)
    page = _positive_int(request.GET.get(table.prefixed_page_field), 1, MAX_PAGE)
    try:
        table.paginate(page=page, per_page=size, **paginate)
    except (EmptyPage, PageNotAnInteger):
        last = table.paginator.num_pages  # None for a lazy paginator past its end: the first page
        table.paginate(page=last if isinstance(last, int) and last >= 1 else 1, per_page=size, **paginate)
    return table


class ScopedListView(LoginRequiredMixin, TemplateView):
    """A searchable, filterable, paginated table of the rows visible to the user."""

    template_name = "core/list.html"
    title = ""
    filterset_class = None
    table_class = None
    create_url_name = None
    paginate_by = 30

    def get_base_queryset(self):
        raise NotImplementedError

    def can_create(self):
        return False

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = self.get_base_queryset()
        filterset = (self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
                     if self.filterset_class else None)
        if filterset is not None:
            qs = filterset.qs.distinct() if filterset.is_bound and filterset.is_valid() else qs
        table = self.table_class(qs)
        configure_table(self.request, table, per_page=self.paginate_by)
        for field in (filterset.form.fields.values() if filterset else []):
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if hasattr(field, "choices")
                                          else "form-control form-control-sm")
        ctx.update(title=self.title, table=table, filter=filterset,
                   create_url_name=self.create_url_name if self.can_create() else None)
        return ctx


class ScopedDetailView(LoginRequiredMixin, TemplateView):
    """One record, 404 unless visible to the user, with its audit timeline."""

    model = None
    select_related: tuple = ()

    def get_object(self):
        qs = self.model.objects.visible_to(self.request.user).select_related(*self.select_related)
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.get_object()
        ctx.update(object=obj, timeline=timeline_for(obj))
        return ctx


def error_403(request, exception=None):
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
