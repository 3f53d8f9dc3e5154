"""The view kit every module's pages are built from (ARCHITECTURE.md, "One view kit").

- `ScopedListView`: the rows visible to the user, with filters, ordering, pagination, an
  empty state, `data-label` on every cell (phones show each row as a card) and the same
  rows as Excel (`?export=xlsx`: numbers as numbers, dates as dates, capped).
- `ScopedDetailView`: one record (404 outside the user's scope) with its history panel,
  which may include the history of the records that belong to it (`history_related`).
- `ServiceFormView`: permission → form → service → a DomainError onto the form with the
  input kept → success message → redirect.
- `RecordActionView`: the small forms on a detail page (`…/<pk>/<op>/`): each `do_<op>`
  calls one service; a DomainError becomes a message and the input the person typed is
  kept for the page they return to (`kept_input`, refilled by yifa.js).

Destructive or irreversible buttons carry `data-confirm="…"` (what will happen, in words)
and every submit shows a busy state: both are in static/yifa/yifa.js, no inline script.
"""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import BooleanColumn, RequestConfig
from django_tables2.paginators import LazyPaginator

from yifa.audit.selectors import timeline_for

from . import clock
from .errors import DomainError

MAX_PER_PAGE = 200
MAX_PAGE = 10 ** 6  # beyond: the last page (no database is asked for an absurd offset)
EXPORT_MAX_ROWS = 20000
KEPT_INPUT_KEY = "yifa_kept_input"
KEPT_INPUT_MAX_CHARS = 3000  # sessions live in a signed cookie: keep what fits


# --- forms --------------------------------------------------------------------------------------

def form_error(form, exc):
    """Put a service's DomainError on a form: its message above the form, its field
    messages beside the fields the form has."""
    form.add_error(None, exc.message)
    for field, errs in (exc.fields or {}).items():
        if field in form.fields:
            for e in errs if isinstance(errs, list) else [errs]:
                form.add_error(field, e)


def form_errors_text(form) -> str:
    """A bound, invalid form's errors as one sentence (「字段：错误」), for a message."""
    parts = []
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{'、'.join(errs)}" if label else "、".join(errs))
    return "；".join(parts)


def keep_input(request, *, exclude=("csrfmiddlewaretoken", "version")):
    """Remember what the person typed into the form just refused, for the page the
    redirect leads to (yifa.js puts it back into the form posted to the same address)."""
    data = {k: v for k, v in request.POST.lists() if k not in exclude}
    if sum(len(x) for vals in data.values() for x in vals) > KEPT_INPUT_MAX_CHARS:
        return
    request.session[KEPT_INPUT_KEY] = {"action": request.path, "data": data}


def pop_kept_input(request):
    """The input kept by `keep_input`, once (a context processor hands it to base.html)."""
    session = getattr(request, "session", None)
    if session is None or KEPT_INPUT_KEY not in session:
        return None
    return session.pop(KEPT_INPUT_KEY)


# --- tables and lists ---------------------------------------------------------------------------

def _positive_int(value, default: int, maximum: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return default
    return min(n, maximum) if n >= 1 else default


def configure_table(request, table, *, per_page: int, **paginate):
    """Order and paginate a table from the query string; a page or page size that is not a
    positive number falls back to the first page / the default size, a page beyond the
    last shows the last one — never an error page. Cells get their `data-label`."""
    RequestConfig(request, paginate=False).configure(table)
    size = _positive_int(request.GET.get(table.prefixed_per_page_field), per_page, MAX_PER_PAGE)
    page = _positive_int(request.GET.get(table.prefixed_page_field), 1, MAX_PAGE)
    try:
        table.paginate(page=page, per_page=size, **paginate)
    except (EmptyPage, PageNotAnInteger):
        last = table.paginator.num_pages  # None for a lazy paginator past its end: the first page
        table.paginate(page=last if isinstance(last, int) and last >= 1 else 1, per_page=size, **paginate)
    return card_layout(table)


def card_layout(table):
    """Mark a table for the phone layout: the `table-cards` class on the table. Each cell
    carries its column name in `data-label` from the table template (core/tables2.html),
    so CSS can stack a row's cells as a card."""
    classes = table.attrs.get("class", "")
    if "table-cards" not in classes.split():
        table.attrs["class"] = (classes + " table-cards").strip()
    return table


def _export_value(row, bc):
    """A cell for Excel: numbers and dates as themselves, yes/no in words, else the text
    the page shows (without its markup)."""
    raw = bc.accessor.resolve(row.record, quiet=True) if bc.accessor else None
    value = row.get_cell_value(bc.name)
    if isinstance(bc.column, BooleanColumn) or isinstance(raw, bool):
        return ("是" if raw else "否") if isinstance(raw, bool) else ""
    if isinstance(value, (int, float, Decimal, date)):  # date covers datetime
        return value
    if isinstance(raw, date):
        return raw  # a date column renders text; Excel gets the date itself
    if value is None:
        return ""
    return strip_tags(str(value)).strip()


def export_columns(table):
    return [bc for bc in table.columns
            if not getattr(bc.column, "exclude_from_export", False) and bc.name not in ("actions", "select")
            and str(bc.header).strip()]


def table_xlsx(table, *, title: str, max_rows: int = EXPORT_MAX_ROWS):
    """An ordered table (RequestConfig applied) as an .xlsx download: its visible columns,
    at most `max_rows` rows (read one row further to know; no COUNT); beyond the cap the
    sheet's last line says so."""
    from .xlsx import Workbook

    table.paginate(paginator_class=LazyPaginator, page=1, per_page=max_rows)
    cols = export_columns(table)
    wb = Workbook()
    ws = wb.create_sheet(title or "导出")
    ws.append([str(bc.header) for bc in cols])
    for row in table.page.object_list:
        ws.append([_export_value(row, bc) for bc in cols])
    if table.page.has_next():
        ws.append([f"仅导出了前 {max_rows} 条记录（导出上限），其余记录未导出；请缩小查询条件后分批导出。"])
    return wb.response(f"{title or '导出'}_{clock.today():%Y%m%d}.xlsx")


class ScopedListView(LoginRequiredMixin, TemplateView):
    """A searchable, filterable, paginated table of the rows visible to the user; the same
    rows as Excel with `?export=xlsx`."""

    template_name = "core/list.html"
    title = ""
    filterset_class = None
    table_class = None
    create_url_name = None
    paginate_by = 30
    paginator_class = None  # LazyPaginator for lists too long to count
    distinct = True  # filters across relations may repeat a row
    exportable = True
    export_max_rows = EXPORT_MAX_ROWS
    empty_text = "暂无记录。"
    empty_filtered_text = "没有符合查询条件的记录。"

    def get_base_queryset(self):
        raise NotImplementedError

    def get_extra_links(self) -> list[dict]:
        """Links beside 新增 in the list header: [{"url", "label", "id"}] (a related page)."""
        return []

    def can_create(self):
        return False

    def get_title(self):
        return self.title

    def get_filtered(self):
        qs = self.get_base_queryset()
        filterset = (self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
                     if self.filterset_class else None)
        if filterset is not None:
            if filterset.is_bound and filterset.is_valid():
                qs = filterset.qs.distinct() if self.distinct else filterset.qs
        return qs, filterset

    def filtered(self):
        """Whether the person narrowed the list (then the empty state says so)."""
        return any(v for k, v in self.request.GET.items() if k not in ("page", "per_page", "sort", "export"))

    def get_table(self, qs):
        table = self.table_class(qs)
        table.empty_text = self.empty_filtered_text if self.filtered() else self.empty_text
        return table

    def get(self, request, *args, **kwargs):
        if self.exportable and request.GET.get("export") == "xlsx":
            qs, _ = self.get_filtered()
            table = self.get_table(qs)
            RequestConfig(request, paginate=False).configure(table)
            return table_xlsx(table, title=self.get_title(), max_rows=self.export_max_rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs, filterset = self.get_filtered()
        table = self.get_table(qs)
        configure_table(self.request, table, per_page=self.paginate_by,
                        **({"paginator_class": self.paginator_class} if self.paginator_class else {}))
        for field in (filterset.form.fields.values() if filterset else []):
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if hasattr(field, "choices")
                                          else "form-control form-control-sm")
        export_url = None
        if self.exportable:
            query = self.request.GET.copy()
            for k in ("page", "export"):
                query.pop(k, None)
            query["export"] = "xlsx"
            export_url = "?" + query.urlencode()
        ctx.update(title=self.get_title(), table=table, filter=filterset, export_url=export_url,
                   export_max_rows=self.export_max_rows, filtered=self.filtered(),
                   create_url_name=self.create_url_name if self.can_create() else None,
                   extra_links=self.get_extra_links())
        return ctx


# --- detail -------------------------------------------------------------------------------------

class ScopedDetailView(LoginRequiredMixin, TemplateView):
    """One record, 404 unless visible to the user, with its history panel: the record's
    audit events and those of `history_related(obj)` (records that belong to it)."""

    model = None
    select_related: tuple = ()

    def get_object(self):
        qs = self.model.objects.visible_to(self.request.user).select_related(*self.select_related)
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def history_related(self, obj):
        return ()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.get_object()
        ctx.update(object=obj, timeline=timeline_for(obj, related=self.history_related(obj)))
        return ctx


# --- writes -------------------------------------------------------------------------------------

class _Permission:
    permission_denied_message = "您没有办理此事项的权限。"

    def has_permission(self) -> bool:
        return True

    def check_permission(self):
        if not self.has_permission():
            raise PermissionDenied(self.permission_denied_message)


class ServiceFormView(_Permission, LoginRequiredMixin, View):
    """permission → form → `perform(form)` (one service call) → a DomainError onto the
    form, the input kept → success message → redirect to `get_success_url(result)`.

    Subclasses name `form_class`, `title`, `cancel_url_name` (or `get_cancel_url`),
    `success_message` (str, or `get_success_message(result)`), and implement `perform`
    and `get_success_url`. `model` set: the record of `<pk>` visible to the user is
    `self.object` (404 otherwise) before anything else."""

    template_name = "core/form.html"
    form_class = None
    form_takes_user = True
    title = ""
    submit_label = ""
    cancel_url_name = None
    success_message = "已保存。"
    confirm = ""  # irreversible (issuing a numbered document …): what will happen, asked first
    model = None
    object = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.model is not None:
            self.object = get_object_or_404(self.model.objects.visible_to(request.user), pk=kwargs["pk"])
        self.check_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return None

    def get_form_kwargs(self):
        kwargs = {}
        if self.form_takes_user:
            kwargs["user"] = self.request.user
        if self.request.method == "POST":
            kwargs.update(data=self.request.POST, files=self.request.FILES)
        else:
            kwargs["initial"] = self.get_initial()
        return kwargs

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    def perform(self, form):
        raise NotImplementedError

    def refused(self, form, exc):
        """The service refused: its message and field messages onto the form."""
        form_error(form, exc)

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url(self, result) -> str:
        raise NotImplementedError

    def get_title(self) -> str:
        return self.title

    def get_cancel_url(self) -> str:
        return reverse(self.cancel_url_name) if self.cancel_url_name else ""

    def get_context_data(self, form):
        return {"form": form, "title": self.get_title(), "cancel_url": self.get_cancel_url(),
                "submit_label": self.submit_label, "object": self.object, "confirm": self.confirm}

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.get_context_data(self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                result = self.perform(form)
            except DomainError as exc:
                self.refused(form, exc)  # the bound form re-renders with what was typed
            else:
                text = self.get_success_message(result)
                if text:
                    messages.success(request, text)
                return redirect(self.get_success_url(result))
        return render(request, self.template_name, self.get_context_data(form))


class RecordActionView(LoginRequiredMixin, View):
    """POST `…/<pk>/<op>/` on a record visible to the user: `do_<op>(obj)` calls a service
    and returns the success message (or `(message, url)` to go elsewhere). A DomainError
    (also from `valid(form)`) is shown as a message and the typed input is kept; an
    unknown op is refused in words. Afterwards: back to `detail_url_name`."""

    http_method_names = ["post"]
    model = None
    detail_url_name = None

    def get_object(self):
        return get_object_or_404(self.model.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def version(self):
        return self.request.POST.get("version") or None

    def valid(self, form, message=None):
        """The cleaned data of a bound form, or a DomainError naming what is wrong."""
        if not form.is_valid():
            raise DomainError(message or form_errors_text(form), dict(form.errors))
        return form.cleaned_data

    def detail_url(self, obj) -> str:
        return reverse(self.detail_url_name, args=[obj.pk])

    def post(self, request, pk, op):
        self.object = obj = self.get_object()
        handler = getattr(self, f"do_{op}", None)
        try:
            if handler is None:
                raise DomainError("未知操作。")
            result = handler(obj)
        except DomainError as exc:
            messages.error(request, exc.message)
            keep_input(request)
            return redirect(self.detail_url(obj))
        text, url = result if isinstance(result, tuple) else (result, None)
        if text:
            messages.success(request, text)
        return redirect(url or self.detail_url(obj))

