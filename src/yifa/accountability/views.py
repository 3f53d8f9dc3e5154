"""Pages of the accountability app: thin views over selectors and services."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.dateparse import parse_date

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.viewkit import RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView, form_errors_text
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.core.db.replica import replica_reads
from yifa.documents.views import record_document_view

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


class _ManagerForm(ServiceFormView):
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以登记。"

    def has_permission(self):
        return services.can_manage(self.request.user)


class _ChallengeCreate(_ManagerForm):
    form_class = ChallengeForm
    kind = ""
    success_message = "已登记。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.kind}

    def get_title(self):
        return f"登记{'行政诉讼' if self.kind == 'litigation' else '行政复议'}案件"

    def get_cancel_url(self):
        return reverse(f"accountability:{self.kind}_list")

    def perform(self, form):
        return services.register_challenge(actor=self.request.user, kind=self.kind, **form.cleaned_data)

    def get_success_url(self, obj):
        return reverse(f"accountability:{self.kind}_detail", args=[obj.pk])


litigation_create = _ChallengeCreate.as_view(kind="litigation")
reconsideration_create = _ChallengeCreate.as_view(kind="reconsideration")


class LitigationDetailView(ScopedDetailView):
    model = Litigation
    template_name = "accountability/challenge_detail.html"
    select_related = ("org", "enforcement_case")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        ctx.update(kind=obj.kind, deadlines=deadlines_for_owner(obj), outcome_form=OutcomeForm(),
                   filing_limit=selectors.filing_limit(obj),
                   can_manage=services.can_manage(self.request.user),
                   wrong_cases=WrongCase.objects.visible_to(self.request.user).filter(
                       **{obj.kind: obj}).order_by("id"))
        return ctx


class ReconsiderationDetailView(LitigationDetailView):
    model = Reconsideration


class LitigationActions(RecordActionView):
    model = Litigation

    def detail_url(self, obj):
        return reverse(f"accountability:{obj.kind}_detail", args=[obj.pk])

    def do_outcome(self, obj):
        d = self.valid(OutcomeForm(self.request.POST), "请选择结果并填写日期。")
        services.record_outcome(actor=self.request.user, challenge=obj, outcome=d["outcome"], on=d["on"],
                                number=d["number"], form=d["form"] or "judgment", served_on=d["served_on"],
                                act_changed=d["act_changed"], expected_version=self.version())
        obj.refresh_from_db()
        return ("结果已登记，上诉期届满未上诉的，裁判生效后认定。" if getattr(obj, "appeal_state", "") == "awaiting"
                else "结果已登记。")

    def do_appeal(self, obj):
        d = self.valid(AppealForm(self.request.POST), "请填写上诉日期和上诉人。")
        services.record_appeal(actor=self.request.user, litigation=obj, on=d["on"], appellant=d["appellant"],
                               expected_version=self.version())
        return "上诉已登记，一审裁判未生效。"

    def do_second(self, obj):
        d = self.valid(SecondInstanceForm(self.request.POST), "请选择二审结果并填写日期。")
        services.record_second_instance(actor=self.request.user, litigation=obj, outcome=d["outcome"], on=d["on"],
                                        number=d["number"], expected_version=self.version())
        return "二审结果已登记并生效。"

    def do_hearing(self, obj):
        post = self.request.POST
        appeared = post.get("head_appeared")
        services.record_hearing(actor=self.request.user, litigation=obj,
                                hearing_on=_date_param(post.get("hearing_on"), "开庭日期"),
                                head_appeared=None if appeared not in ("1", "0") else appeared == "1",
                                head_name=post.get("head_name", ""), head_post=post.get("head_post", ""),
                                absence_reason=post.get("absence_reason", ""), expected_version=self.version())
        return "出庭应诉情况已登记。"

    def do_defence(self, obj):
        services.record_defence(actor=self.request.user, challenge=obj,
                                on=_date_param(self.request.POST.get("on"), "提交日期"),
                                expected_version=self.version())
        return "答辩/答复已登记。"


class ReconsiderationActions(LitigationActions):
    model = Reconsideration
    do_appeal = do_second = do_hearing = None  # a court's acts: not for a reconsideration

    def do_opinion(self, obj):
        services.record_opinion(actor=self.request.user, reconsideration=obj,
                                on=_date_param(self.request.POST.get("on"), "收到日期"),
                                expected_version=self.version())
        return "已登记行政复议意见书，落实期限已开始计算。"


litigation_op = LitigationActions.as_view()
reconsideration_op = ReconsiderationActions.as_view()


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
            involvements=bt.involvements.select_related("person", "circumstance", "proposed_method", "removed_by"),
            recommendations=obj.recommendations.all(),
            decisions=Decision.objects.visible_to(user).filter(wrong_case=obj).select_related("person", "method"),
            exemption=getattr(obj, "exemption", None) if hasattr(obj, "exemption") else None,
            can_manage=services.can_manage(user), is_supervisor=services.is_supervisor(user),
            editable=bt.state == "in_progress" and services.can_manage(user),
            confirm_form=ConfirmForm(), involvement_form=InvolvementForm(),
            recommendation_form=RecommendationForm(), exemption_form=ExemptionForm(),
            decision_form=DecisionForm(persons=Person.objects.filter(
                pk__in=bt.involvements.filter(confirmed=True, removed_at__isnull=True).values("person"))),
            circumstances=Circumstance.objects.filter(is_active=True).select_related("category"),
            methods=Method.objects.all(), rules=selectors.rules_adopted_for(obj, user),
        )
        return ctx

    def history_related(self, obj):
        """The backtrack carries the 四查 checks and the person changes; the recommendations,
        decisions and the exemption are the wrong case's own acts too."""
        bt = Backtrack.objects.filter(wrong_case=obj).first()
        related = [bt] if bt else []
        related += list(obj.recommendations.all())
        related += list(Decision.objects.visible_to(self.request.user).filter(wrong_case=obj))  # as on the page
        if bt is not None:
            related += list(bt.checks.all()) + list(bt.involvements.all())
        return related


def _post_problems(request):
    cats = request.POST.getlist("problem_category")
    descs = request.POST.getlist("problem_description")
    return [(c, d) for c, d in zip(cats, descs) if (d or "").strip()]


class WrongCaseActions(RecordActionView):
    model = WrongCase
    detail_url_name = "accountability:wrong_case_detail"

    def _involvement(self, obj):
        return get_object_or_404(Involvement, pk=self.request.POST.get("involvement") or 0,
                                 backtrack=obj.backtrack)

    def do_withdraw(self, obj):
        services.withdraw_wrong_case(actor=self.request.user, wrong_case=obj,
                                     reason=self.request.POST.get("reason", ""))
        return "已撤销错案认定。"

    def do_check(self, obj):
        post = self.request.POST
        services.record_check(actor=self.request.user, backtrack=obj.backtrack, kind=post.get("kind", ""),
                              has_problem=post.get("has_problem") == "1", finding=post.get("finding", ""),
                              problems=_post_problems(self.request), on=_date_param(post.get("on")))
        return "核查结论已保存。"

    def do_confirm(self, obj):
        inv = self._involvement(obj)
        d = self.valid(ConfirmForm(self.request.POST), "请填写责任划分和认定理由。")
        services.confirm_involvement(actor=self.request.user, involvement=inv, **d)
        return f"已确认 {inv.person.name} 的责任。"

    def do_remove(self, obj):
        inv = self._involvement(obj)
        services.remove_involvement(actor=self.request.user, involvement=inv,
                                    reason=self.request.POST.get("reason", ""))
        return f"已移除 {inv.person.name}，移除记录保留在涉及人员表中。"

    def do_add_person(self, obj):
        d = self.valid(InvolvementForm(self.request.POST), "请填写姓名和角色。")
        services.add_involvement(actor=self.request.user, backtrack=obj.backtrack, **d)
        return "已添加涉及人员。"

    def do_complete(self, obj):
        services.complete_backtrack(actor=self.request.user, backtrack=obj.backtrack,
                                    summary=self.request.POST.get("summary", ""),
                                    on=_date_param(self.request.POST.get("on")), expected_version=self.version())
        return "倒查已完成。"

    def do_recommend(self, obj):
        d = self.valid(RecommendationForm(self.request.POST), "请填写有权机关和反馈期限。")
        rec = services.issue_recommendation(actor=self.request.user, wrong_case=obj, **d)
        return (f"错案问责建议书 {rec.doc_number} 已印发。",
                reverse("accountability:recommendation_detail", args=[rec.pk]))

    def do_decision(self, obj):
        form = DecisionForm(self.request.POST, persons=Person.objects.filter(
            pk__in=obj.backtrack.involvements.filter(confirmed=True, removed_at__isnull=True).values("person")))
        if not form.is_valid():
            raise DomainError("问责决定填写有误：" + form_errors_text(form))
        rec = obj.recommendations.order_by("-id").first()
        services.record_decision(actor=self.request.user, wrong_case=obj, recommendation=rec, **form.cleaned_data)
        return "问责决定已登记。"

    def do_exempt(self, obj):
        d = self.valid(ExemptionForm(self.request.POST), "请选择免责情形并填写说明。")
        services.record_exemption(actor=self.request.user, wrong_case=obj, **d)
        return "免责认定已登记。"

    def do_close(self, obj):
        services.close_wrong_case(actor=self.request.user, wrong_case=obj, expected_version=self.version())
        return "错案已办结。"

    def do_typical(self, obj):
        services.set_typical(actor=self.request.user, wrong_case=obj, typical=self.request.POST.get("typical") == "1")
        return "已保存。"


wrong_case_op = WrongCaseActions.as_view()


class WrongCaseFromFinding(ServiceFormView):
    form_class = FindingWrongCaseForm
    title = "由监督发现的重大问题认定错案"
    cancel_url_name = "accountability:wrong_case_list"
    success_message = "已认定为错案，倒查期限已开始计算。"
    permission_denied_message = "只有监督员可以将监督发现的问题认定为错案。"

    def has_permission(self):
        return services.is_supervisor(self.request.user)

    def get_initial(self):
        return {"finding": self.request.GET.get("finding")}

    def perform(self, form):
        return services.open_from_finding(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, wc):
        return reverse("accountability:wrong_case_detail", args=[wc.pk])


wrong_case_from_finding = WrongCaseFromFinding.as_view()


class RecommendationDetailView(ScopedDetailView):
    model = Recommendation
    template_name = "accountability/recommendation_detail.html"
    select_related = ("org", "issuer", "wrong_case", "document")


recommendation_download = record_document_view(Recommendation, "没有该格式的建议书。")


# --- persons --------------------------------------------------------------------------------------

class PersonListView(ScopedListView):
    title = "问责对象（个人问责记录）"
    table_class = PersonTable

    def get_base_queryset(self):
        from django.db.models import OuterRef

        qs = selectors.persons_visible_to(self.request.user).annotate(
            decision_count=Count("decisions"),
            restricted_until=selectors.commendation_restricted_until(clock.today(), Q(person=OuterRef("pk"))))
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
                   involvements=obj.involvements.filter(removed_at__isnull=True).select_related(
                       "backtrack__wrong_case"),
                   is_supervisor=services.is_supervisor(self.request.user), mark_form=MarkForm(),
                   loss_form=TitleLossForm())
        return ctx


class PersonActions(RecordActionView):
    model = Person
    detail_url_name = "accountability:person_detail"

    def do_mark(self, obj):
        d = self.valid(MarkForm(self.request.POST), "请填写年度、考核等次和理由。")
        services.record_assessment_mark(actor=self.request.user, person=obj, **d)
        return "已登记。"

    def do_title_loss(self, obj):
        d = self.valid(TitleLossForm(self.request.POST), "请填写起止日期和理由。")
        services.record_title_loss(actor=self.request.user, person=obj, **d)
        return "已登记。"


person_op = PersonActions.as_view()


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


class NoticeCreate(ServiceFormView):
    form_class = NoticeForm
    title = "印发季度错案通报"
    cancel_url_name = "accountability:notice_list"
    permission_denied_message = "只有监督员可以印发错案通报。"

    def has_permission(self):
        return services.is_supervisor(self.request.user)

    def get_initial(self):
        today = clock.today()
        return {"year": today.year, "quarter": (today.month - 1) // 3 + 1}

    def perform(self, form):
        return services.issue_notice(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, n):
        return f"通报 {n.doc_number} 已印发。"

    def get_success_url(self, n):
        return reverse("accountability:notice_detail", args=[n.pk])


notice_create = NoticeCreate.as_view()


class NoticeDetailView(ScopedDetailView):
    model = Notice
    template_name = "accountability/notice_detail.html"
    select_related = ("org", "document")


notice_download = record_document_view(Notice, "没有该格式的通报。")


class SessionListView(ScopedListView):
    title = "警示教育与专题培训"
    table_class = SessionTable
    create_url_name = "accountability:session_create"

    def can_create(self):
        return services.can_manage(self.request.user)

    def get_base_queryset(self):
        return selectors.sessions_visible_to(self.request.user)


class SessionCreate(_ManagerForm):
    form_class = SessionForm
    title = "登记警示教育/专题培训"
    cancel_url_name = "accountability:session_list"
    success_message = "已登记。"
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以登记警示教育。"

    def perform(self, form):
        return services.record_session(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, s):
        return reverse("accountability:session_detail", args=[s.pk])


session_create = SessionCreate.as_view()


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
