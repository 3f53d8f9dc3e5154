"""Pages of the supervision app: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date

from yifa.deadlines.words import due_text
from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.viewkit import RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView
from yifa.core.workflows import is_issuer_side
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.core.db.replica import replica_reads
from yifa.documents.views import record_document_view

from . import selectors, services
from .filters import ClueFilter, FindingFilter, InspectionFilter
from .forms import CorrectForm, FindingForm, InspectionForm, LetterForm, ReportForm

from .models import (DECISION_ISSUER_KINDS, Clue, ClueState, DecisionKind, DecisionState, Finding, FindingCategory, FindingState, Inspection,
                     LetterState, LetterTier, Notice, NoticeState, OpinionLetter, RectificationFile,
                     SupervisionDecision)
from .tables import ClueTable, FindingTable, InspectionTable, LetterTable



@login_required
def home(request):
    user = request.user
    return render(request, "supervision/home.html", {
        "inspections": selectors.inspections_visible_to(user)[:10],
        "open_findings": selectors.findings_visible_to(user).filter(state=FindingState.OPEN)[:10],
        "rates": selectors.rectification_rates(user),
        "can_supervise": services.can_supervise(user),
    })


class InspectionListView(ScopedListView):
    title = "监督检查"
    table_class = InspectionTable
    filterset_class = InspectionFilter
    create_url_name = "supervision:inspection_create"

    def can_create(self):
        return services.can_supervise(self.request.user)

    def get_base_queryset(self):
        return selectors.inspections_visible_to(self.request.user)


class InspectionDetailView(ScopedDetailView):
    model = Inspection
    template_name = "supervision/inspection_detail.html"
    select_related = ("org",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        user = self.request.user
        ctx["findings"] = selectors.findings_visible_to(user).filter(inspection=obj)
        ctx["targets"] = obj.targets.order_by("path")
        if services.can_supervise(user):
            ctx["finding_form"] = FindingForm(user=user, inspection=obj)
        return ctx


class _SupervisorForm(ServiceFormView):
    """The forms of 监督员、部门法制员、乡镇法制员 (`services.can_supervise`)."""

    def has_permission(self):
        return services.can_supervise(self.request.user)


class InspectionCreate(_SupervisorForm):
    form_class = InspectionForm
    title = "新建监督检查"
    cancel_url_name = "supervision:inspection_list"
    success_message = "监督检查已创建。"
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以组织监督检查。"

    def perform(self, form):
        return services.create_inspection(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, insp):
        return reverse("supervision:inspection_detail", args=[insp.pk])


inspection_create = InspectionCreate.as_view()


class FindingCreate(_SupervisorForm):
    form_class = FindingForm
    title = "登记监督发现的问题"
    cancel_url_name = "supervision:finding_list"
    success_message = "问题已登记，整改期限已开始计算。"
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以登记问题。"

    def perform(self, form):
        return services.raise_finding(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, f):
        return reverse("supervision:finding_detail", args=[f.pk])


finding_create = FindingCreate.as_view()


class InspectionAddFinding(FindingCreate):
    """登记问题 from an inspection (`<pk>`: the inspection, visible to the user)."""

    model = Inspection

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inspection": self.object}

    def get_title(self):
        return f"登记问题：{self.object.title}"

    def get_cancel_url(self):
        return reverse("supervision:inspection_detail", args=[self.object.pk])

    def perform(self, form):
        return services.raise_finding(actor=self.request.user, inspection=self.object, **form.cleaned_data)

    def get_success_url(self, f):
        return self.get_cancel_url()


inspection_add_finding = InspectionAddFinding.as_view()


class FindingListView(ScopedListView):
    title = "监督发现问题"
    table_class = FindingTable
    filterset_class = FindingFilter
    create_url_name = "supervision:finding_create"

    def can_create(self):
        return services.can_supervise(self.request.user)

    def get_base_queryset(self):
        return selectors.findings_visible_to(self.request.user)


class FindingDetailView(ScopedDetailView):
    model = Finding
    template_name = "supervision/finding_detail.html"
    select_related = ("org", "inspection", "raised_by", "verified_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        ctx["deadlines"] = deadlines_for_owner(obj)
        ctx["correct_form"] = CorrectForm() if obj.state == FindingState.OPEN else None
        ctx["can_verify"] = (obj.state == FindingState.CORRECTED and services.can_supervise(self.request.user)
                             and is_issuer_side(self.request.user, services.finding_issuer(obj)))
        ctx["can_mark"] = services.can_supervise(self.request.user)
        return ctx


class FindingActions(RecordActionView):
    model = Finding
    detail_url_name = "supervision:finding_detail"

    def do_correct(self, f):
        d = self.valid(CorrectForm(self.request.POST), "请填写整改情况及佐证。")
        services.correct_finding(actor=self.request.user, finding=f, evidence=d["evidence"], on=d.get("on"),
                                 expected_version=self.version())
        return "已报告整改完成。"

    def do_verify(self, f):
        services.verify_finding(actor=self.request.user, finding=f, expected_version=self.version())
        return "已核验整改。"

    def do_mark(self, f):
        post = self.request.POST
        services.mark_finding(actor=self.request.user, finding=f, is_major=post.get("is_major") == "1",
                              typical=post.get("typical") == "1", public_summary=post.get("public_summary", ""),
                              expected_version=self.version())
        return "标记已保存。"


finding_op = FindingActions.as_view()


# --- online supervision ----------------------------------------------------------------------

def _rule_period(request):
    """(start, end, error) of the hit-rate period from GET from/to (default: this year)."""
    try:
        start, end = selectors.rule_period(request.GET.get("from"), request.GET.get("to"))
        return start, end, ""
    except DomainError as exc:
        start, end = selectors.rule_period(None, None)
        return start, end, exc.message


@login_required
def rule_list(request):
    user = request.user
    if request.method == "POST":
        if "run" in request.POST:
            try:
                counts = services.run_rules(actor=user, rule_codes=request.POST.getlist("rule") or None)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "规则已运行，新增线索 " + str(sum(counts.values())) + " 条。")
        else:
            org = selectors.target_orgs_for(user).filter(pk=request.POST.get("org") or 0).first()
            try:
                services.set_rule_switch(actor=user, org=org, rule_code=request.POST.get("rule_code", ""),
                                         enabled=request.POST.get("enabled") == "1")
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "规则开关已保存。")
        return redirect("supervision:rule_list")
    start, end, error = _rule_period(request)
    if error:
        messages.error(request, error)
    from .rules import SEVERITIES

    return render(request, "supervision/rules.html", {
        "rules": selectors.rules_with_counts(user, start, end), "switches": selectors.switches_visible_to(user),
        "orgs": selectors.target_orgs_for(user), "can_supervise": services.can_supervise(user),
        "start": start, "end": end, "severities": SEVERITIES})


@login_required
def rule_detail(request, code):
    """One rule: what it looks for and why, its thresholds (editable by an administrator),
    its hit rate over the period, the top reasons for dismissing its clues and its recent clues."""
    from .rules import RULES, SEVERITIES

    rule = RULES.get(code)
    if rule is None:
        raise Http404
    user = request.user
    is_admin = user.has_role("admin")
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("只有系统管理员可以修改监督规则参数。")
        try:
            services.set_rule_param(actor=user, rule_code=code, key=request.POST.get("key", ""),
                                    value=request.POST.get("value", ""), rationale=request.POST.get("rationale", ""),
                                    expected_version=request.POST.get("version"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "参数已保存，下次运行规则时生效。")
        return redirect("supervision:rule_detail", code=code)
    start, end, error = _rule_period(request)
    if error:
        messages.error(request, error)
    counts = next(r for r in selectors.rules_with_counts(user, start, end) if r["rule"].code == code)
    recent = selectors.clue_period(user).filter(rule_code=code).order_by("-raised_on", "-id")[:20]
    return render(request, "supervision/rule_detail.html", {
        "rule": rule, "severity": SEVERITIES.get(rule.severity, ""), "params": selectors.rule_params(code),
        "counts": counts, "reasons": selectors.dismissal_reasons(user, code, start, end), "recent": recent,
        "start": start, "end": end, "can_edit": is_admin})


class ClueListView(ScopedListView):
    title = "线上监督线索"
    table_class = ClueTable
    filterset_class = ClueFilter

    def get_base_queryset(self):
        return selectors.clues_visible_to(self.request.user)


class ClueDetailView(ScopedDetailView):
    model = Clue
    template_name = "supervision/clue_detail.html"
    select_related = ("org", "case", "finding", "handled_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_handle"] = ctx["object"].state == ClueState.OPEN and services.can_supervise(self.request.user)
        ctx["categories"] = FindingCategory.choices
        ctx["evidence"] = selectors.clue_evidence(ctx["object"])
        return ctx


class ClueActions(RecordActionView):
    model = Clue
    detail_url_name = "supervision:clue_detail"

    def do_confirm(self, c):
        post = self.request.POST
        on = None
        if post.get("on"):
            try:
                on = parse_date(post["on"])
            except ValueError:
                on = None
            if on is None:
                raise DomainError("发现日期格式不正确。")
        f = services.confirm_clue(actor=self.request.user, clue=c, category=post.get("category", ""),
                                  description=post.get("description", ""), on=on, expected_version=self.version())
        return "线索已确认为问题，整改期限已开始计算。", reverse("supervision:finding_detail", args=[f.pk])

    def do_dismiss(self, c):
        services.dismiss_clue(actor=self.request.user, clue=c, reason=self.request.POST.get("reason", ""),
                              expected_version=self.version())
        return "线索已排除。"


clue_op = ClueActions.as_view()


# --- opinion letters --------------------------------------------------------------------------

class LetterListView(ScopedListView):
    title = "行政执法监督通知书、意见书"
    table_class = LetterTable
    create_url_name = "supervision:letter_create"

    @property
    def filterset_class(self):
        from .filters import LetterFilter

        return LetterFilter

    def can_create(self):
        return services.can_supervise(self.request.user)

    def get_base_queryset(self):
        return selectors.letters_visible_to(self.request.user)


class LetterCreate(_SupervisorForm):
    form_class = LetterForm
    title = "印发行政执法监督通知书、意见书"
    cancel_url_name = "supervision:letter_list"
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以印发监督通知书、意见书。"

    def get_initial(self):
        return {"findings": self.request.GET.getlist("finding"), "tier": self.request.GET.get("tier") or "opinion"}

    confirm = "将印发并编号，印发后整改期限开始计算，不能撤回。确定印发？"

    def perform(self, form):
        return services.issue_letter(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, letter):
        return f"{letter.short_name} {letter.doc_number} 已印发，整改期限至 {due_text(letter)}。"

    def get_success_url(self, letter):
        return reverse("supervision:letter_detail", args=[letter.pk])


letter_create = LetterCreate.as_view()


class LetterDetailView(ScopedDetailView):
    model = OpinionLetter
    template_name = "supervision/letter_detail.html"
    select_related = ("org", "issuer", "document", "escalated_to")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        ctx["findings"] = obj.findings.all()
        ctx["reports"] = obj.reports.select_related("submitted_by", "reviewed_by").prefetch_related("files")
        ctx["deadlines"] = deadlines_for_owner(obj)
        ctx["can_submit"] = obj.state == LetterState.RECTIFYING
        issuer_side = services.can_supervise(user) and is_issuer_side(user, obj.issuer)
        ctx["can_review"] = obj.state == LetterState.SUBMITTED and issuer_side
        ctx["can_close"] = obj.state == LetterState.ACCEPTED and issuer_side
        ctx["report_form"] = ReportForm() if ctx["can_submit"] else None
        ctx["decision"] = SupervisionDecision.objects.filter(letter=obj).first()
        may_decide = user.org is not None and user.org.kind in {k for kinds in DECISION_ISSUER_KINDS.values()
                                                                for k in kinds}
        if obj.tier == LetterTier.NOTICE:
            may_decide = True  # a notice escalates to a 意见书, which any issuing unit may issue
        ctx["escalable_reason"] = (services.letter_escalable_reason(obj, clock.today())
                                   if issuer_side and may_decide and obj.state == LetterState.RECTIFYING else "")
        ctx["escalated_from"] = OpinionLetter.objects.filter(escalated_to=obj).only("id", "doc_number", "title").first()
        ctx["decision_kinds"] = DecisionKind.choices
        return ctx


@login_required
def rectification_file(request, pk):
    rf = get_object_or_404(RectificationFile.objects.visible_to(request.user), pk=pk)
    try:
        f = rf.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    return FileResponse(f, as_attachment=True, filename=rf.original_name, content_type=rf.content_type)


rectification_file.scoped_model = RectificationFile


class LetterActions(RecordActionView):
    model = OpinionLetter
    detail_url_name = "supervision:letter_detail"

    def do_submit(self, letter):
        d = self.valid(ReportForm(self.request.POST, self.request.FILES), "请填写整改情况。")
        services.submit_rectification(actor=self.request.user, letter=letter, content=d["content"],
                                      evidence=d["evidence"], files=d["files"], on=d.get("on"),
                                      expected_version=self.version())
        return "整改报告已报送。"

    def do_escalate(self, letter):
        post = self.request.POST
        if letter.tier == LetterTier.NOTICE:
            opinion = services.escalate_notice(actor=self.request.user, letter=letter,
                                               reasons=post.get("reasons", ""),
                                               requirements=post.get("requirements", ""),
                                               title=post.get("title", ""), expected_version=self.version())
            return (f"已升级：监督意见书 {opinion.doc_number} 已印发，整改期限至 {due_text(opinion)}。",
                    reverse("supervision:letter_detail", args=[opinion.pk]))
        dec = services.escalate_letter(actor=self.request.user, letter=letter, kind=post.get("kind", ""),
                                       reasons=post.get("reasons", ""), requirements=post.get("requirements", ""),
                                       expected_version=self.version())
        return (f"监督决定书 {dec.doc_number} 已印发，履行期限至 {due_text(dec)}。",
                reverse("supervision:decision_detail", args=[dec.pk]))

    def _transition(self, letter):
        services.letter_transition(actor=self.request.user, letter=letter, action=self.kwargs["op"],
                                   reason=self.request.POST.get("reason", ""), expected_version=self.version())
        return "已办理。"

    do_accept = do_reject = do_close = _transition


letter_op = LetterActions.as_view()
letter_download = record_document_view(OpinionLetter, "没有该格式的意见书。")


# --- 三项制度 checks --------------------------------------------------------------------------

def period_and_org(request):
    """(start, end, org) from the query string; an org outside the user's scope is a 404."""
    from .checks import parse_period

    start, end = parse_period(request.GET.get("start"), request.GET.get("end"))
    org = None
    raw = request.GET.get("org")
    if raw not in (None, ""):
        if not str(raw).isdigit() or len(str(raw)) > 15:
            raise DomainError("单位参数无效。", {"org": ["应为单位编号"]})
        org = selectors.target_orgs_for(request.user).filter(pk=int(raw)).first()
        if org is None:
            raise Http404("单位不存在或不在您的范围内。")
    return start, end, org


def _period_context(request):
    try:
        start, end, org = period_and_org(request)
        error = None
    except DomainError as exc:
        from .checks import parse_period

        start, end = parse_period(None, None)
        org, error = None, exc.message
    return start, end, org, error


@login_required
def three_systems(request):
    from .checks import CHECKS, three_systems as compute

    start, end, org, error = _period_context(request)
    if error:
        messages.error(request, error)
    return render(request, "supervision/three_systems.html", {
        "data": compute(request.user, start, end, org), "checks": CHECKS, "start": start, "end": end,
        "org": org, "orgs": selectors.target_orgs_for(request.user)})


@login_required
def three_systems_failing(request, check):
    from django.core.paginator import Paginator

    from .checks import CHECKS, failing_cases

    if check not in CHECKS:
        raise Http404("未知的检查项目。")
    start, end, org, error = _period_context(request)
    if error:
        messages.error(request, error)
    page = Paginator(failing_cases(request.user, check, start, end, org), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/three_systems_failing.html", {
        "check": CHECKS[check], "page": page, "start": start, "end": end, "org": org,
        "query": request.GET.urlencode()})


# --- 行政执法监督决定书 --------------------------------------------------------------------------

class DecisionListView(ScopedListView):
    title = "行政执法监督决定书"

    @property
    def filterset_class(self):
        from .filters import DecisionFilter

        return DecisionFilter

    @property
    def table_class(self):
        from .tables import DecisionTable

        return DecisionTable

    def get_base_queryset(self):
        return selectors.decisions_visible_to(self.request.user)


class DecisionDetailView(ScopedDetailView):
    model = SupervisionDecision
    template_name = "supervision/decision_detail.html"
    select_related = ("org", "issuer", "letter", "document")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        ctx["deadlines"] = deadlines_for_owner(obj)
        ctx["can_fulfil"] = obj.state == DecisionState.ISSUED and services.can_supervise(self.request.user)
        return ctx


class DecisionActions(RecordActionView):
    model = SupervisionDecision
    detail_url_name = "supervision:decision_detail"

    def do_fulfil(self, dec):
        services.fulfil_decision(actor=self.request.user, decision=dec,
                                 fulfilment=self.request.POST.get("fulfilment", ""), expected_version=self.version())
        return "已确认履行。"


decision_op = DecisionActions.as_view()
decision_download = record_document_view(SupervisionDecision, "没有该格式的决定书。")


# --- 通报 -------------------------------------------------------------------------------------

class NoticeListView(ScopedListView):
    title = "通报"
    create_url_name = "supervision:notice_create"

    @property
    def table_class(self):
        from .tables import NoticeTable

        return NoticeTable

    def can_create(self):
        return services.can_supervise(self.request.user)

    def get_base_queryset(self):
        return selectors.notices_visible_to(self.request.user)


class NoticeCreate(_SupervisorForm):
    title = "起草通报"
    cancel_url_name = "supervision:notice_list"
    success_message = "通报草稿已生成，请修改后印发。"
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以起草通报。"

    @property
    def form_class(self):
        from .forms import NoticeForm

        return NoticeForm

    def get_initial(self):
        return {"findings": self.request.GET.getlist("finding")}

    def perform(self, form):
        return services.create_notice(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, n):
        return reverse("supervision:notice_detail", args=[n.pk])


notice_create = NoticeCreate.as_view()


class NoticeDetailView(ScopedDetailView):
    model = Notice
    template_name = "supervision/notice_detail.html"
    select_related = ("org", "document")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        ctx["findings"] = obj.findings.select_related("org")
        ctx["can_edit"] = obj.state == NoticeState.DRAFT and services.can_supervise(self.request.user)
        return ctx


class NoticeActions(RecordActionView):
    model = Notice
    detail_url_name = "supervision:notice_detail"

    def do_edit(self, n):
        services.edit_notice(actor=self.request.user, notice=n, title=self.request.POST.get("title", ""),
                             body=self.request.POST.get("body", ""), expected_version=self.version())
        return "通报已保存。"

    def do_issue(self, n):
        n = services.issue_notice(actor=self.request.user, notice=n, expected_version=self.version())
        return f"通报 {n.doc_number} 已印发。"


notice_op = NoticeActions.as_view()
notice_download = record_document_view(Notice, "没有该格式的通报。")


# --- 典型案例 (public, no login) ---------------------------------------------------------------

def typical_cases(request):
    from django.core.paginator import Paginator

    page = Paginator(selectors.public_typical_cases(), 20).get_page(request.GET.get("page"))
    return render(request, "supervision/typical.html", {"page": page})


typical_cases.public = True


# --- statistics -------------------------------------------------------------------------------

@login_required
@replica_reads
def statistics(request):
    from .models import FindingCategory, FindingSource
    from .statistics import accuracy_by_sector, by_sector, drill_urls, per_unit, supervision_metrics

    start, end, org, error = _period_context(request)
    if error:
        messages.error(request, error)
    m = supervision_metrics(user=request.user, org=org, start=start, end=end)
    urls = drill_urls(start, end, org.pk if org else None)
    rows = per_unit(request.user, start, end, org)
    for r in rows:
        r["urls"] = drill_urls(start, end, r["org"])
    return render(request, "supervision/statistics.html", {
        "m": m, "urls": urls, "rows": rows, "start": start, "end": end, "org": org,
        "sectors": by_sector(request.user, start, end, org),
        "accuracy": accuracy_by_sector(request.user, list(range(end.year - 2, end.year + 1)), org),
        "orgs": selectors.target_orgs_for(request.user),
        "categories": [(label, m["findings_by_category"][code], urls["category"][code])
                       for code, label in FindingCategory.choices],
        "sources": [(label, m["findings_by_source"][code], urls["source"][code]) for code, label in FindingSource.choices],
        "export_query": request.GET.urlencode()})


@login_required
@replica_reads
def statistics_export(request):
    from .statistics import export_response

    try:
        start, end, org = period_and_org(request)
    except DomainError as exc:
        from django.http import HttpResponseBadRequest

        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    return export_response(request.user, start, end, org)
