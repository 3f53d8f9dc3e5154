"""Pages of the assessment app: thin views over selectors and services."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date

from yifa.core import clock
from yifa.core.views import form_error as _form_error
from yifa.core.errors import DomainError
from yifa.core.viewkit import RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView
from yifa.orgs.models import Organization
from yifa.core.db.replica import replica_reads

from . import formulas, metrics, selectors, services
from .defaults import LOCAL_DEFAULT_NOTE
from .filters import InterviewFilter
from .forms import IndicatorForm, InterviewForm, ManualScoreForm, PeriodForm
from .models import AssessmentPeriod, Category, Indicator, IndicatorKind, Interview, ManualScore, UnitResult
from .tables import InterviewTable



def _date(value):
    try:
        return parse_date(value or "")
    except ValueError:  # well-formed but not a date (2026-13-45)
        return None


def _period(request, pk):
    return get_object_or_404(AssessmentPeriod.objects.visible_to(request.user).select_related("org"), pk=pk)


@login_required
def home(request):
    user = request.user
    return render(request, "assessment/home.html", {
        "periods": selectors.periods_visible_to(user)[:50],
        "my_results": selectors.results_visible_to(user).order_by("-period__start", "org__path")[:50],
        "can_manage": services.can_manage(user),
    })


class _AssessorForm(ServiceFormView):
    def has_permission(self):
        return services.can_manage(self.request.user)


class PeriodCreateView(_AssessorForm):
    permission_denied_message = "只有监督员或系统管理员可以创建考核。"
    form_class = PeriodForm
    title = "新建考核期间"
    cancel_url_name = "assessment:home"
    success_message = "考核期间已创建，已载入本地默认指标体系。"

    def perform(self, form):
        d = form.cleaned_data
        return services.create_period(actor=self.request.user, org=d["org"], year=d["year"], name=d["name"])

    def get_success_url(self, period):
        return reverse("assessment:period_detail", args=[period.pk])


period_create = PeriodCreateView.as_view()


class PeriodDetailView(ScopedDetailView):
    model = AssessmentPeriod
    template_name = "assessment/period_detail.html"
    select_related = ("org", "closed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user = ctx["object"], self.request.user
        tree = services.tree_of(p)
        ctx.update(ranking=selectors.ranking(user, p), missing=selectors.missing_scores(user, p),
                   tree=tree, tree_errors=services.tree_errors(tree), can_manage=services.can_manage(user),
                   interviews=selectors.interviews_visible_to(user).filter(period=p))
        return ctx


class PeriodActions(RecordActionView):
    model = AssessmentPeriod
    detail_url_name = "assessment:period_detail"

    def do_compute(self, period):
        s = services.compute_period(actor=self.request.user, period=period)
        if s["complete"]:
            return f"已计算 {s['units']} 个单位的考核结果并排名。"
        messages.warning(self.request, f"已计算，但仍有 {s['missing']} 项评分缺失，暂不排名。")
        return ""

    def do_close(self, period):
        services.close_period(actor=self.request.user, period=period, expected_version=self.version())
        return "考核期间已关闭，指标数据已冻结。"


period_op = PeriodActions.as_view()


@login_required
def period_tree(request, pk):
    p = _period(request, pk)
    user = request.user
    tree = services.tree_of(p)
    can_edit = services.can_manage(user) and not p.is_closed
    ind_form = IndicatorForm(categories=tree, prefix="new")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有监督员或系统管理员可以修改进行中考核的指标。")
        try:
            if "weights" in request.POST:
                cats = {k.split("_", 1)[1]: v for k, v in request.POST.items() if k.startswith("cat_")}
                inds = {k.split("_", 1)[1]: v for k, v in request.POST.items() if k.startswith("ind_")}
                services.set_weights(actor=user, period=p, categories=cats, indicators=inds,
                                     expected_version=request.POST.get("version"))
                messages.success(request, "权重已保存。")
            elif "rationale" in request.POST:
                raw = request.POST.get("indicator", "")
                ind = get_object_or_404(Indicator, pk=int(raw) if raw.isdigit() and len(raw) < 12 else 0,
                                        category__period=p)
                services.set_rationale(actor=user, indicator=ind, rationale=request.POST.get("rationale", ""))
                messages.success(request, f"“{ind.name}”的计分依据已保存。")
            elif "add_category" in request.POST:
                services.add_category(actor=user, period=p, name=request.POST.get("category_name", ""))
                messages.success(request, "一级指标已添加（权重为 0，请调整权重）。")
            elif "add_indicator" in request.POST:
                ind_form = IndicatorForm(request.POST, categories=tree, prefix="new")
                if not ind_form.is_valid():
                    raise DomainError("请检查二级指标的填写。")
                d = ind_form.cleaned_data
                cat = get_object_or_404(Category, pk=d["category"], period=p)
                services.add_indicator(actor=user, category=cat, name=d["name"], kind=d["kind"],
                                       metric_code=d["metric_code"], formula=d["formula"], params=ind_form.params(),
                                       description=d["description"])
                messages.success(request, "二级指标已添加（权重为 0，请调整权重）。")
            return redirect("assessment:period_tree", pk=p.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            tree = services.tree_of(p)
    rows = []
    for c in tree:
        for i in c.indicators.all():
            m = metrics.get(i.metric_code) if i.kind == IndicatorKind.METRIC else None
            i.category = c
            rows.append({"category": c, "indicator": i, "points": services.points_of(i), "metric": m,
                         "formula_text": formulas.describe(i.formula, i.params, m.name if m else "")})
    return render(request, "assessment/tree.html", {
        "object": p, "tree": tree, "rows": rows, "errors": services.tree_errors(tree), "can_edit": can_edit,
        "ind_form": ind_form, "note": LOCAL_DEFAULT_NOTE, "metrics": metrics.REGISTRY.values()})


period_tree.scoped_model = AssessmentPeriod


@login_required
@replica_reads
def period_export(request, pk):
    """The ranking as Excel (openpyxl write-only, streamed from a temporary file)."""
    from yifa.core.xlsx import Workbook

    p = _period(request, pk)
    tree = services.tree_of(p)
    indicators = [i for c in tree for i in c.indicators.all()]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("考核排名")
    ws.append([p.name, f"{p.start:%Y-%m-%d} 至 {p.end:%Y-%m-%d}", p.get_state_display()])
    ws.append(["排名", "单位", "总分", "后三名", "缺少评分项"] + [f"{i.name}" for i in indicators])
    results = selectors.ranking(request.user, p).prefetch_related("scores")
    for r in results.iterator(chunk_size=200):
        by_ind = {s.indicator_id: s for s in r.scores.all()}
        ws.append([r.rank or "", r.org.name, r.total if r.total is not None else "缺评分", "是" if r.bottom else "",
                   r.missing_count] + [(by_ind[i.pk].score if i.pk in by_ind and by_ind[i.pk].score is not None
                                        else "缺") for i in indicators])
    return wb.response(f"{p.name}-排名-{clock.today():%Y%m%d}.xlsx")


period_export.scoped_model = AssessmentPeriod


class ResultDetailView(ScopedDetailView):
    model = UnitResult
    template_name = "assessment/result_detail.html"
    select_related = ("org", "period")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = ctx["object"]
        rows = []
        for s in selectors.result_scores(r):
            m = metrics.get(s.indicator.metric_code) if s.indicator.kind == IndicatorKind.METRIC else None
            rows.append({"s": s, "metric": m,
                         "formula_text": formulas.describe(s.indicator.formula, s.indicator.params, m.name if m else ""),
                         "rate": m is not None and m.unit == "rate"})
        ctx.update(rows=rows, can_manage=services.can_manage(self.request.user),
                   interviews=selectors.interviews_visible_to(self.request.user).filter(period=r.period, org=r.org))
        return ctx


@login_required
def manual_score(request, pk):
    """The assessor's scoring form: pick a unit and an indicator needing a manual score."""
    p = _period(request, pk)
    user = request.user
    if not services.can_manage(user):
        raise PermissionDenied("只有监督员或系统管理员可以评分。")
    units = services.assessed_units(p)
    tree = services.tree_of(p)
    indicators = [i for c in tree for i in c.indicators.all()]
    for c in tree:
        for i in c.indicators.all():
            i.category = c
    org_id, ind_id = request.GET.get("org") or request.POST.get("org"), request.GET.get("indicator") or \
        request.POST.get("indicator")
    org = next((u for u in units if str(u.pk) == str(org_id)), None)
    ind = next((i for i in indicators if str(i.pk) == str(ind_id)), None)
    existing = None
    if org is not None and ind is not None:
        existing = selectors.manual_scores_visible_to(user).filter(indicator=ind, org=org).first()
    form = ManualScoreForm(request.POST or None, request.FILES or None,
                           initial={"score": existing.score, "evidence": existing.evidence} if existing else None)
    if request.method == "POST":
        if org is None or ind is None:
            messages.error(request, "请选择被考核单位和指标。")
        elif form.is_valid():
            try:
                services.set_manual_score(actor=user, period=p, indicator=ind, org=org, score=form.cleaned_data["score"],
                                          evidence=form.cleaned_data["evidence"],
                                          attachment=form.cleaned_data.get("attachment"),
                                          expected_version=request.POST.get("version"))
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已保存 {org.name}“{ind.name}”的评分。")
                return redirect(reverse("assessment:manual_score", args=[p.pk]))
    return render(request, "assessment/manual_score.html", {
        "object": p, "units": units, "indicators": indicators, "org": org, "ind": ind, "form": form,
        "existing": existing, "points": services.points_of(ind) if ind else None,
        "missing": selectors.missing_scores(user, p),
        "scores": selectors.manual_scores_visible_to(user).filter(period=p).order_by("org__path", "indicator_id")[:500]})


manual_score.scoped_model = AssessmentPeriod


@login_required
def manual_attachment(request, pk):
    """The evidence file of a manual score (scoped like the score itself)."""
    ms = get_object_or_404(selectors.manual_scores_visible_to(request.user), pk=pk)
    if not ms.attachment:
        return render(request, "assessment/no_attachment.html", {"object": ms})
    name = ms.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(ms.attachment.open("rb"), as_attachment=True, filename=name)


manual_attachment.scoped_model = ManualScore


class InterviewCreateView(_AssessorForm):
    """约谈 of a bottom-three unit of the period (`?org=` preselects one)."""

    permission_denied_message = "只有监督员或系统管理员可以记录约谈。"
    model = AssessmentPeriod
    form_class = InterviewForm
    form_takes_user = False
    success_message = "约谈已记录。"

    def flagged(self):
        ranking = selectors.ranking(self.request.user, self.object).filter(bottom=True)
        return Organization.objects.filter(pk__in=ranking.values("org_id"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "orgs": self.flagged()}

    def get_initial(self):
        initial = {"held_on": clock.today()}
        org_param = self.request.GET.get("org") or ""
        pre = self.flagged().filter(pk=int(org_param)).first() if org_param.isdigit() and len(org_param) <= 18 else None
        if pre is not None:
            initial.update(org=pre.pk, unit_head=pre.head_name)
        return initial

    def get(self, request, *args, **kwargs):
        if not self.flagged().exists():
            messages.warning(request, "本期尚无排名后三位的单位（请先完成评分并计算考核结果）。")
        return super().get(request, *args, **kwargs)

    def get_title(self):
        return f"记录约谈：{self.object.name}"

    def get_cancel_url(self):
        return reverse("assessment:period_detail", args=[self.object.pk])

    def perform(self, form):
        return services.record_interview(actor=self.request.user, period=self.object, **form.cleaned_data)

    def get_success_url(self, interview):
        return reverse("assessment:interview_detail", args=[interview.pk])


interview_create = InterviewCreateView.as_view()


class InterviewListView(ScopedListView):
    title = "约谈记录"
    table_class = InterviewTable
    filterset_class = InterviewFilter
    empty_text = "暂无约谈记录。"

    def get_base_queryset(self):
        return selectors.interviews_visible_to(self.request.user)


interview_list = InterviewListView.as_view()


class InterviewDetailView(ScopedDetailView):
    model = Interview
    template_name = "assessment/interview_detail.html"
    select_related = ("org", "period", "recorded_by")


@login_required
def metric_records(request):
    """The drill-down of a computed score: the records a metric was computed from."""
    metric = metrics.get(request.GET.get("metric", ""))
    org_id = request.GET.get("org", "")
    start, end = _date(request.GET.get("start")), _date(request.GET.get("end"))
    if metric is None or metric.records is None or not org_id.isdigit() or len(org_id) > 18 or not start or not end or end < start:
        raise Http404("参数无效")
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=int(org_id))
    result = metric.compute(org, start, end)
    rows = metric.records(org, start, end, 1000)
    return render(request, "assessment/metric_records.html", {
        "metric": metric, "org": org, "start": start, "end": end, "result": result, "rows": rows,
        "title": f"{metric.name}：{org.name}"})


@login_required
def commendation(request):
    """评优推荐名单: flags the persons under an accountability impact period."""
    user = request.user
    people = selectors.persons_visible_to(user)
    on = _date(request.GET.get("on")) or clock.today()
    ids = [i for i in request.GET.getlist("person") if i.isdigit() and len(i) <= 18][:500]
    chosen = list(people.filter(pk__in=ids)) if ids else []
    result = selectors.commendation_candidates(chosen, on) if chosen else None
    return render(request, "assessment/commendation.html", {"people": people[:1000], "chosen_ids": {int(i) for i in ids},
                                                             "on": on, "result": result})


def today() -> date:
    return clock.today()
