from datetime import date
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.views import ScopedDetailView, ScopedListView
from yifa.orgs.models import Role

from . import engine, selectors, services
from .filters import TrackedDeadlineFilter
from .forms import CalculatorForm, HolidayDayForm, HolidayImportForm, OverrideForm
from .models import TrackedDeadline
from .tables import HolidayDayTable, TrackedDeadlineTable, status_badge
from .todos import notice_text


def _require_admin(user):
    if not user.has_role(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以维护节假日和期限规则。")


@login_required
def calculator(request):
    """法定期限计算器 (GET, so a result can be bookmarked and shared)."""
    form = CalculatorForm(request.GET if "rule" in request.GET else None, user=request.user)
    result = error = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = engine.compute(data["rule"].code, data["start"], org=data["org"],
                                    strict=data.get("strict", False))
        except DomainError as exc:
            error = exc.message
    return render(request, "deadlines/calculator.html", {"form": form, "result": result, "error": error,
                                                         "title": "法定期限计算器"})


@login_required
def rule_list(request):
    return render(request, "deadlines/rule_list.html", {
        "rules": selectors.rules_with_overrides(request.user), "title": "期限规则",
        "can_edit": request.user.has_role(Role.ADMIN)})


@login_required
def override_create(request):
    _require_admin(request.user)
    initial = {"rule": request.GET.get("rule")} if request.GET.get("rule") else {}
    form = OverrideForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rule_override(actor=request.user, **form.cleaned_data)
        except (DomainError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, "特别规定已保存。")
            return redirect("deadlines:rule_list")
    return render(request, "core/form.html", {"form": form, "title": "新增期限特别规定",
                                              "cancel_url": reverse("deadlines:rule_list")})


@login_required
def holiday_list(request):
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    table = HolidayDayTable(selectors.holiday_days(year))
    RequestConfig(request, paginate=False).configure(table)
    counts = selectors.provisional_counts(request.user)
    years = list(selectors.holiday_years())
    for hy in years:
        hy.provisional_count = counts.get(hy.year, 0)
    return render(request, "deadlines/holiday_list.html", {
        "title": "节假日日历", "year": year, "years": years, "table": table,
        "can_edit": request.user.has_role(Role.ADMIN),
        "notice_years": [(y, n, notice_text(y, n)) for y, n in selectors.missing_notice_years(clock.today(), request.user)],
        "confirm_no_makeup": request.GET.get("confirm") == "1"})


@login_required
def holiday_add(request):
    _require_admin(request.user)
    form = HolidayDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_holiday_days(actor=request.user, rows=[{k: data[k] for k in ("date", "kind", "name", "source")}],
                                      complete_years=[data["date"].year] if data["complete_year"] else (),
                                      confirm_no_makeup=data["confirm_no_makeup"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已录入 {data['date']:%Y-%m-%d} {data['name']}。")
            return redirect(f"{reverse('deadlines:holiday_list')}?year={data['date'].year}")
    return render(request, "core/form.html", {"form": form, "title": "录入节假日",
                                              "cancel_url": reverse("deadlines:holiday_list")})


@login_required
def holiday_import(request):
    _require_admin(request.user)
    form = HolidayImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.import_holiday_csv(actor=request.user, text=data["text"], complete=data["complete"],
                                                  source=data["source"], confirm_no_makeup=data["confirm_no_makeup"])
        except DomainError as exc:
            for line in exc.fields.get("rows", [exc.message]):
                form.add_error(None, line)
        else:
            years = sorted({h.year for h in created})
            messages.success(request, f"已导入 {len(created)} 天（{'、'.join(map(str, years))} 年）。")
            _report_recompute(request, getattr(created, "recompute", None))
            return redirect(f"{reverse('deadlines:holiday_list')}?year={years[0]}")
    return render(request, "deadlines/holiday_import.html", {"form": form, "title": "导入节假日（国务院办公厅通知）",
                                                              "cancel_url": reverse("deadlines:holiday_list")})


@login_required
@require_POST
def holiday_year_complete(request, year):
    _require_admin(request.user)
    try:
        hy = services.set_year_complete(actor=request.user, year=year, complete=request.POST.get("complete", "1") == "1",
                                        confirm_no_makeup=request.POST.get("confirm_no_makeup") == "1")
    except services.NoMakeupDaysWarning as exc:
        messages.warning(request, exc.message)
        return redirect(f"{reverse('deadlines:holiday_list')}?year={year}&confirm=1")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{year} 年节假日数据状态已更新。")
        _report_recompute(request, getattr(hy, "recompute", None))
    return redirect(f"{reverse('deadlines:holiday_list')}?year={year}")


def _report_recompute(request, counts):
    if counts and counts["recomputed"]:
        messages.info(request, f"已重新计算 {counts['recomputed']} 个暂定期限：{counts['moved']} 个届满日变化"
                               f"（已通知承办人），{counts['still_provisional']} 个仍为暂定（等待以后年度的放假安排）。")


class TrackedListView(ScopedListView):
    title = "期限监控"
    table_class = TrackedDeadlineTable

    @property
    def filterset_class(self):
        # the unit choices are the units visible to the user, so the filter needs the request
        return partial(TrackedDeadlineFilter, request=self.request)

    def get_base_queryset(self):
        return selectors.deadlines_visible_to(self.request.user, clock.today())


class TrackedDetailView(ScopedDetailView):
    model = TrackedDeadline
    template_name = "deadlines/tracked_detail.html"
    select_related = ("org", "rule", "handler")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        d = ctx["object"]
        today: date = clock.today()
        ctx.update(title=d.title, due_badge=status_badge(d.due_status_on(today)),
                   suspensions=d.suspensions.select_related("created_by"),
                   extensions=d.extensions.select_related("approver", "created_by"),
                   warnings=d.warnings.all())
        return ctx
