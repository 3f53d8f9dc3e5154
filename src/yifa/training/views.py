"""Pages of 队伍建设: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from yifa.core import clock
from yifa.core.xlsx import XLSX
from yifa.core.views import form_error as _form_error
from yifa.core.errors import DomainError
from yifa.core.views import ScopedDetailView, ScopedListView
from yifa.enforcement.models import Officer, OfficerStatus
from yifa.orgs.models import User
from yifa.core.db.replica import replica_reads

from . import exports, imports, selectors, services
from .filters import OfficerFilter, TrainingFilter
from .forms import ImportForm, RequirementForm, TrainingEditForm, TrainingForm
from .models import Attendance, AttendanceStatus, Training
from .tables import OfficerHoursTable, TrainingTable


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


@login_required
def training_create(request):
    if not services.can_manage(request.user):
        raise PermissionDenied("只有监督员、部门法制员、乡镇法制员或系统管理员可以登记培训。")
    form = TrainingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            t = services.create_training(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "培训已登记，请登记出勤。")
            return redirect("training:training_detail", pk=t.pk)
    return render(request, "core/form.html", {"form": form, "title": "登记培训",
                                              "cancel_url": reverse("training:training_list")})


@login_required
def training_edit(request, pk):
    from django.shortcuts import get_object_or_404

    t = get_object_or_404(Training.objects.visible_to(request.user), pk=pk)
    if not services.can_manage(request.user):
        raise PermissionDenied("只有监督员、部门法制员、乡镇法制员或系统管理员可以修改培训。")
    initial = {"org": t.org_id, "title": t.title, "kind": t.kind, "held_on": t.held_on, "hours": t.hours,
               "location": t.location, "trainer": t.trainer, "targets": list(t.targets.values_list("pk", flat=True)),
               "description": t.description, "version": t.version}
    form = TrainingEditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.update_training(actor=request.user, training=t, expected_version=version, **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "培训已修改。")
            return redirect("training:training_detail", pk=t.pk)
    return render(request, "core/form.html", {"form": form, "title": f"修改培训：{t.title}",
                                              "cancel_url": reverse("training:training_detail", args=[t.pk])})


training_edit.scoped_model = Training


def _candidates(user, training):
    qs = Officer.objects.visible_to(user).filter(status=OfficerStatus.ACTIVE).select_related("org")
    targets = list(training.targets.all())
    if targets:
        from django.db.models import Q

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
            ctx["import_form"] = kwargs.get("import_form") or ImportForm()
        ctx["statuses"] = AttendanceStatus.choices
        ctx["row_errors"] = kwargs.get("row_errors")
        return ctx

    def post(self, request, pk):
        obj = self.get_object()
        op = request.POST.get("op")
        try:
            if op == "attendance":
                ids = [int(i) for i in request.POST.getlist("officer") if i.isdigit()]
                uids = [int(i) for i in request.POST.getlist("user") if i.isdigit()]
                officers = {o.pk: o for o in Officer.objects.visible_to(request.user).filter(pk__in=ids)
                            .select_related("org")}
                users = {u.pk: u for u in User.objects.visible_to(request.user).filter(pk__in=uids)
                         .select_related("org")}
                if len(officers) != len(set(ids)) or len(users) != len(set(uids)):
                    raise DomainError("所选人员不存在或不在您的管理范围内。")
                common = {"status": request.POST.get("status") or AttendanceStatus.ATTENDED,
                          "hours": request.POST.get("hours") or None, "note": request.POST.get("note", "")}
                entries = [dict(common, officer=officers[i]) for i in dict.fromkeys(ids)]
                entries += [dict(common, user=users[i]) for i in dict.fromkeys(uids)]
                res = services.record_attendance(actor=request.user, training=obj, entries=entries)
                messages.success(request, f"出勤已登记：新增 {res['created']} 人，更新 {res['updated']} 人。")
            elif op == "import":
                form = ImportForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise DomainError("请选择要导入的文件。")
                res = imports.import_file(actor=request.user, training=obj, upload=form.cleaned_data["file"])
                messages.success(request, f"导入完成：新增 {res['created']} 人，更新 {res['updated']} 人。")
            elif op == "remove":
                a = Attendance.objects.visible_to(request.user).filter(training=obj,
                                                                       pk=request.POST.get("attendance") or 0).first()
                if a is None:
                    raise DomainError("出勤记录不存在。")
                services.remove_attendance(actor=request.user, attendance=a)
                messages.success(request, "出勤记录已删除。")
            else:
                raise DomainError("未知操作。")
        except DomainError as exc:
            messages.error(request, exc.message)
            rows = exc.fields.get("rows") if isinstance(exc.fields, dict) else None
            if rows:
                self.object = obj
                return self.render_to_response(self.get_context_data(row_errors=rows), status=400)
        return redirect("training:training_detail", pk=obj.pk)


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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["year"] = _year(self.request)
        ctx["export_query"] = self.request.GET.urlencode()
        ctx["certificates"] = bool(self.preset_status)
        return ctx


class CertificateListView(OfficerListView):
    title = "执法证到期预警"
    preset_status = "certificates"


@login_required
def officer_export(request):
    year = _year(request)
    qs = selectors.officers_for(request.user, year=year, today=clock.today())
    f = OfficerFilter(request.GET or None, queryset=qs, request=request)
    if f.is_bound and f.is_valid():
        qs = f.qs
    return exports.officers_response(qs, year)


class OfficerDetailView(ScopedDetailView):
    model = Officer
    template_name = "training/officer_detail.html"
    select_related = ("org", "user")

    def get_object(self):
        today = clock.today()
        qs = selectors.officers_for(self.request.user, year=today.year, today=today).select_related("user")
        from django.shortcuts import get_object_or_404

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


@login_required
def requirements(request):
    user = request.user
    form = RequirementForm(request.POST or None, user=user,
                           initial={"year": clock.today().year, "hours": selectors.default_required_hours()})
    if request.method == "POST":
        if not services.can_manage(user):
            raise PermissionDenied("只有监督员、部门法制员、乡镇法制员或系统管理员可以设定学时要求。")
        if form.is_valid():
            try:
                services.set_requirement(actor=user, **form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "年度学时要求已保存。")
                return redirect("training:requirements")
    return render(request, "training/requirements.html", {
        "form": form, "items": selectors.requirements_for(user), "can_manage": services.can_manage(user),
        "default": selectors.default_required_hours()})


@login_required
def import_template(request):
    """An empty attendance sheet with the expected headers."""
    from yifa.core.xlsx import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("出勤")
    ws.append(list(imports.COLUMNS.values()))
    ws.append(["371523000001", "", "张三", "出席", 4, ""])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    resp = HttpResponse(buf.getvalue(), content_type=XLSX)
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''attendance-template.xlsx"
    return resp


