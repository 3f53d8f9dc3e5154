"""Pages of the complaints app: the public form and query (no login), and the staff pages."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date

from yifa.deadlines.words import due_text
from yifa.core import clock
from yifa.core.net import client_ip
from yifa.core.errors import DomainError
from yifa.core.viewkit import RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.core.db.replica import replica_reads

from . import conf, exports, selectors, services
from .filters import ComplaintFilter
from .forms import DateForm, PublicComplaintForm, QueryForm, StaffComplaintForm
from .models import Complaint, ComplaintState
from .tables import ComplaintTable


def _form_error(form, exc):
    placed = False
    for field, errs in (exc.fields or {}).items():
        if field in form.fields:
            for e in errs if isinstance(errs, list) else [errs]:
                form.add_error(field, e)
                placed = True
    if not placed or not exc.fields:
        form.add_error(None, exc.message)


# --- public (no login) --------------------------------------------------------------------------

def public_new(request):
    form = PublicComplaintForm(request.POST or None, request.FILES or None, units=selectors.units_for_public())
    status = 200
    if request.method == "POST":
        ip = client_ip(request)
        try:
            services.check_rate(ip)
        except services.RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            if form.is_valid():
                d = form.cleaned_data
                try:
                    c = services.submit_public(subject_unit=d["subject_unit"], category=d["category"],
                                               complainant_name=d["complainant_name"],
                                               complainant_phone=d["complainant_phone"],
                                               complainant_id_no=d["complainant_id_no"], content=d["content"],
                                               attachment=d.get("attachment"))
                except DomainError as exc:
                    _form_error(form, exc)
                    status = 400
                else:
                    services.note_attempt(ip)
                    request.session["complaint_code"] = c.query_code
                    return redirect("complaints:public_done")
            else:
                status = 400
    return render(request, "complaints/public_form.html", {
        "form": form, "title": "行政执法投诉举报", "max_mb": conf.value("YIFA_COMPLAINT_MAX_UPLOAD_MB"),
        "per_hour": conf.value("YIFA_COMPLAINT_RATE_PER_HOUR")}, status=status)


public_new.public = True


def public_done(request):
    code = request.session.get("complaint_code")
    if not code:
        return redirect("complaints:public_new")
    # Received, not yet registered (受理 is the office's decision after it reads the complaint).
    return render(request, "complaints/public_done.html", {"code": code, "title": "投诉举报已收到，待登记"})


public_done.public = True


def public_query(request):
    # “查询办理进度” after submitting carries the code (?code=…): the form starts with it.
    code = "".join(ch for ch in (request.GET.get("code") or "") if ch.isascii() and ch.isalnum())[:20].upper()
    form = QueryForm(request.POST or None, initial={"query_code": code} if code else None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.lookup(query_code=form.cleaned_data["query_code"],
                                     phone_last4=form.cleaned_data["phone_last4"], ip=client_ip(request))
        except services.RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            if result is None:
                form.add_error(None, "未查到该投诉举报：请核对查询码和联系电话后四位。")
                status = 404
    return render(request, "complaints/public_query.html", {"form": form, "c": result, "title": "投诉举报办理查询"},
                  status=status)


public_query.public = True


# --- staff ----------------------------------------------------------------------------------------

@login_required
def home(request):
    user, today = request.user, clock.today()
    qs = selectors.complaints_visible_to(user)
    start = date(today.year, 1, 1)
    return render(request, "complaints/home.html", {
        "title": "投诉举报", "stats": selectors.statistics(user, start, today, today)["summary"],
        "to_route": qs.filter(state=ComplaintState.RECEIVED).order_by("received_on")[:10],
        "open_routed": qs.filter(state=ComplaintState.ROUTED).order_by("due")[:10],
        "can_supervise": services.can_supervise(user), "today": today, "year": today.year,
    })


class ComplaintListView(ScopedListView):
    title = "投诉举报"
    table_class = ComplaintTable
    filterset_class = ComplaintFilter
    create_url_name = "complaints:create"
    template_name = "complaints/list.html"

    def can_create(self):
        return services.can_supervise(self.request.user)

    def get_base_queryset(self):
        return selectors.complaints_visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        """`?export=xlsx`: the filtered rows with the register's own columns (12345 ticket,
        routing, reply and closing dates, on time or not), personal data masked as on the page."""
        if request.GET.get("export") == "xlsx":
            return exports.complaints_xlsx(self.get_filtered()[0])
        return super().get(request, *args, **kwargs)


class ComplaintExport(ComplaintListView):
    """The former export address (`export/?…`): the same Excel as the list's 导出 Excel."""

    def get(self, request, *args, **kwargs):
        return exports.complaints_xlsx(self.get_filtered()[0])


export = replica_reads(ComplaintExport.as_view())


class ComplaintDetailView(ScopedDetailView):
    """The only page that shows the complainant's full personal data (to users in scope)."""

    model = Complaint
    template_name = "complaints/detail.html"
    select_related = ("org", "subject_unit", "replied_by", "finding", "created_by")

    def get_context_data(self, **kwargs):
        from yifa.supervision.models import FindingCategory

        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        sup = services.can_supervise(user)
        ctx.update(
            deadlines=deadlines_for_owner(obj), can_supervise=sup,
            can_route=sup and obj.state == ComplaintState.RECEIVED,
            can_reply=services.can_reply(user) and obj.state == ComplaintState.ROUTED,
            can_close=sup and obj.state == ComplaintState.REPLIED,
            can_finding=sup and not obj.finding_id and obj.state != ComplaintState.REJECTED,
            units=selectors.units_in_scope(user) if sup and obj.state == ComplaintState.RECEIVED else [],
            categories=FindingCategory.choices, today=clock.today(),
        )
        return ctx


class ComplaintCreate(ServiceFormView):
    form_class = StaffComplaintForm
    form_takes_user = False
    title = "登记投诉举报（来信/来访/电话/12345转办）"
    cancel_url_name = "complaints:list"
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以登记投诉举报。"

    def has_permission(self):
        return services.can_supervise(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": selectors.units_in_scope(self.request.user)}

    def perform(self, form):
        return services.register_complaint(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        c, created = result
        if created:
            return f"投诉举报已登记，查询码 {c.query_code}。"
        messages.info(self.request, f"12345 工单 {c.hotline_ticket} 已登记过，未重复登记。")
        return ""

    def get_success_url(self, result):
        return reverse("complaints:detail", args=[result[0].pk])


create = ComplaintCreate.as_view()


class ComplaintActions(RecordActionView):
    """转办, 答复, 办结, 不予受理 and 转为监督问题 on the complaint's page."""

    model = Complaint
    detail_url_name = "complaints:detail"

    def on(self):
        return self.valid(DateForm(self.request.POST), "日期格式不正确。")["on"]

    def do_route(self, c):
        from yifa.orgs.models import Organization

        user, raw = self.request.user, self.request.POST.get("unit") or ""
        unit_id = int(raw) if raw.isdigit() and len(raw) < 10 else 0
        unit = selectors.units_in_scope(user).filter(pk=unit_id).first()
        if unit is None and not Organization.objects.filter(pk=unit_id).exists():
            raise DomainError("请选择承办单位。")
        if unit is None:
            raise PermissionDenied("承办单位不在您的管理范围内。")
        c = services.route(actor=user, complaint=c, unit=unit, note=self.request.POST.get("note", ""),
                           on=self.on(), expected_version=self.version())
        text = f"已转办 {c.org.name}，办理期限至 {due_text(c)}。"
        if not Complaint.objects.visible_to(user).filter(pk=c.pk).exists():
            return text, reverse("complaints:list")
        return text

    def do_reply(self, c):
        services.reply(actor=self.request.user, complaint=c, text=self.request.POST.get("reply", ""), on=self.on(),
                       expected_version=self.version())
        return "已答复。"

    def do_close(self, c):
        services.close(actor=self.request.user, complaint=c, on=self.on(), expected_version=self.version())
        return "已办结。"

    def do_reject(self, c):
        services.reject(actor=self.request.user, complaint=c, reason=self.request.POST.get("reason", ""),
                        on=self.on(), expected_version=self.version())
        return "已作出不予受理决定。"

    def do_finding(self, c):
        f = services.to_finding(actor=self.request.user, complaint=c, category=self.request.POST.get("category", ""),
                                description=self.request.POST.get("description", ""), on=self.on(),
                                expected_version=self.version())
        return f"已转为监督问题 {f.pk}，整改期限已开始计算。"


op = ComplaintActions.as_view()


@login_required
def attachment(request, pk, what="attachment"):
    c = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
    if what != "attachment" or not c.attachment:
        raise Http404("没有附件。")
    return FileResponse(c.attachment.open("rb"), as_attachment=True, filename=c.attachment_name or c.attachment.name,
                        content_type=c.attachment_type or "application/octet-stream")


attachment.scoped_model = Complaint


def _period(request, today):
    start = parse_date(request.GET.get("start") or "") if request.GET.get("start") else None
    end = parse_date(request.GET.get("end") or "") if request.GET.get("end") else None
    return start or date(today.year, 1, 1), end or today


@login_required
@replica_reads
def stats(request):
    today = clock.today()
    try:
        start, end = _period(request, today)
    except ValueError:
        start, end = date(today.year, 1, 1), today
    data = selectors.statistics(request.user, start, end, today)
    if request.GET.get("format") == "xlsx":
        return exports.statistics_xlsx(data, start, end)
    return render(request, "complaints/stats.html", {"title": "投诉举报统计", "start": start, "end": end, **data})
