"""Pages of the accountability app: thin views over selectors and services."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from yifa.core import clock
from yifa.core.views import form_error as _form_error
from yifa.core.errors import DomainError
from yifa.core.views import ScopedDetailView, ScopedListView
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.core.db.replica import replica_reads

from . import selectors, services
from .filters import LitigationFilter, ReconsiderationFilter, WrongCaseFilter
from .forms import (AppealForm, ChallengeForm, ConfirmForm, SecondInstanceForm, DecisionForm, ExemptionForm, FindingWrongCaseForm, InvolvementForm,
                    MarkForm, NoticeForm, OutcomeForm, RecommendationForm, SessionForm, TitleLossForm)
from .models import (Backtrack, CheckKind, Circumstance, CircumstanceCategory, Decision, EducationSession,
                     ExemptionReason, Involvement, Litigation, Method, Notice, Person, ProblemCategory,
                     Recommendation, Reconsideration, WrongCase, WrongCaseState)
from .tables import (DecisionTable, LitigationTable, NoticeTable, PersonTable, ReconsiderationTable, SessionTable,
                     WrongCaseTable)



def _date_param(value, label="日期"):
    if not value:
        return None
    try:
        d = parse_date(value)
    except ValueError:
        d = None
    if d is None:
        raise DomainError(f"{label}格式不正确。")
    return d


def _period(request):
    today = clock.today()
    try:
        start = _date_param(request.GET.get("start")) or date(today.year, 1, 1)
        end = _date_param(request.GET.get("end")) or today
    except DomainError:
        start, end = date(today.year, 1, 1), today
    if end < start:
        start, end = end, start
    return start, end


@login_required
def home(request):
    user = request.user
    today = clock.today()
    root = user.scope_root
    metrics = selectors.accountability_metrics(root, date(2022, 1, 1), today) if root else None
    return render(request, "accountability/home.html", {
        "open_cases": selectors.wrong_cases_visible_to(user).exclude(state=WrongCaseState.CLOSED)[:15],
        "metrics": metrics, "can_manage": services.can_manage(user), "is_supervisor": services.is_supervisor(user),
        "restricted": selectors.restricted_persons(user, today)[:20], "today": today,
    })


# --- registry -----------------------------------------------------------------------------------

class LitigationListView(ScopedListView):
    title = "行政诉讼案件"
    table_class = LitigationTable
    filterset_class = LitigationFilter
    create_url_name = "accountability:litigation_create"

    def can_create(self):
        return services.can_manage(self.request.user)

    def get_base_queryset(self):
        return selectors.litigations_visible_to(self.request.user)


class ReconsiderationListView(LitigationListView):
    title = "行政复议案件"
    table_class = ReconsiderationTable
    filterset_class = ReconsiderationFilter
    create_url_name = "accountability:reconsideration_create"

    def get_base_queryset(self):
        return selectors.reconsiderations_visible_to(self.request.user)


def _challenge_create(request, kind):
    if not services.can_manage(request.user):
        raise PermissionDenied("只有监督员、部门法制员或乡镇法制员可以登记。")
    form = ChallengeForm(request.POST or None, user=request.user, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.register_challenge(actor=request.user, kind=kind, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "已登记。")
            return redirect(f"accountability:{kind}_detail", pk=obj.pk)
    label = "行政诉讼" if kind == "litigation" else "行政复议"
    return render(request, "core/form.html", {"form": form, "title": f"登记{label}案件",
                                              "cancel_url": reverse(f"accountability:{kind}_list")})


@login_required
def litigation_create(request):
    return _challenge_create(request, "litigation")


@login_required
def reconsideration_create(request):
    return _challenge_create(request, "reconsideration")


class LitigationDetailView(ScopedDetailView):
    model = Litigation
    template_name = "accountability/challenge_detail.html"
    select_related = ("org", "enforcement_case")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        ctx.update(kind=obj.kind, deadlines=deadlines_for_owner(obj), outcome_form=OutcomeForm(),
                   can_manage=services.can_manage(self.request.user),
                   wrong_cases=WrongCase.objects.visible_to(self.request.user).filter(
                       **{obj.kind: obj}).order_by("id"))
        return ctx


class ReconsiderationDetailView(LitigationDetailView):
    model = Reconsideration


def _challenge_op(request, model, pk, op):
    obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    version = request.POST.get("version") or None
    try:
        if op == "outcome":
            form = OutcomeForm(request.POST)
            if not form.is_valid():
                raise DomainError("请选择结果并填写日期。")
            d = form.cleaned_data
            services.record_outcome(actor=request.user, challenge=obj, outcome=d["outcome"], on=d["on"],
                                    number=d["number"], form=d["form"] or "judgment", served_on=d["served_on"],
                                    act_changed=d["act_changed"], expected_version=version)
            obj.refresh_from_db()
            messages.success(request, "结果已登记，上诉期届满未上诉的，裁判生效后认定。" if
                             getattr(obj, "appeal_state", "") == "awaiting" else "结果已登记。")
        elif op == "appeal" and model is Litigation:
            form = AppealForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写上诉日期和上诉人。")
            services.record_appeal(actor=request.user, litigation=obj, on=form.cleaned_data["on"],
                                   appellant=form.cleaned_data["appellant"], expected_version=version)
            messages.success(request, "上诉已登记，一审裁判未生效。")
        elif op == "second" and model is Litigation:
            form = SecondInstanceForm(request.POST)
            if not form.is_valid():
                raise DomainError("请选择二审结果并填写日期。")
            d = form.cleaned_data
            services.record_second_instance(actor=request.user, litigation=obj, outcome=d["outcome"], on=d["on"],
                                            number=d["number"], expected_version=version)
            messages.success(request, "二审结果已登记并生效。")
        elif op == "hearing" and model is Litigation:
            appeared = request.POST.get("head_appeared")
            services.record_hearing(actor=request.user, litigation=obj,
                                    hearing_on=_date_param(request.POST.get("hearing_on"), "开庭日期"),
                                    head_appeared=None if appeared not in ("1", "0") else appeared == "1",
                                    head_name=request.POST.get("head_name", ""),
                                    head_post=request.POST.get("head_post", ""),
                                    absence_reason=request.POST.get("absence_reason", ""), expected_version=version)
            messages.success(request, "出庭应诉情况已登记。")
        elif op == "defence":
            services.record_defence(actor=request.user, challenge=obj,
                                    on=_date_param(request.POST.get("on"), "提交日期"), expected_version=version)
            messages.success(request, "答辩/答复已登记。")
        elif op == "opinion" and model is Reconsideration:
            services.record_opinion(actor=request.user, reconsideration=obj,
                                    on=_date_param(request.POST.get("on"), "收到日期"), expected_version=version)
            messages.success(request, "已登记行政复议意见书，落实期限已开始计算。")
        else:
            raise DomainError("未知操作。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"accountability:{obj.kind}_detail", pk=obj.pk)


@login_required
@require_POST
def litigation_op(request, pk, op):
    return _challenge_op(request, Litigation, pk, op)


litigation_op.scoped_model = Litigation


@login_required
@require_POST
def reconsideration_op(request, pk, op):
    return _challenge_op(request, Reconsideration, pk, op)


reconsideration_op.scoped_model = Reconsideration


# --- wrong cases ----------------------------------------------------------------------------------

class WrongCaseListView(ScopedListView):
    title = "错案"
    table_class = WrongCaseTable
    filterset_class = WrongCaseFilter

    def get_base_queryset(self):
        return selectors.wrong_cases_visible_to(self.request.user)


class WrongCaseDetailView(ScopedDetailView):
    model = WrongCase
    template_name = "accountability/wrong_case_detail.html"
    select_related = ("org", "litigation", "reconsideration", "finding", "enforcement_case", "major_confirmed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        bt = Backtrack.objects.get(wrong_case=obj)
        checks = {c.kind: c for c in bt.checks.prefetch_related("problems")}
        ctx.update(
            bt=bt, deadlines=deadlines_for_owner(bt),
            checks=[(k, label, checks.get(k)) for k, label in CheckKind.choices],
            problem_categories=ProblemCategory.choices,
            involvements=bt.involvements.select_related("person", "circumstance", "proposed_method"),
            recommendations=obj.recommendations.all(),
            decisions=Decision.objects.visible_to(user).filter(wrong_case=obj).select_related("person", "method"),
            exemption=getattr(obj, "exemption", None) if hasattr(obj, "exemption") else None,
            can_manage=services.can_manage(user), is_supervisor=services.is_supervisor(user),
            editable=bt.state == "in_progress" and services.can_manage(user),
            confirm_form=ConfirmForm(), involvement_form=InvolvementForm(),
            recommendation_form=RecommendationForm(), exemption_form=ExemptionForm(),
            decision_form=DecisionForm(persons=Person.objects.filter(
                pk__in=bt.involvements.filter(confirmed=True).values("person"))),
            circumstances=Circumstance.objects.filter(is_active=True).select_related("category"),
            methods=Method.objects.all(), rules=selectors.rules_adopted_for(obj, user),
        )
        return ctx


def _post_problems(request):
    cats = request.POST.getlist("problem_category")
    descs = request.POST.getlist("problem_description")
    return [(c, d) for c, d in zip(cats, descs) if (d or "").strip()]


@login_required
@require_POST
def wrong_case_op(request, pk, op):
    wc = get_object_or_404(WrongCase.objects.visible_to(request.user), pk=pk)
    bt = wc.backtrack
    user = request.user
    version = request.POST.get("version") or None
    try:
        if op == "withdraw":
            services.withdraw_wrong_case(actor=user, wrong_case=wc, reason=request.POST.get("reason", ""))
            messages.success(request, "已撤销错案认定。")
        elif op == "check":
            services.record_check(actor=user, backtrack=bt, kind=request.POST.get("kind", ""),
                                  has_problem=request.POST.get("has_problem") == "1",
                                  finding=request.POST.get("finding", ""), problems=_post_problems(request),
                                  on=_date_param(request.POST.get("on")))
            messages.success(request, "核查结论已保存。")
        elif op == "confirm":
            inv = get_object_or_404(Involvement, pk=request.POST.get("involvement") or 0, backtrack=bt)
            form = ConfirmForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写责任划分和认定理由。")
            services.confirm_involvement(actor=user, involvement=inv, **form.cleaned_data)
            messages.success(request, f"已确认 {inv.person.name} 的责任。")
        elif op == "remove":
            inv = get_object_or_404(Involvement, pk=request.POST.get("involvement") or 0, backtrack=bt)
            services.remove_involvement(actor=user, involvement=inv, reason=request.POST.get("reason", ""))
            messages.success(request, "已移除。")
        elif op == "add_person":
            form = InvolvementForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写姓名和角色。")
            services.add_involvement(actor=user, backtrack=bt, **form.cleaned_data)
            messages.success(request, "已添加涉及人员。")
        elif op == "complete":
            services.complete_backtrack(actor=user, backtrack=bt, summary=request.POST.get("summary", ""),
                                        on=_date_param(request.POST.get("on")), expected_version=version)
            messages.success(request, "倒查已完成。")
        elif op == "recommend":
            form = RecommendationForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写有权机关和反馈期限。")
            rec = services.issue_recommendation(actor=user, wrong_case=wc, **form.cleaned_data)
            messages.success(request, f"错案问责建议书 {rec.doc_number} 已印发。")
            return redirect("accountability:recommendation_detail", pk=rec.pk)
        elif op == "decision":
            form = DecisionForm(request.POST, persons=Person.objects.filter(
                pk__in=bt.involvements.filter(confirmed=True).values("person")))
            if not form.is_valid():
                raise DomainError("问责决定填写有误：" + "；".join(f"{form.fields[k].label if k in form.fields else ''}"
                                                          f"{'、'.join(v)}" for k, v in form.errors.items()))
            rec = wc.recommendations.order_by("-id").first()
            services.record_decision(actor=user, wrong_case=wc, recommendation=rec, **form.cleaned_data)
            messages.success(request, "问责决定已登记。")
        elif op == "exempt":
            form = ExemptionForm(request.POST)
            if not form.is_valid():
                raise DomainError("请选择免责情形并填写说明。")
            services.record_exemption(actor=user, wrong_case=wc, **form.cleaned_data)
            messages.success(request, "免责认定已登记。")
        elif op == "close":
            services.close_wrong_case(actor=user, wrong_case=wc, expected_version=version)
            messages.success(request, "错案已办结。")
        elif op == "typical":
            services.set_typical(actor=user, wrong_case=wc, typical=request.POST.get("typical") == "1")
            messages.success(request, "已保存。")
        else:
            raise DomainError("未知操作。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accountability:wrong_case_detail", pk=wc.pk)


wrong_case_op.scoped_model = WrongCase


@login_required
def wrong_case_from_finding(request):
    if not services.is_supervisor(request.user):
        raise PermissionDenied("只有监督员可以将监督发现的问题认定为错案。")
    initial = {"finding": request.GET.get("finding")} if request.method == "GET" else None
    form = FindingWrongCaseForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            wc = services.open_from_finding(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "已认定为错案，倒查期限已开始计算。")
            return redirect("accountability:wrong_case_detail", pk=wc.pk)
    return render(request, "core/form.html", {"form": form, "title": "由监督发现的重大问题认定错案",
                                              "cancel_url": reverse("accountability:wrong_case_list")})


class RecommendationDetailView(ScopedDetailView):
    model = Recommendation
    template_name = "accountability/recommendation_detail.html"
    select_related = ("org", "issuer", "wrong_case", "document")


@login_required
def recommendation_download(request, pk, fmt):
    rec = get_object_or_404(Recommendation.objects.visible_to(request.user), pk=pk)
    if fmt not in ("docx", "pdf") or not rec.document_id:
        raise Http404("没有该格式的建议书。")
    from yifa.documents.views import serve_document

    return serve_document(request, rec.document, fmt)


recommendation_download.scoped_model = Recommendation


# --- persons --------------------------------------------------------------------------------------

class PersonListView(ScopedListView):
    title = "问责对象（个人问责记录）"
    table_class = PersonTable

    def get_base_queryset(self):
        qs = selectors.persons_visible_to(self.request.user).annotate(decision_count=Count("decisions"))
        q = self.request.GET.get("q")
        return qs.filter(name__icontains=q) if q else qs


class PersonDetailView(ScopedDetailView):
    """An individual's accountability record: supervisors, the unit's leaders and the person."""

    model = Person
    template_name = "accountability/person_detail.html"
    select_related = ("org", "officer", "user")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        today = clock.today()
        on = today
        try:
            on = _date_param(self.request.GET.get("on")) or today
        except DomainError:
            pass
        ctx.update(restriction=services.restriction_on(obj, on), on=on,
                   decisions=obj.decisions.select_related("method", "wrong_case"),
                   marks=obj.assessment_marks.all(), losses=obj.title_losses.all(),
                   involvements=obj.involvements.select_related("backtrack__wrong_case"),
                   is_supervisor=services.is_supervisor(self.request.user), mark_form=MarkForm(),
                   loss_form=TitleLossForm())
        return ctx


@login_required
@require_POST
def person_op(request, pk, op):
    p = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    try:
        if op == "mark":
            form = MarkForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写年度、考核等次和理由。")
            services.record_assessment_mark(actor=request.user, person=p, **form.cleaned_data)
        elif op == "title_loss":
            form = TitleLossForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写起止日期和理由。")
            services.record_title_loss(actor=request.user, person=p, **form.cleaned_data)
        else:
            raise DomainError("未知操作。")
        messages.success(request, "已登记。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accountability:person_detail", pk=p.pk)


person_op.scoped_model = Person


class DecisionListView(ScopedListView):
    title = "问责决定"
    table_class = DecisionTable

    def get_base_queryset(self):
        qs = selectors.decisions_visible_to(self.request.user)
        if self.request.GET.get("method"):
            qs = qs.filter(method__code=self.request.GET["method"])
        if self.request.GET.get("unit"):
            unit = self.request.GET["unit"]
            org = selectors.Organization.objects.filter(pk=int(unit)).first() if unit.isdigit() else None
            qs = qs.filter(org__path__startswith=org.path) if org else qs.none()
        return qs


# --- notices and sessions ---------------------------------------------------------------------------

class NoticeListView(ScopedListView):
    title = "错案通报"
    table_class = NoticeTable
    create_url_name = "accountability:notice_create"

    def can_create(self):
        return services.is_supervisor(self.request.user)

    def get_base_queryset(self):
        return selectors.notices_visible_to(self.request.user)


@login_required
def notice_create(request):
    if not services.is_supervisor(request.user):
        raise PermissionDenied("只有监督员可以印发错案通报。")
    today = clock.today()
    initial = {"year": today.year, "quarter": (today.month - 1) // 3 + 1} if request.method == "GET" else None
    form = NoticeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.issue_notice(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"通报 {n.doc_number} 已印发。")
            return redirect("accountability:notice_detail", pk=n.pk)
    return render(request, "core/form.html", {"form": form, "title": "印发季度错案通报",
                                              "cancel_url": reverse("accountability:notice_list")})


class NoticeDetailView(ScopedDetailView):
    model = Notice
    template_name = "accountability/notice_detail.html"
    select_related = ("org", "document")


@login_required
def notice_download(request, pk, fmt):
    n = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    if fmt not in ("docx", "pdf") or not n.document_id:
        raise Http404("没有该格式的通报。")
    from yifa.documents.views import serve_document

    return serve_document(request, n.document, fmt)


notice_download.scoped_model = Notice


class SessionListView(ScopedListView):
    title = "警示教育与专题培训"
    table_class = SessionTable
    create_url_name = "accountability:session_create"

    def can_create(self):
        return services.can_manage(self.request.user)

    def get_base_queryset(self):
        return selectors.sessions_visible_to(self.request.user)


@login_required
def session_create(request):
    if not services.can_manage(request.user):
        raise PermissionDenied("只有监督员、部门法制员或乡镇法制员可以登记警示教育。")
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            s = services.record_session(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "已登记。")
            return redirect("accountability:session_detail", pk=s.pk)
    return render(request, "core/form.html", {"form": form, "title": "登记警示教育/专题培训",
                                              "cancel_url": reverse("accountability:session_list")})


class SessionDetailView(ScopedDetailView):
    model = EducationSession
    template_name = "accountability/session_detail.html"
    select_related = ("org",)


# --- statistics and catalogues -------------------------------------------------------------------------

STAT_HEADERS = ["单位", "行政诉讼败诉", "行政复议纠错", "监督发现/未出庭", "未办结", "决策程序问题", "执法依据问题", "证据问题",
                "法律适用问题", "问责建议书", "被问责人数", "影响期内人数", "警示教育/培训场次"]


def _stat_row(r):
    return [r["org"].name, r["litigation_lost"], r["reconsideration_corrected"], r["other"], r["open"],
            r["check_decision_procedure"], r["check_enforcement_basis"], r["check_evidence"],
            r["check_law_application"], r["recommendations"], r["persons_held"], r["persons_under_impact"],
            r["sessions"]]


@login_required
@replica_reads
def stats(request):
    start, end = _period(request)
    rows = selectors.stats_by_unit(request.user, start, end)
    root = request.user.scope_root
    if request.GET.get("format") == "xlsx":
        from yifa.core.xlsx import xlsx_response

        return xlsx_response(f"错案问责统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
                             [("错案问责统计", STAT_HEADERS, (_stat_row(r) for r in rows))])
    metrics = selectors.accountability_metrics(root, start, end) if root else None
    return render(request, "accountability/stats.html", {"rows": rows, "start": start, "end": end,
                                                         "metrics": metrics, "headers": STAT_HEADERS,
                                                         "check_labels": dict(CheckKind.choices)})


@login_required
def catalogue(request):
    return render(request, "accountability/catalogue.html", {
        "categories": CircumstanceCategory.objects.prefetch_related("items"), "methods": Method.objects.all(),
        "exemptions": ExemptionReason.objects.all()})
