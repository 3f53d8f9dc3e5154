"""Pages of the case-file evaluation app: thin views over selectors and services."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from yifa.core import clock
from yifa.core.views import form_error as _form_error
from yifa.core.errors import DomainError
from yifa.core.views import ScopedDetailView, ScopedListView
from yifa.core.db.replica import replica_reads

from . import selectors, services
from .filters import CampaignFilter, FileFilter
from .forms import CampaignForm, ItemForm, SheetForm
from .models import (Campaign, CampaignState, Category, EvaluationFile, FileState, QuotaKind, ScoringSheet,
                     SheetItem, SuggestionState)
from .tables import CampaignTable, FileTable



def _date(value, label):
    if not value:
        return None
    try:
        d = parse_date(value)
    except ValueError:
        d = None
    if d is None:
        raise DomainError(f"{label}格式不正确。")
    return d


@login_required
def home(request):
    user = request.user
    root = user.scope_root
    year = clock.today().year
    years = []
    for y in range(year - 2, year + 1):
        m = selectors.evaluation_metrics(root, date(y, 1, 1), date(y, 12, 31)) if root else None
        if m:
            years.append({"year": y, **m})
    return render(request, "evaluation/home.html", {
        "campaigns": selectors.campaigns_visible_to(user)[:10],
        "pending": selectors.pending_files_for(user)[:15],
        "total": selectors.evaluation_metrics(root) if root else None,
        "years": years, "can_organize": services.can_organize(user), "categories": Category.choices,
    })


class CampaignListView(ScopedListView):
    title = "评查活动"
    table_class = CampaignTable
    filterset_class = CampaignFilter
    create_url_name = "evaluation:campaign_create"

    def can_create(self):
        return services.can_organize(self.request.user)

    def get_base_queryset(self):
        return selectors.campaigns_visible_to(self.request.user)


@login_required
def campaign_create(request):
    if not services.can_organize(request.user):
        raise PermissionDenied("只有监督员、部门法制员或乡镇法制员可以组织案卷评查。")
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            c = services.create_campaign(
                actor=request.user, org=d["org"], title=d["title"], period_start=d["period_start"],
                period_end=d["period_end"], sheet=d["sheet"], description=d["description"],
                targets=[services.Quota(o, d["quota_kind"], d["quota_value"]) for o in d["targets"]],
                evaluators=list(d["evaluators"]))
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "评查活动已创建，请核对各单位抽取数量后抽样。")
            return redirect("evaluation:campaign_detail", pk=c.pk)
    return render(request, "core/form.html", {"form": form, "title": "新建评查活动",
                                              "cancel_url": reverse("evaluation:campaign_list")})


class CampaignDetailView(ScopedDetailView):
    model = Campaign
    template_name = "evaluation/campaign_detail.html"
    select_related = ("org", "sheet", "notice")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c, user = ctx["object"], self.request.user
        organiser = services.is_organiser(user, c)
        ctx.update(
            targets=c.targets.select_related("org").order_by("org__path"),
            evaluators=[link.user for link in c.evaluator_links.select_related("user", "user__org")],
            results=selectors.campaign_results(c), common=selectors.common_problems(c),
            files=selectors.files_visible_to(user).filter(campaign=c).order_by("seq")[:500],
            organiser=organiser, is_evaluator=services.is_evaluator(user, c),
            can_sample=organiser and c.state in (CampaignState.DRAFT, CampaignState.SAMPLED),
            can_edit_quotas=organiser and c.state == CampaignState.DRAFT,
            can_start=organiser and c.state == CampaignState.SAMPLED,
            can_conclude=organiser and c.state == CampaignState.SCORING,
            can_notice=organiser and c.state == CampaignState.CONCLUDED and not c.notice_id,
            categories=Category.choices, quota_kinds=QuotaKind.choices,
            candidates=(selectors.evaluator_candidates(user) if organiser and c.state != CampaignState.CONCLUDED
                        else None))
        return ctx


@login_required
@require_POST
def campaign_op(request, pk, op):
    c = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    version = request.POST.get("version") or None
    try:
        if op in ("sample", "resample"):
            c = services.sample(actor=request.user, campaign=c, seed=request.POST.get("seed") or None,
                                expected_version=version)
            messages.success(request, f"已随机抽取 {c.files.count()} 份案卷（随机种子 {c.seed}）。")
        elif op in ("start", "conclude"):
            services.campaign_transition(actor=request.user, campaign=c, action=op, expected_version=version)
            messages.success(request, "已开始评分，评查人员已收到通知。" if op == "start" else "评查活动已结束。")
        elif op == "notice":
            c = services.issue_notice(actor=request.user, campaign=c, on=_date(request.POST.get("on"), "成文日期"),
                                      expected_version=version)
            messages.success(request, f"案卷评查通报 {c.notice_number} 已印发。")
        elif op == "evaluators":
            ids = [int(x) for x in request.POST.getlist("evaluators") if x.isdigit() and len(x) < 10]
            users = list(selectors.evaluator_candidates(request.user).filter(pk__in=ids))
            if len(users) != len(set(ids)):
                raise DomainError("评查人员不存在或不在您的范围内。")
            services.update_campaign(actor=request.user, campaign=c, evaluators=users, expected_version=version)
            messages.success(request, "评查人员已保存。")
        elif op == "quotas":
            targets = []
            for t in c.targets.select_related("org"):
                kind = request.POST.get(f"kind_{t.pk}", t.quota_kind)
                targets.append(services.Quota(t.org, kind, request.POST.get(f"value_{t.pk}", t.quota_value)))
            services.update_campaign(actor=request.user, campaign=c, targets=targets, expected_version=version)
            messages.success(request, "抽取数量已保存。")
        else:
            raise DomainError("未知操作。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("evaluation:campaign_detail", pk=c.pk)


campaign_op.scoped_model = Campaign


@login_required
def campaign_notice(request, pk, fmt):
    c = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    if fmt not in ("docx", "pdf") or not c.notice_id:
        raise Http404("没有该格式的评查通报。")
    from yifa.documents.views import serve_document

    return serve_document(request, c.notice, fmt)


campaign_notice.scoped_model = Campaign


@login_required
@replica_reads
def campaign_export(request, pk):
    """The per-unit results and the per-file scores of a campaign as Excel (write-only)."""
    from yifa.core.xlsx import Workbook

    c = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    res = selectors.campaign_results(c)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("各单位评查结果")
    cats = Category.choices
    ws.append(["被评查单位", "抽取数量", "可抽案件", "抽取案卷", "已评定", "平均得分", "优秀", "合格", "不合格", "发现问题"]
              + [f"{label}类问题" for _c, label in cats])
    for r in res["rows"]:
        ws.append([r["org_name"], r["quota"], r["available"], r["sampled"], r["evaluated"],
                   float(r["average"]) if r["average"] is not None else None, r["excellent"], r["pass"], r["fail"],
                   r["problems"]] + [r["by_category"][code] for code, _l in cats])
    ws2 = wb.create_sheet("评查案卷")
    ws2.append(["序号", "案号", "案由", "被评查单位", "状态", "得分", "扣分", "否决项", "等次", "问题数", "评定日期"])
    for f in (selectors.files_visible_to(request.user).filter(campaign=c).order_by("seq")
              .iterator(chunk_size=1000)):
        ws2.append([f.seq, f.case.case_no, f.case.title, f.org.name, f.get_state_display(), float(f.score),
                    float(f.deducted), "是" if f.veto else "否", f.get_grade_display(), f.problem_count,
                    f.submitted_on])
    return wb.response(f"案卷评查结果-{c.pk}.xlsx")


campaign_export.scoped_model = Campaign


class FileListView(ScopedListView):
    title = "评查案卷"
    table_class = FileTable
    filterset_class = FileFilter

    def get_base_queryset(self):
        return selectors.files_visible_to(self.request.user).order_by("-campaign_id", "seq")


class FileDetailView(ScopedDetailView):
    model = EvaluationFile
    template_name = "evaluation/file_detail.html"
    select_related = ("campaign", "campaign__sheet", "campaign__org", "org", "case", "evaluator", "scored_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        f, user = ctx["object"], self.request.user
        c = f.campaign
        deductions = {d.item_id: d for d in f.deductions.select_related("item")}
        suggestions = {}
        for s in f.suggestions.all():
            suggestions.setdefault(s.item_id, s)
        groups, items = [], list(selectors.sheet_items(c.sheet))
        for code, label in Category.choices:
            rows = [{"item": i, "deduction": deductions.get(i.pk), "suggestion": suggestions.get(i.pk)}
                    for i in items if i.category == code
                    and (i.is_active or i.pk in deductions or i.pk in suggestions)]
            groups.append({"code": code, "label": label, "rows": rows})
        result = services.compute_score(c.sheet, list(deductions.values()))
        can_score = (c.state == CampaignState.SCORING and f.state == FileState.PENDING
                     and services.is_evaluator(user, c))
        ctx.update(campaign=c, groups=groups, deductions=list(deductions.values()), result=result,
                   can_score=can_score, suggestion_states=SuggestionState,
                   can_reopen=(c.state == CampaignState.SCORING and f.state == FileState.SUBMITTED
                               and (services.is_evaluator(user, c) or services.is_organiser(user, c))),
                   pending_suggestions=sum(1 for s in suggestions.values() if s.state == SuggestionState.PENDING))
        return ctx


@login_required
@require_POST
def file_op(request, pk, op):
    f = get_object_or_404(EvaluationFile.objects.visible_to(request.user).select_related("campaign__sheet"), pk=pk)
    version = request.POST.get("version") or None
    try:
        if op == "score":
            deductions, decisions = [], []
            for item in f.campaign.sheet.items.all():
                if request.POST.get(f"ded_{item.pk}"):
                    deductions.append({"item": item.pk, "points": request.POST.get(f"pts_{item.pk}") or 0,
                                       "note": request.POST.get(f"note_{item.pk}", "")})
            for s in f.suggestions.all():
                decision = request.POST.get(f"sug_{s.pk}")
                if decision:
                    decisions.append({"suggestion": s.pk, "decision": decision,
                                      "reason": request.POST.get(f"sugr_{s.pk}", "")})
            submit = request.POST.get("submit") == "1"
            f = services.score_file(actor=request.user, file=f, deductions=deductions, decisions=decisions,
                                    note=request.POST.get("note", ""), submit=submit, expected_version=version)
            messages.success(request, f"已评定：{f.score} 分，{f.get_grade_display()}。" if submit else "评分已保存。")
        elif op == "reopen":
            services.reopen_file(actor=request.user, file=f, reason=request.POST.get("reason", ""),
                                 expected_version=version)
            messages.success(request, "已退回重评。")
        else:
            raise DomainError("未知操作。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("evaluation:file_detail", pk=f.pk)


file_op.scoped_model = EvaluationFile


# --- scoring sheets ----------------------------------------------------------------------------

@login_required
def sheet_list(request):
    return render(request, "evaluation/sheet_list.html", {"sheets": selectors.sheets(),
                                                          "can_edit": services.can_edit_sheets(request.user)})


@login_required
def sheet_create(request):
    if not services.can_edit_sheets(request.user):
        raise PermissionDenied("只有系统管理员或监督员可以维护评查标准。")
    form = SheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s = services.create_sheet(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "评查标准已创建。")
            return redirect("evaluation:sheet_detail", pk=s.pk)
    return render(request, "core/form.html", {"form": form, "title": "新建评查标准",
                                              "cancel_url": reverse("evaluation:sheet_list")})


class SheetDetailView(ScopedDetailView):
    model = ScoringSheet
    template_name = "evaluation/sheet_detail.html"

    def get_object(self):
        return get_object_or_404(ScoringSheet, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        s = ctx["object"]
        items = list(selectors.sheet_items(s))
        ctx.update(groups=[{"label": label, "rows": [i for i in items if i.category == code]}
                           for code, label in Category.choices],
                   can_edit=services.can_edit_sheets(self.request.user), item_form=ItemForm(),
                   categories=Category.choices)
        return ctx


@login_required
@require_POST
def sheet_op(request, pk, op):
    s = get_object_or_404(ScoringSheet, pk=pk)
    version = request.POST.get("version") or None
    try:
        if op == "update":
            services.update_sheet(actor=request.user, sheet=s, expected_version=version,
                                  name=request.POST.get("name", s.name),
                                  description=request.POST.get("description", s.description),
                                  excellent_min=request.POST.get("excellent_min", s.excellent_min),
                                  pass_min=request.POST.get("pass_min", s.pass_min),
                                  is_active=request.POST.get("is_active") == "1")
            messages.success(request, "评查标准已保存。")
        elif op == "add_item":
            form = ItemForm(request.POST)
            if not form.is_valid():
                raise DomainError("评查项目填写有误：" + "；".join(
                    f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items() if k in form.fields))
            services.add_item(actor=request.user, sheet=s, **form.cleaned_data)
            messages.success(request, "评查项目已添加。")
        elif op == "update_item":
            raw = request.POST.get("item") or ""
            item = get_object_or_404(SheetItem, pk=int(raw) if raw.isdigit() and len(raw) < 10 else 0, sheet=s)
            services.update_item(actor=request.user, item=item, expected_version=version,
                                 text=request.POST.get("text", item.text),
                                 max_points=request.POST.get("max_points", item.max_points),
                                 is_veto=request.POST.get("is_veto") == "1",
                                 check_code=request.POST.get("check_code", item.check_code),
                                 is_active=request.POST.get("is_active") == "1")
            messages.success(request, "评查项目已保存。")
        else:
            raise DomainError("未知操作。")
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "提交的数据有误。"))
    return redirect("evaluation:sheet_detail", pk=s.pk)


sheet_op.scoped_model = ScoringSheet
