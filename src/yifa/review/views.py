from datetime import timedelta
from functools import partial

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.import_reports import ImportReportMixin
from yifa.core.xlsx import import_template_response
from yifa.core.viewkit import RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView
from yifa.orgs.models import Role, User
from yifa.core.db.replica import replica_reads, report_reads

from . import exports, selectors, services
from .filters import AdvisorFilter, ItemFilter
from .forms import AdvisorForm, DutyForm, EvaluationForm, ImportForm, ItemForm, OpinionForm
from .models import (TIER_ORDER, TIER_ROLE, Adoption, Assignment, Disposition, ExampleSource, ItemState, LegalAdvisor,
                     PrecheckCategory, PrecheckHint, ReviewItem, Tier, county_root)
from .tables import AdvisorTable, ItemTable
from .workflows import OPINION_ACTION, REVIEW, UNIT_ROLES

HIDDEN_ACTIONS = set(OPINION_ACTION.values()) | {"resubmit"}


def _error_text(exc) -> str:
    msg = getattr(exc, "message", str(exc))
    fields = getattr(exc, "fields", None) or {}
    details = [f"{v[0] if isinstance(v, list) and v else v}" for k, v in fields.items() if k not in ("materials",)]
    return msg + ("（" + "；".join(str(d) for d in details[:5]) + "）" if details and msg == "提交的数据有误。" else "")


@contextmanager
def _refusals(*, authority=False):
    """A service's refusal in words on the page: a DomainError with its field details in
    the message; with `authority`, a refusal of the person's authority (PermissionDenied)
    likewise, on the form (else it stays a 403)."""
    try:
        yield
    except DomainError as exc:
        raise DomainError(_error_text(exc), getattr(exc, "fields", None)) from exc
    except PermissionDenied as exc:
        if not authority:
            raise
        raise DomainError(str(exc) or "您没有办理此事项的权限。") from exc


# --- items ---------------------------------------------------------------------------------------

class _FullExport:
    """A list whose Excel export carries more than the page's columns (an item's 受理、意见书
    and 备案 dates, an advisor's licence and phone): `export_sheet` = (file name, sheet,
    headers, rows(qs), ordering); the same filtered, visible rows as the page, capped."""

    export_sheet = None

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            name, sheet, headers, rows, ordering = self.export_sheet
            qs, _ = self.get_filtered()
            with report_reads():
                return exports.xlsx_response(f"{name}.xlsx", [(sheet, headers, rows(qs.order_by(*ordering)[:self.export_max_rows]))])
        return super().get(request, *args, **kwargs)


class ItemListView(_FullExport, ScopedListView):
    title = "合法性审查事项"
    table_class = ItemTable
    create_url_name = "review:item_create"
    template_name = "review/item_list.html"
    export_sheet = ("合法性审查事项", "审查事项", exports.ITEM_HEADERS, exports.item_rows, ("-submitted_on", "-id"))

    @property
    def filterset_class(self):
        return partial(ItemFilter, request=self.request)

    def can_create(self):
        return self.request.user.has_role(*UNIT_ROLES)

    def get_base_queryset(self):
        return selectors.items_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_export_examples"] = selectors.may_export_precheck_examples(self.request.user)
        return ctx


class _UnitForm(ServiceFormView):
    """The forms of the submitting unit's legal officers (部门/乡镇法制员)."""

    template_name = "review/item_form.html"
    form_class = ItemForm
    permission_denied_message = "只有部门或乡镇法制员可以报送合法性审查事项。"

    def has_permission(self):
        return self.request.user.has_role(*UNIT_ROLES)

    def get_context_data(self, form):
        return {**super().get_context_data(form), "item": self.object}

    def get_success_url(self, item):
        return reverse("review:item_detail", args=[item.pk])


class ItemCreate(_UnitForm):
    title = "报送合法性审查"
    cancel_url_name = "review:item_list"

    def perform(self, form):
        data = dict(form.cleaned_data)
        upload = data.pop("draft_file", None)
        with _refusals():
            return services.submit_item(actor=self.request.user, upload=upload, **data)

    def get_success_message(self, item):
        if item.state == ItemState.RETURNED:
            messages.warning(self.request, "材料不齐全，已一次性列出需补正的全部内容，请补正后重新报送。")
            return ""
        return f"已报送，审查编号 {item.number}。"


item_create = ItemCreate.as_view()


class ItemResubmit(_UnitForm):
    model = ReviewItem
    permission_denied_message = "只有报送单位可以重新报送。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "resubmit": True}

    def get_initial(self):
        return {f: getattr(self.object, f) for f in services.ITEM_FIELDS}

    def get_title(self):
        return f"重新报送：{self.object.title}"

    def get_cancel_url(self):
        return reverse("review:item_detail", args=[self.object.pk])

    def get_context_data(self, form):
        item = self.object
        return {**super().get_context_data(form),
                "current_draft": item.drafts.exclude(file="").order_by("-round").first(),
                "not_returned": item.state != ItemState.RETURNED}

    def perform(self, form):
        data = dict(form.cleaned_data)
        upload = data.pop("draft_file", None)
        with _refusals():
            return services.resubmit_item(actor=self.request.user, item=self.object, upload=upload,
                                          expected_version=self.request.POST.get("version") or None, **data)

    def get_success_message(self, item):
        return f"已重新报送（第 {item.round} 轮）。"


item_resubmit = ItemResubmit.as_view()


def _visible_item(request, pk):
    return get_object_or_404(ReviewItem.objects.visible_to(request.user).select_related("org"), pk=pk)




class ItemDetailView(ScopedDetailView):
    model = ReviewItem
    template_name = "review/item_detail.html"
    select_related = ("org", "advisor_office", "submitted_by")

    def get_context_data(self, **kwargs):
        from yifa.deadlines.selectors import deadlines_for_owner

        ctx = super().get_context_data(**kwargs)
        item, user = ctx["object"], self.request.user
        today = clock.today()
        current = item.current_assignment()
        is_reviewer = current is not None and current.reviewer_id == user.pk
        is_office = user.has_role(Role.ADVISOR_OFFICE) and item.org.path.startswith(county_root(user).path)
        is_unit = user.has_role(*UNIT_ROLES) and item.org.path.startswith(user.scope_root.path)
        rounds = []
        opinions = list(item.opinions.select_related("reviewer").prefetch_related("suggestions"))
        drafts = {d.round: d for d in item.drafts.all()}
        hints = list(item.hints.select_related("dismissed_by"))
        assignments = list(item.assignments.select_related("reviewer"))
        for r in range(item.round, 0, -1):
            rounds.append({"round": r, "draft": drafts.get(r), "opinions": [o for o in opinions if o.round == r],
                           "hints": [h for h in hints if h.round == r],
                           "assignments": [a for a in assignments if a.round == r]})
        actions = []
        for t in REVIEW.available(item, user):
            if t.action in HIDDEN_ACTIONS:
                continue
            if t.action == "return_revision" and not (is_reviewer or is_office):
                continue
            if t.action in ("accept", "return_intake") and not is_office:
                continue
            if t.roles and set(t.roles) <= set(UNIT_ROLES) and not is_unit:
                continue
            actions.append(t)
        earlier, previous = [], None
        if is_reviewer:
            # a later tier starts from the earlier tiers' standing suggestions and text
            earlier = services.earlier_suggestions(item, item.current_tier)
            done = [o for o in opinions if o.round == item.round]
            previous = max(done, key=lambda o: TIER_ORDER.index(o.tier)) if done else None
        candidates = []
        if is_office and item.current_tier:
            candidates = [u for u in services._candidates(item, item.current_tier) if not current or u.pk != current.reviewer_id]
        ctx.update(
            title=item.title, current=current, is_reviewer=is_reviewer, is_office=is_office, is_unit=is_unit,
            rounds=rounds, actions=actions, candidates=candidates, opinion_form=OpinionForm() if is_reviewer else None,
            earlier=earlier, previous=previous, dispositions=Disposition.choices,
            letter_suggestions=services.letter_suggestions(item) if is_unit else [],
            can_dismiss=item.state == Tier.FIRST and (is_reviewer or is_office),
            can_add_finding=services.may_add_finding(user, item),
            finding_categories=[c for c in PrecheckCategory.choices if c[0] != PrecheckCategory.NONE],
            findings=list(item.precheck_examples.filter(source=ExampleSource.REVIEWER_FINDING)
                          .select_related("created_by").order_by("id")),
            can_adopt=is_unit and item.state in (ItemState.OPINION_ISSUED, ItemState.ADOPTION_RECORDED),
            adoption_choices=Adoption.choices,
            deadlines=[(d, d.due_status_on(today)) for d in deadlines_for_owner(item).order_by("-id")[:6]],
            tier_label=Tier(item.current_tier).label if item.current_tier else "",
            min_review=self._min_review(item),
        )
        return ctx

    @staticmethod
    def _min_review(item):
        if item.item_type != "normative_document" or not item.accepted_on:
            return None
        from yifa.deadlines import engine

        try:
            return engine.compute("normative.review.min", item.accepted_on, org=item.org)
        except DomainError:
            return None


class ItemActions(RecordActionView):
    """Every POSTed action on an item (`…/op/<op>/`): workflow moves, opinions, recusal,
    reassignment, dismissing hints and recording adoption. A refusal comes back as a
    message with the typed input kept (the adoption form keeps every selection)."""

    model = ReviewItem
    detail_url_name = "review:item_detail"

    def get_object(self):
        return _visible_item(self.request, self.kwargs["pk"])

    def do_opinion(self, item):
        post = self.request.POST
        form = OpinionForm(post)
        if not form.is_valid():
            raise DomainError("审查意见不完整：" + "；".join(f"{form.fields[k].label}{v[0]}" for k, v in form.errors.items()
                                                     if k in form.fields))
        suggestions = [{"clause": c, "quote": q, "suggestion": s, "basis": b} for c, q, s, b in
                       zip(post.getlist("clause"), post.getlist("quote"), post.getlist("suggestion"),
                           post.getlist("basis"))]
        with _refusals():
            services.submit_opinion(actor=self.request.user, item=item, tier=item.state, suggestions=suggestions,
                                    dispositions=_dispositions(post, item), expected_version=self.version(),
                                    **form.cleaned_data)
        return "审查意见已提交。"

    def do_recuse(self, item):
        user = self.request.user
        a = services.recuse(actor=user, item=item, reason=self.request.POST.get("reason", ""))
        text = f"已回避，本审级已重新分配给 {a.reviewer.display_name}。"
        if not ReviewItem.objects.visible_to(user).filter(pk=item.pk).exists():
            return text, reverse("review:item_list")
        return text

    def do_reassign(self, item):
        raw = str(self.request.POST.get("reviewer", ""))
        reviewer = User.objects.filter(pk=raw).first() if raw.isdigit() else None
        a = services.reassign(actor=self.request.user, item=item, reviewer=reviewer,
                              reason=self.request.POST.get("reason", ""))
        return f"已调整为 {a.reviewer.display_name}。"

    def do_dismiss_hint(self, item):
        raw = str(self.request.POST.get("hint", ""))
        hint = get_object_or_404(PrecheckHint, pk=raw if raw.isdigit() else 0, item=item)
        services.dismiss_hint(actor=self.request.user, hint=hint, reason=self.request.POST.get("reason", ""))
        return "已排除该预审提示（已记为预审样本，用于改进预审助手）。"

    def do_precheck_finding(self, item):
        post = self.request.POST
        services.add_precheck_finding(actor=self.request.user, item=item, category=post.get("category", ""),
                                      quote=post.get("quote", ""), note=post.get("note", ""))
        return "已记录补充发现（已记为预审样本，用于改进预审助手）。"

    def do_adoption(self, item):
        post = self.request.POST
        answers = {s.pk: (post.get(f"adoption_{s.pk}", ""), post.get(f"reason_{s.pk}", ""))
                   for s in services.letter_suggestions(item)}
        n = services.record_adoptions(actor=self.request.user, item=item, answers=answers)
        return f"已保存 {n} 条建议的采纳情况。"

    def move(self, item, op):
        """A workflow move named by the URL (撤回, 退回修改, 准予提交 …)."""
        post = self.request.POST
        with _refusals():
            moved = services.act(item, op, actor=self.request.user, reason=post.get("reason", ""),
                                 expected_version=self.version(),
                                 payload={"filing_number": post.get("filing_number", "")})
        return f"已执行：{REVIEW_ACTIONS[op]}（当前状态：{moved.get_state_display()}）。"

    def post(self, request, pk, op):
        if op not in REVIEW_ACTIONS and not hasattr(self, f"do_{op}"):
            raise Http404
        return super().post(request, pk, op)

    def __getattr__(self, name):
        # `do_<workflow action>`: the moves of the REVIEW table, without one method each
        if name.startswith("do_") and name[3:] in REVIEW_ACTIONS:
            return partial(self.move, op=name[3:])
        raise AttributeError(name)


item_op = ItemActions.as_view()


def _dispositions(post, item) -> dict:
    """keep / change / drop for each earlier suggestion shown on the opinion form; a kept one
    whose text the reviewer edited counts as changed."""
    out = {}
    if item.current_tier is None:
        return out
    for s in services.earlier_suggestions(item, item.current_tier):
        action = post.get(f"dispose_{s.pk}")
        if not action:
            continue
        fields = {k: (post.get(f"{k}_{s.pk}") or "").strip() for k in ("clause", "quote", "suggestion", "basis")}
        if action == Disposition.KEPT and any(fields[k] != (getattr(s, k) or "").strip() for k in fields):
            action = Disposition.CHANGED
        out[s.pk] = {"action": action, **fields}
    return out


REVIEW_ACTIONS = {t.action: t.label for t in REVIEW.transitions if t.action not in HIDDEN_ACTIONS}.items()
REVIEW_ACTIONS = dict(REVIEW_ACTIONS)


@login_required
def letter_download(request, pk, fmt):
    """The 意见书 of a visible item (the submitting unit, the reviewers, the office)."""
    item = _visible_item(request, pk)
    if fmt not in ("docx", "pdf") or not item.letter_document_id:
        raise Http404("该事项尚未出具意见书。")
    from yifa.documents.models import IssuedDocument
    from yifa.documents.views import serve_document

    document = get_object_or_404(IssuedDocument, pk=item.letter_document_id)
    return serve_document(request, document, fmt)


letter_download.scoped_model = ReviewItem


@login_required
def draft_download(request, pk, round_no):
    item = _visible_item(request, pk)
    draft = get_object_or_404(item.drafts, round=round_no)
    if not draft.file:
        raise Http404
    from django.http import FileResponse

    return FileResponse(draft.file.open("rb"), as_attachment=True, filename=draft.file_name or draft.file.name)


draft_download.scoped_model = ReviewItem


# --- statistics ---------------------------------------------------------------------------------------

@login_required
@replica_reads
def statistics(request):
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    if year is not None and not 2000 <= year <= 2100:
        year = None
    stats = selectors.statistics(request.user, year)
    if request.GET.get("export") == "xlsx":
        t = stats["totals"]
        return exports.xlsx_response(f"合法性审查统计{year or ''}.xlsx", [
            ("总体", ["报送", "已出具意见", "退回修改", "审查中", "不同意", "审查意见数", "建议数", "采纳率%"],
             [[t["total"], t["reviewed"], t["returned"], t["in_review"], t["disagree"], stats["opinions"],
               stats["adoption"]["total"], stats["adoption"]["rate"]]]),
            ("按类型", ["类型", "报送", "已出具意见", "退回修改", "审查中", "不同意"],
             [[r["label"], r["total"], r["reviewed"], r["returned"], r["in_review"], r["disagree"]] for r in stats["by_type"]]),
            ("按审级", ["审级", "完成数", "平均用时（日）", "意见数"],
             [[r["label"], r["completed"], r["avg_days"], r["opinions"]] for r in stats["by_tier"]]),
            ("按单位", ["单位", "报送", "已出具意见", "退回修改", "审查中", "不同意"],
             [[r["org__name"], r["total"], r["reviewed"], r["returned"], r["in_review"], r["disagree"]] for r in stats["by_unit"]]),
            ("顾问工作量", ["审查人", "审级", "分配", "完成", "在办", "回避"],
             [[r["reviewer__display_name"], dict(Tier.choices).get(r["tier"]), r["total"], r["completed"], r["open"],
               r["recused"]] for r in stats["workload"]]),
        ])
    this_year = clock.today().year
    return render(request, "review/statistics.html", {"title": "合法性审查统计", "stats": stats, "year": year,
                                                      "tier_limits": selectors.tier_limits(request.user),
                                                      "years": list(range(this_year, this_year - 5, -1)),
                                                      "tier_labels": dict(Tier.choices)})


# --- advisors -------------------------------------------------------------------------------------------

OFFICE_ROLES = (Role.ADVISOR_OFFICE, Role.ADMIN)


@login_required
@replica_reads
def advisor_coverage(request):
    """党政机关法律顾问全覆盖: the units of the user's county without an advisor under contract."""
    if request.user.scope_root is None:
        raise Http404
    root = county_root(request.user)
    return render(request, "review/advisor_coverage.html", {
        "title": "法律顾问覆盖情况", "root": root, "coverage": selectors.advisor_coverage(root, clock.today())})


class AdvisorListView(_FullExport, ScopedListView):
    title = "法律顾问"
    # the import's layout (执业证号、联系电话、服务单位代码 …): an export can be re-imported
    export_sheet = ("法律顾问", "法律顾问", exports.ADVISOR_HEADERS, exports.advisor_rows, ("org__path", "name", "id"))
    table_class = AdvisorTable
    create_url_name = "review:advisor_create"
    template_name = "review/advisor_list.html"

    @property
    def filterset_class(self):
        return partial(AdvisorFilter, request=self.request)

    def can_create(self):
        return self.request.user.has_role(Role.ADVISOR_OFFICE, Role.ADMIN)

    def get_base_queryset(self):
        return selectors.advisors_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["counts"] = selectors.advisor_counts(self.request.user)
        root = self.request.user.scope_root and county_root(self.request.user)
        ctx["coverage"] = selectors.advisor_coverage(root, clock.today()) if root is not None else None
        return ctx



class AdvisorDetailView(ScopedDetailView):
    model = LegalAdvisor
    template_name = "review/advisor_detail.html"
    select_related = ("org", "user")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a = ctx["object"]
        ctx.update(title=a.name, evaluations=selectors.evaluations_of(a),
                   duties=a.duties.filter(date__gte=clock.today()).order_by("date")[:10],
                   can_edit=self.request.user.has_role(Role.ADVISOR_OFFICE, Role.ADMIN),
                   evaluation_form=EvaluationForm(initial={"year": clock.today().year - 1}),
                   load=(Assignment.objects.filter(reviewer=a.user, active=True, completed_on__isnull=True).count()
                         if a.user_id else None))
        return ctx


class _OfficeForm(ServiceFormView):
    """The advisor forms of 法律顾问室 (or the administrator)."""

    permission_denied_message = "只有法律顾问室或系统管理员可以维护法律顾问。"
    success_message = "已保存。"

    def has_permission(self):
        return self.request.user.has_role(*OFFICE_ROLES)

    def get_cancel_url(self):
        return reverse("review:advisor_detail", args=[self.object.pk]) if self.object else reverse("review:advisor_list")

    def get_success_url(self, result):
        return reverse("review:advisor_detail", args=[self.object.pk if self.object else result.pk])


class AdvisorCreate(_OfficeForm):
    form_class = AdvisorForm
    title = "登记法律顾问"

    def get_initial(self):
        return {"status": "active"}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        with _refusals(authority=True):
            return services.create_advisor(actor=self.request.user, **data)

    def get_success_message(self, a):
        return f"已登记法律顾问 {a.name}。"


advisor_create = AdvisorCreate.as_view()


class AdvisorEdit(_OfficeForm):
    model = LegalAdvisor
    form_class = AdvisorForm

    def get_title(self):
        return f"修改法律顾问：{self.object.name}"

    def get_initial(self):
        a = self.object
        return {f: getattr(a, f) for f in services.ADVISOR_FIELDS} | {"org": a.org, "version": a.version}

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        with _refusals(authority=True):
            return services.update_advisor(actor=self.request.user, advisor=self.object, expected_version=version, **data)


advisor_edit = AdvisorEdit.as_view()


class AdvisorEvaluate(_OfficeForm):
    model = LegalAdvisor
    form_class = EvaluationForm
    form_takes_user = False
    success_message = "年度考评已登记。"

    def get_title(self):
        return f"年度考评：{self.object.name}"

    def get_initial(self):
        return {"year": clock.today().year - 1}

    def perform(self, form):
        with _refusals(authority=True):
            return services.evaluate_advisor(actor=self.request.user, advisor=self.object, **form.cleaned_data)


advisor_evaluate = AdvisorEvaluate.as_view()


class AdvisorImport(ImportReportMixin, _OfficeForm):
    """All rows or none; a refusal lists the first wrong cells on the page and the whole
    list as a download (行号、列、错误说明); the template is a download too."""

    template_name = "review/item_form.html"
    form_class = ImportForm
    form_takes_user = False
    title = "导入法律顾问（Excel）"
    import_title = "法律顾问"

    def perform(self, form):
        with _refusals(authority=True):  # the message names the wrong rows (第 N 行：…)
            return exports.import_advisors(actor=self.request.user, fileobj=form.cleaned_data["file"])

    def get_context_data(self, form):
        return {**super().get_context_data(form), "import_template_url": reverse("review:advisor_import_template")}

    def get_success_message(self, n):
        return f"已导入 {n} 名法律顾问。"

    def get_success_url(self, n):
        return reverse("review:advisor_list")


advisor_import = AdvisorImport.as_view()


@login_required
def advisor_import_template(request):
    """The advisor import's template: header, one example row and a 填写说明 sheet."""
    if not request.user.has_role(*OFFICE_ROLES):
        raise PermissionDenied(_OfficeForm.permission_denied_message)
    return import_template_response("法律顾问", exports.IMPORT_COLUMNS, exports.IMPORT_EXAMPLE,
                                    {"类型": list(dict(exports.AdvisorType.choices).values()),
                                     "状态": list(dict(exports.AdvisorStatus.choices).values()),
                                     "县顾问团": ["是", "否"]})


class Rota(ServiceFormView):
    """坐班安排: the next three weeks for everyone; the office arranges a duty (POST)."""

    template_name = "review/rota.html"
    form_class = DutyForm
    title = "坐班安排"
    success_message = "坐班安排已保存。"
    permission_denied_message = _OfficeForm.permission_denied_message

    def has_permission(self):
        return self.request.method != "POST" or self.request.user.has_role(*OFFICE_ROLES)

    def get_initial(self):
        return {"date": clock.today()}

    def perform(self, form):
        with _refusals(authority=True):
            return services.set_duty(actor=self.request.user, advisor=form.cleaned_data["advisor"],
                                     day=form.cleaned_data["date"])

    def get_success_url(self, duty):
        return reverse("review:rota")

    def get_context_data(self, form):
        today = clock.today()
        days = {}
        for d in selectors.rota(self.request.user, today - timedelta(days=today.weekday()), 21):
            days.setdefault(d.date, []).append(d)
        return {**super().get_context_data(form), "days": sorted(days.items()), "today": today,
                "can_edit": self.request.user.has_role(*OFFICE_ROLES)}


rota = Rota.as_view()


TIER_ROLE_LABELS = {t: TIER_ROLE[t] for t in Tier}


@login_required
def precheck_examples(request):
    """预审样本: hints reviewers dismissed and findings they added, to grow the pre-review
    corpus; the administrator and the advisor office read and export them (CSV in the
    corpus format, or Excel)."""
    qs = selectors.precheck_examples(request.user)
    fmt = request.GET.get("export")
    if fmt == "csv":
        return exports.examples_csv_response(qs)
    if fmt == "xlsx":
        return exports.examples_xlsx_response(qs)
    counts = {(r["label"], r["source"]): r["n"] for r in qs.order_by().values("label", "source").annotate(n=Count("id"))}
    rows = [{"label": label, "name": name, "dismissal": counts.get((label, ExampleSource.DISMISSAL), 0),
             "finding": counts.get((label, ExampleSource.REVIEWER_FINDING), 0)} for label, name in PrecheckCategory.choices]
    return render(request, "review/precheck_examples.html", {
        "title": "预审样本", "rows": rows, "total": sum(counts.values()), "recent": list(qs[:100])})
