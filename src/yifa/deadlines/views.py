from datetime import date
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.import_reports import ImportReportMixin
from yifa.core.viewkit import ScopedDetailView, ScopedListView, ServiceFormView
from yifa.orgs.models import Role

from . import engine, selectors, services
from .filters import TrackedDeadlineFilter
from .forms import CalculatorForm, HolidayDayForm, HolidayImportForm, OverrideForm
from .models import TrackedDeadline
from .tables import HolidayDayTable, RuleTable, TrackedDeadlineTable, status_badge
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


class RuleListView(ScopedListView):
    """期限规则 with the local provisions (特别规定) of the units visible to the user."""

    title = "期限规则"
    template_name = "deadlines/rule_list.html"
    table_class = RuleTable
    paginate_by = 200  # every rule on one page

    def get_base_queryset(self):
        return selectors.rules_with_overrides(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "can_edit": self.request.user.has_role(Role.ADMIN)}


rule_list = RuleListView.as_view()


class _AdminForm(ServiceFormView):
    """The administrator's forms for the holiday table and the rules' local provisions."""

    permission_denied_message = "只有系统管理员可以维护节假日和期限规则。"

    def has_permission(self):
        return self.request.user.has_role(Role.ADMIN)


class OverrideCreate(_AdminForm):
    form_class = OverrideForm
    title = "新增期限特别规定"
    cancel_url_name = "deadlines:rule_list"
    success_message = "特别规定已保存。"

    def get_initial(self):
        return {"rule": self.request.GET.get("rule")} if self.request.GET.get("rule") else {}

    def perform(self, form):
        try:
            return services.set_rule_override(actor=self.request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            raise DomainError(str(exc) or self.permission_denied_message) from exc

    def get_success_url(self, override):
        return reverse("deadlines:rule_list")


override_create = OverrideCreate.as_view()


class HolidayListView(ScopedListView):
    """节假日日历 of one year (the national table, the same for every unit), with the
    years' completeness; the year's days as Excel with `?export=xlsx`."""

    template_name = "deadlines/holiday_list.html"
    table_class = HolidayDayTable
    paginate_by = 400  # a year's holidays and make-up days on one page

    def year(self) -> int:
        try:
            return int(self.request.GET.get("year") or clock.today().year)
        except ValueError:
            return clock.today().year

    def get_title(self):
        return f"节假日日历 · {self.year()} 年"

    def get_base_queryset(self):
        return selectors.holiday_days(self.year())

    def filtered(self):
        return False  # the year is a view of the calendar, not a narrowing query

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        counts = selectors.provisional_counts(user)
        years = list(selectors.holiday_years())
        for hy in years:
            hy.provisional_count = counts.get(hy.year, 0)
        ctx.update(year=self.year(), years=years, can_edit=user.has_role(Role.ADMIN),
                   notice_years=[(y, n, notice_text(y, n)) for y, n in selectors.missing_notice_years(clock.today(), user)],
                   confirm_no_makeup=self.request.GET.get("confirm") == "1")
        return ctx


holiday_list = HolidayListView.as_view()


class HolidayAdd(_AdminForm):
    form_class = HolidayDayForm
    form_takes_user = False
    title = "录入节假日"
    cancel_url_name = "deadlines:holiday_list"

    def perform(self, form):
        data = form.cleaned_data
        services.add_holiday_days(actor=self.request.user, rows=[{k: data[k] for k in ("date", "kind", "name", "source")}],
                                  complete_years=[data["date"].year] if data["complete_year"] else (),
                                  confirm_no_makeup=data["confirm_no_makeup"])
        return data["date"]

    def get_success_message(self, day):
        return f"已录入 {day:%Y-%m-%d} {self.request.POST.get('name', '')}。"

    def get_success_url(self, day):
        return f"{reverse('deadlines:holiday_list')}?year={day.year}"


holiday_add = HolidayAdd.as_view()


class HolidayImport(ImportReportMixin, _AdminForm):
    template_name = "deadlines/holiday_import.html"
    form_class = HolidayImportForm
    form_takes_user = False
    title = "导入节假日（国务院办公厅通知）"
    import_title = "节假日"
    cancel_url_name = "deadlines:holiday_list"

    def perform(self, form):
        data = form.cleaned_data
        # a refusal names the wrong rows (the first 20, and how many more) above the form
        created = services.import_holiday_csv(actor=self.request.user, text=data["text"], complete=data["complete"],
                                              source=data["source"], confirm_no_makeup=data["confirm_no_makeup"])
        _report_recompute(self.request, getattr(created, "recompute", None))
        return created

    def get_success_message(self, created):
        years = sorted({h.year for h in created})
        return f"已导入 {len(created)} 天（{'、'.join(map(str, years))} 年）。"

    def get_success_url(self, created):
        return f"{reverse('deadlines:holiday_list')}?year={min(h.year for h in created)}"


holiday_import = HolidayImport.as_view()

# the CSV the import reads: a header line, then one line per day of the notice
HOLIDAY_TEMPLATE = ("date,kind,name,source\n"
                    "# 每行一天：日期（YYYY-MM-DD）,类型（holiday 或 休：放假日，含放假期间的周末；makeup_workday 或 班：调休上班日）,名称,来源（可不填）\n"
                    "# 以 # 开头的行不导入；导入前请删除下面的示例行\n"
                    "2027-01-01,holiday,元旦,国务院办公厅关于2027年部分节假日安排的通知\n"
                    "2027-02-07,makeup_workday,春节调休上班,国务院办公厅关于2027年部分节假日安排的通知\n")


@login_required
def holiday_import_template(request):
    """The holiday import's template (CSV, UTF-8 with BOM so that Excel opens it in Chinese)."""
    _require_admin(request.user)
    resp = HttpResponse("\ufeff" + HOLIDAY_TEMPLATE, content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''%E8%8A%82%E5%81%87%E6%97%A5%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.csv"
    return resp


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
