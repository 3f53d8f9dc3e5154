"""Pages of 队伍建设: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse

from yifa.core import clock, import_reports
from yifa.core.errors import DomainError
from yifa.core.viewkit import RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView
from yifa.core.xlsx import import_template_response
from yifa.enforcement.models import Officer, OfficerStatus
from yifa.orgs.models import User
from yifa.core.db.replica import replica_reads

from . import exports, imports, selectors, services
from .filters import OfficerFilter, TrainingFilter
from .forms import ImportForm, RequirementForm, TrainingEditForm, TrainingForm
from .models import Attendance, AttendanceStatus, Training
from .tables import OfficerHoursTable, TrainingTable

MANAGERS = "只有监督员、部门法制员、乡镇法制员或系统管理员可以"

def _year(request) -> int:
    raw = request.GET.get("year") or ""
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return clock.today().year


def _scope_org(request):
    raw = request.GET.get("org") or ""
    if raw.isdigit():
        return selectors.orgs_for(request.user).filter(pk=raw).first()
    return None



@login_required
def home(request):
    user, today = request.user, clock.today()
    year = _year(request)
    rows = selectors.unit_statistics(user, year, today)
    return render(request, "training/home.html", {
        "year": year, "totals": selectors.totals(rows), "trainings": selectors.trainings_for(user)[:8],
        "can_manage": services.can_manage(user), "required": selectors.default_required_hours(),
        "years": range(today.year, today.year - 4, -1)})


class TrainingListView(ScopedListView):
    title = "培训记录"
    table_class = TrainingTable
    filterset_class = TrainingFilter
    create_url_name = "training:training_create"

    def can_create(self):
        return services.can_manage(self.request.user)

    def get_base_queryset(self):
        return selectors.trainings_for(self.request.user)


class _ManagerForm(ServiceFormView):
    def has_permission(self):
        return services.can_manage(self.request.user)

    def get_success_url(self, training):
        return reverse("training:training_detail", args=[training.pk])


class TrainingCreateView(_ManagerForm):
    permission_denied_message = f"{MANAGERS}登记培训。"
    form_class = TrainingForm
    title = "登记培训"
    cancel_url_name = "training:training_list"
    success_message = "培训已登记，请登记出勤。"

    def perform(self, form):
        return services.create_training(actor=self.request.user, **form.cleaned_data)


training_create = TrainingCreateView.as_view()


class TrainingEditView(_ManagerForm):
    permission_denied_message = f"{MANAGERS}修改培训。"
    model = Training
    form_class = TrainingEditForm
    success_message = "培训已修改。"

    def get_initial(self):
        t = self.object
        return {"org": t.org_id, "title": t.title, "kind": t.kind, "held_on": t.held_on, "hours": t.hours,
                "location": t.location, "trainer": t.trainer, "targets": list(t.targets.values_list("pk", flat=True)),
                "description": t.description, "version": t.version}

    def get_title(self):
        return f"修改培训：{self.object.title}"

    def get_cancel_url(self):
        return reverse("training:training_detail", args=[self.object.pk])

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        return services.update_training(actor=self.request.user, training=self.object, expected_version=version,
                                        **data)


training_edit = TrainingEditView.as_view()


def _candidates(user, training):
    qs = Officer.objects.visible_to(user).filter(status=OfficerStatus.ACTIVE).select_related("org")
    targets = list(training.targets.all())
    if targets:
        q = Q(pk__in=[])
        for t in targets:
            q |= Q(org__path__startswith=t.path)
        qs = qs.filter(q)
    return qs.order_by("org__path", "name")


def _staff(user):
    return (User.objects.visible_to(user).filter(is_active=True, officer_profiles__isnull=True)
            .select_related("org").order_by("org__path", "username"))


class TrainingDetailView(ScopedDetailView):
    model = Training
    template_name = "training/training_detail.html"
    select_related = ("org", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        ctx["attendances"] = selectors.attendances_for(user).filter(training=obj).order_by("org__path", "id")
        ctx["targets"] = obj.targets.order_by("path")
        ctx["can_manage"] = services.can_manage(user)
        if ctx["can_manage"]:
            recorded = set(Attendance.objects.filter(training=obj, officer__isnull=False)
                           .values_list("officer_id", flat=True))
            ctx["candidates"] = [(o, o.pk in recorded) for o in _candidates(user, obj)]
            ctx["staff"] = _staff(user)
            ctx["import_form"] = ImportForm()
        ctx["statuses"] = AttendanceStatus.choices
        return ctx

    def post(self, request, pk):
        """The forms of the page post here with their `op` (see TrainingActions)."""
        return TrainingActions.as_view()(request, pk=pk, op=request.POST.get("op") or "")


class TrainingActions(RecordActionView):
    """登记出勤 (ticked persons), 导入 (a sheet), 删除 (one attendance row)."""

    model = Training
    detail_url_name = "training:training_detail"

    def do_attendance(self, training):
        post, user = self.request.POST, self.request.user
        ids = [int(i) for i in post.getlist("officer") if i.isdigit()]
        uids = [int(i) for i in post.getlist("user") if i.isdigit()]
        officers = {o.pk: o for o in Officer.objects.visible_to(user).filter(pk__in=ids).select_related("org")}
        users = {u.pk: u for u in User.objects.visible_to(user).filter(pk__in=uids).select_related("org")}
        if len(officers) != len(set(ids)) or len(users) != len(set(uids)):
            raise DomainError("所选人员不存在或不在您的管理范围内。")
        common = {"status": post.get("status") or AttendanceStatus.ATTENDED, "hours": post.get("hours") or None,
                  "note": post.get("note", "")}
        entries = [dict(common, officer=officers[i]) for i in dict.fromkeys(ids)]
        entries += [dict(common, user=users[i]) for i in dict.fromkeys(uids)]
        res = services.record_attendance(actor=user, training=training, entries=entries)
        return f"出勤已登记：新增 {res['created']} 人，更新 {res['updated']} 人。"

    def do_remove(self, training):
        a = Attendance.objects.visible_to(self.request.user).filter(
            training=training, pk=self.request.POST.get("attendance") or 0).first()
        if a is None:
            raise DomainError("出勤记录不存在。")
        services.remove_attendance(actor=self.request.user, attendance=a)
        return "出勤记录已删除。"

    def post(self, request, pk, op):
        if op != "import":
            return super().post(request, pk, op)
        training = self.get_object()
        form = ImportForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise DomainError("请选择要导入的文件。")
            res = imports.import_file(actor=request.user, training=training, upload=form.cleaned_data["file"])
        except DomainError as exc:
            messages.error(request, exc.message)
            rows = exc.fields.get("rows") if isinstance(exc.fields, dict) else None
            if not rows:
                return redirect(self.detail_url(training))
            # the page shows the first errors; the whole list is a download
            token = import_reports.keep_report(user=request.user, title=f"培训出勤（{training.title}）", errors=rows)
            page = TrainingDetailView()
            page.setup(request, pk=pk)
            ctx = page.get_context_data(import_errors=import_reports.shown(rows),
                                        errors_url=reverse("training:import_errors", args=[pk]) + f"?key={token}")
            return page.render_to_response(ctx, status=400)
        messages.success(request, f"导入完成：新增 {res['created']} 人，更新 {res['updated']} 人。")
        return redirect(self.detail_url(training))


def _with_restriction(qs, today):
    """评优评先: flag officers in an accountability impact period that bars commendation."""
    from django.apps import apps

    if "accountability" not in apps.app_configs:
        return qs
    from django.db.models import OuterRef, Q

    from yifa.accountability.selectors import commendation_restricted_until

    match = Q(person__officer=OuterRef("pk")) | Q(person__user_id=OuterRef("user_id"), person__user__isnull=False)
    return qs.annotate(restricted_until=commendation_restricted_until(today, match))


class OfficerListView(ScopedListView):
    title = "执法人员学时与证件"
    table_class = OfficerHoursTable
    filterset_class = OfficerFilter
    template_name = "training/officer_list.html"
    preset_status = None

    def get_base_queryset(self):
        user, today = self.request.user, clock.today()
        qs = selectors.officers_for(user, year=_year(self.request), today=today)
        qs = _with_restriction(qs, today)
        if self.preset_status and not self.request.GET.get("status"):
            qs = qs.exclude(cert_state="valid")
        return qs

    def get_title(self):
        return f"{self.title}（{_year(self.request)}年）" if self.request.GET.get("export") else self.title

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["year"] = _year(self.request)
        ctx["certificates"] = bool(self.preset_status)
        return ctx


class CertificateListView(OfficerListView):
    title = "执法证到期预警"
    preset_status = "certificates"


def officer_export(request):
    """The officer list as Excel (kept address; the list's own `?export=xlsx`)."""
    request.GET = request.GET.copy()
    request.GET["export"] = "xlsx"
    return OfficerListView.as_view()(request)


class OfficerDetailView(ScopedDetailView):
    model = Officer
    template_name = "training/officer_detail.html"
    select_related = ("org", "user")

    def get_object(self):
        from django.shortcuts import get_object_or_404

        today = clock.today()
        qs = selectors.officers_for(self.request.user, year=today.year, today=today).select_related("user")
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        ctx["history"] = selectors.officer_history(user, obj)[:200]
        ctx["yearly"] = selectors.yearly_hours(user, obj)
        ctx["year"] = clock.today().year
        ctx["shortfall"] = max(obj.hours_required - obj.hours_done, 0)
        return ctx


@login_required
@replica_reads
def statistics(request):
    user, today = request.user, clock.today()
    year, org = _year(request), _scope_org(request)
    rows = selectors.unit_statistics(user, year, today, org=org)
    if request.GET.get("format") == "xlsx":
        return exports.statistics_response(rows, selectors.totals(rows), year)
    return render(request, "training/statistics.html", {
        "rows": rows, "totals": selectors.totals(rows), "year": year, "org": org,
        "years": range(today.year, today.year - 4, -1), "orgs": selectors.orgs_for(user)})


class RequirementView(ServiceFormView):
    """The year's required hours: the settings in scope for everyone, the form for managers."""

    template_name = "training/requirements.html"
    form_class = RequirementForm
    success_message = "年度学时要求已保存。"
    permission_denied_message = f"{MANAGERS}设定学时要求。"

    def has_permission(self):
        return self.request.method != "POST" or services.can_manage(self.request.user)

    def get_initial(self):
        return {"year": clock.today().year, "hours": selectors.default_required_hours()}

    def get_context_data(self, form):
        user = self.request.user
        return {**super().get_context_data(form), "items": selectors.requirements_for(user),
                "can_manage": services.can_manage(user), "default": selectors.default_required_hours()}

    def perform(self, form):
        return services.set_requirement(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, result):
        return reverse("training:requirements")


requirements = RequirementView.as_view()


@login_required
def import_template(request):
    """The attendance sheet to fill in: the headers, an example row, a sheet explaining the columns."""
    return import_template_response("培训出勤", imports.TEMPLATE_COLUMNS, imports.TEMPLATE_EXAMPLE,
                                    imports.TEMPLATE_CHOICES)


@login_required
def import_errors(request, pk):
    """The whole error report of the attendance import just refused (the page shows the first ones)."""
    from django.shortcuts import get_object_or_404

    t = get_object_or_404(Training.objects.visible_to(request.user), pk=pk)
    return import_reports.report_response(request, token=request.GET.get("key", ""),
                                          back_url=reverse("training:training_detail", args=[t.pk]))


import_errors.scoped_model = Training
