"""Pages of the case-file evaluation app: thin views over selectors and services, on the
view kit (yifa.core.viewkit)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.viewkit import (RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView,
                               form_errors_text)
from yifa.core.db.replica import replica_reads

from . import selectors, services
from .checks import CHECKS
from .filters import CampaignFilter, FileFilter
from .forms import CampaignForm, ItemForm, NoticeDateForm, SheetForm
from .models import (Campaign, CampaignState, Category, EvaluationFile, FileState, QuotaKind, ScoringSheet,
                     SheetItem, SuggestionState)
from .tables import CampaignTable, FileTable, SheetTable


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


class CampaignCreate(ServiceFormView):
    form_class = CampaignForm
    title = "新建评查活动"
    cancel_url_name = "evaluation:campaign_list"
    success_message = "评查活动已创建，请核对各单位抽取数量后抽样。"
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以组织案卷评查。"

    def has_permission(self):
        return services.can_organize(self.request.user)

    def perform(self, form):
        d = form.cleaned_data
        return services.create_campaign(
            actor=self.request.user, org=d["org"], title=d["title"], period_start=d["period_start"],
            period_end=d["period_end"], sheet=d["sheet"], description=d["description"],
            targets=[services.Quota(o, d["quota_kind"], d["quota_value"]) for o in d["targets"]],
            evaluators=list(d["evaluators"]))

    def get_success_url(self, c):
        return reverse("evaluation:campaign_detail", args=[c.pk])


campaign_create = CampaignCreate.as_view()


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


class CampaignActions(RecordActionView):
    """抽样, 开始评分, 结束评查, 印发通报, 评查人员 and 抽取数量 on the campaign's page."""

    model = Campaign
    detail_url_name = "evaluation:campaign_detail"

    def do_sample(self, c):
        c = services.sample(actor=self.request.user, campaign=c, seed=self.request.POST.get("seed") or None,
                            expected_version=self.version())
        return f"已随机抽取 {c.files.count()} 份案卷（随机种子 {c.seed}）。"

    do_resample = do_sample

    def do_start(self, c):
        services.campaign_transition(actor=self.request.user, campaign=c, action="start",
                                     expected_version=self.version())
        return "已开始评分，评查人员已收到通知。"

    def do_conclude(self, c):
        services.campaign_transition(actor=self.request.user, campaign=c, action="conclude",
                                     expected_version=self.version())
        return "评查活动已结束。"

    def do_notice(self, c):
        on = self.valid(NoticeDateForm(self.request.POST), "成文日期格式不正确。")["on"]
        c = services.issue_notice(actor=self.request.user, campaign=c, on=on, expected_version=self.version())
        return f"案卷评查通报 {c.notice_number} 已印发。"

    def do_evaluators(self, c):
        ids = [int(x) for x in self.request.POST.getlist("evaluators") if x.isdigit() and len(x) < 10]
        users = list(selectors.evaluator_candidates(self.request.user).filter(pk__in=ids))
        if len(users) != len(set(ids)):
            raise DomainError("评查人员不存在或不在您的范围内。")
        services.update_campaign(actor=self.request.user, campaign=c, evaluators=users,
                                 expected_version=self.version())
        return "评查人员已保存。"

    def do_quotas(self, c):
        post, targets = self.request.POST, []
        for t in c.targets.select_related("org"):
            targets.append(services.Quota(t.org, post.get(f"kind_{t.pk}", t.quota_kind),
                                          post.get(f"value_{t.pk}", t.quota_value)))
        services.update_campaign(actor=self.request.user, campaign=c, targets=targets,
                                 expected_version=self.version())
        return "抽取数量已保存。"


campaign_op = CampaignActions.as_view()


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


class FileActions(RecordActionView):
    """评分 (saved or submitted) and 退回重评 on the file's page."""

    model = EvaluationFile
    detail_url_name = "evaluation:file_detail"

    def get_object(self):
        return get_object_or_404(EvaluationFile.objects.visible_to(self.request.user)
                                 .select_related("campaign__sheet"), pk=self.kwargs["pk"])

    def do_score(self, f):
        post, deductions, decisions = self.request.POST, [], []
        for item in f.campaign.sheet.items.all():
            if post.get(f"ded_{item.pk}"):
                deductions.append({"item": item.pk, "points": post.get(f"pts_{item.pk}") or 0,
                                   "note": post.get(f"note_{item.pk}", "")})
        for s in f.suggestions.all():
            decision = post.get(f"sug_{s.pk}")
            if decision:
                decisions.append({"suggestion": s.pk, "decision": decision, "reason": post.get(f"sugr_{s.pk}", "")})
        submit = post.get("submit") == "1"
        f = services.score_file(actor=self.request.user, file=f, deductions=deductions, decisions=decisions,
                                note=post.get("note", ""), submit=submit, expected_version=self.version())
        return f"已评定：{f.score} 分，{f.get_grade_display()}。" if submit else "评分已保存。"

    def do_reopen(self, f):
        services.reopen_file(actor=self.request.user, file=f, reason=self.request.POST.get("reason", ""),
                             expected_version=self.version())
        return "已退回重评。"


file_op = FileActions.as_view()


# --- scoring sheets ----------------------------------------------------------------------------

class SheetListView(ScopedListView):
    """The county's scoring sheets (the same for everyone: not scoped to a unit)."""

    title = "案卷评查标准"
    table_class = SheetTable
    create_url_name = "evaluation:sheet_create"

    def can_create(self):
        return services.can_edit_sheets(self.request.user)

    def get_base_queryset(self):
        q = (self.request.GET.get("q") or "").strip()
        return selectors.sheets().filter(name__icontains=q) if q else selectors.sheets()


sheet_list = SheetListView.as_view()


class SheetCreate(ServiceFormView):
    form_class = SheetForm
    form_takes_user = False
    title = "新建评查标准"
    cancel_url_name = "evaluation:sheet_list"
    success_message = "评查标准已创建。"
    permission_denied_message = "只有系统管理员或监督员可以维护评查标准。"

    def has_permission(self):
        return services.can_edit_sheets(self.request.user)

    def perform(self, form):
        return services.create_sheet(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, s):
        return reverse("evaluation:sheet_detail", args=[s.pk])


sheet_create = SheetCreate.as_view()


class SheetDetailView(ScopedDetailView):
    model = ScoringSheet
    template_name = "evaluation/sheet_detail.html"

    def get_object(self):
        return get_object_or_404(ScoringSheet, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        s = ctx["object"]
        items = list(selectors.sheet_items(s))
        for i in items:
            i.check_label = CHECKS.get(i.check_code, "—") if i.check_code else "—（人工评查）"
        ctx.update(groups=[{"label": label, "rows": [i for i in items if i.category == code]}
                           for code, label in Category.choices],
                   can_edit=services.can_edit_sheets(self.request.user), item_form=ItemForm(),
                   categories=Category.choices)
        return ctx


class SheetActions(RecordActionView):
    """Editing a scoring sheet and its items (the sheet's version guards both)."""

    model = ScoringSheet
    detail_url_name = "evaluation:sheet_detail"

    def get_object(self):
        return get_object_or_404(ScoringSheet, pk=self.kwargs["pk"])  # the county's standard: not scoped

    def do_update(self, s):
        post = self.request.POST
        services.update_sheet(actor=self.request.user, sheet=s, expected_version=self.version(),
                              name=post.get("name", s.name), description=post.get("description", s.description),
                              excellent_min=post.get("excellent_min", s.excellent_min),
                              pass_min=post.get("pass_min", s.pass_min), is_active=post.get("is_active") == "1")
        return "评查标准已保存。"

    def do_add_item(self, s):
        form = ItemForm(self.request.POST)
        d = self.valid(form, None if form.is_valid() else "评查项目填写有误：" + form_errors_text(form))
        services.add_item(actor=self.request.user, sheet=s, **d)
        return "评查项目已添加。"

    def do_update_item(self, s):
        post, raw = self.request.POST, self.request.POST.get("item") or ""
        item = get_object_or_404(SheetItem, pk=int(raw) if raw.isdigit() and len(raw) < 10 else 0, sheet=s)
        services.update_item(actor=self.request.user, item=item, expected_version=self.version(),
                             text=post.get("text", item.text), max_points=post.get("max_points", item.max_points),
                             is_veto=post.get("is_veto") == "1", check_code=post.get("check_code", item.check_code),
                             is_active=post.get("is_active") == "1")
        return "评查项目已保存。"


sheet_op = SheetActions.as_view()
