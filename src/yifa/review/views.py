from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.views import ScopedDetailView, ScopedListView
from yifa.orgs.models import Role, User
from yifa.core.db.replica import replica_reads, report_reads

from . import exports, selectors, services
from .filters import AdvisorFilter, ItemFilter
from .forms import AdvisorForm, DutyForm, EvaluationForm, ImportForm, ItemForm, OpinionForm
from .models import (TIER_ORDER, TIER_ROLE, Adoption, Assignment, Disposition, ItemState, LegalAdvisor, PrecheckHint, ReviewItem, Suggestion,
                     Tier, county_root)
from .tables import AdvisorTable, ItemTable
from .workflows import OPINION_ACTION, REVIEW, UNIT_ROLES

HIDDEN_ACTIONS = set(OPINION_ACTION.values()) | {"resubmit"}


def _error_text(exc) -> str:
    msg = getattr(exc, "message", str(exc))
    fields = getattr(exc, "fields", None) or {}
    details = [f"{v[0] if isinstance(v, list) and v else v}" for k, v in fields.items() if k not in ("materials",)]
    return msg + ("（" + "；".join(str(d) for d in details[:5]) + "）" if details and msg == "提交的数据有误。" else "")


# --- items ---------------------------------------------------------------------------------------

class ItemListView(ScopedListView):
    title = "合法性审查事项"
    table_class = ItemTable
    create_url_name = "review:item_create"
    template_name = "review/item_list.html"

    @property
    def filterset_class(self):
        return partial(ItemFilter, request=self.request)

    def can_create(self):
        return self.request.user.has_role(*UNIT_ROLES)

    def get_base_queryset(self):
        return selectors.items_visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            qs = self.get_base_queryset()
            f = ItemFilter(request.GET, queryset=qs, request=request)
            qs = f.qs if f.is_valid() else qs
            with report_reads():
                return exports.xlsx_response("合法性审查事项.xlsx", [("审查事项", exports.ITEM_HEADERS,
                                                                  exports.item_rows(qs.order_by("-submitted_on", "-id")))])
        return super().get(request, *args, **kwargs)


@login_required
def item_create(request):
    if not request.user.has_role(*UNIT_ROLES):
        raise PermissionDenied("只有部门或乡镇法制员可以报送合法性审查事项。")
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("draft_file", None)
        try:
            item = services.submit_item(actor=request.user, upload=upload, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            for field, errs in (exc.fields or {}).items():
                if field in form.fields:
                    for e in errs if isinstance(errs, list) else [errs]:
                        form.add_error(field, e)
        else:
            if item.state == ItemState.RETURNED:
                messages.warning(request, "材料不齐全，已一次性列出需补正的全部内容，请补正后重新报送。")
            else:
                messages.success(request, f"已报送，审查编号 {item.number}。")
            return redirect("review:item_detail", pk=item.pk)
    return render(request, "review/item_form.html", {"form": form, "title": "报送合法性审查",
                                                     "cancel_url": reverse("review:item_list")})


def _visible_item(request, pk):
    return get_object_or_404(ReviewItem.objects.visible_to(request.user).select_related("org"), pk=pk)


@login_required
def item_resubmit(request, pk):
    item = _visible_item(request, pk)
    if not request.user.has_role(*UNIT_ROLES):
        raise PermissionDenied("只有报送单位可以重新报送。")
    initial = {f: getattr(item, f) for f in services.ITEM_FIELDS}
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user, resubmit=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("draft_file", None)
        try:
            item = services.resubmit_item(actor=request.user, item=item, upload=upload,
                                          expected_version=request.POST.get("version") or None, **data)
        except DomainError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"已重新报送（第 {item.round} 轮）。")
            return redirect("review:item_detail", pk=item.pk)
    return render(request, "review/item_form.html", {
        "form": form, "title": f"重新报送：{item.title}", "item": item,
        "current_draft": item.drafts.exclude(file="").order_by("-round").first(),
        "cancel_url": reverse("review:item_detail", args=[item.pk]),
        "not_returned": item.state != ItemState.RETURNED})


item_resubmit.scoped_model = ReviewItem


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


@login_required
@require_POST
def item_op(request, pk, op):
    """Every POSTed action on an item: workflow moves, opinions, recusal, reassignment,
    dismissing hints and recording adoption. Errors come back as a message."""
    item = _visible_item(request, pk)
    user, post = request.user, request.POST
    version = post.get("version") or None
    try:
        if op == "opinion":
            form = OpinionForm(post)
            if not form.is_valid():
                raise DomainError("审查意见不完整：" + "；".join(f"{form.fields[k].label}{v[0]}" for k, v in form.errors.items()
                                                         if k in form.fields))
            suggestions = [{"clause": c, "quote": q, "suggestion": s, "basis": b} for c, q, s, b in
                           zip(post.getlist("clause"), post.getlist("quote"), post.getlist("suggestion"),
                               post.getlist("basis"))]
            services.submit_opinion(actor=user, item=item, tier=item.state, suggestions=suggestions,
                                    dispositions=_dispositions(post, item), expected_version=version,
                                    **form.cleaned_data)
            messages.success(request, "审查意见已提交。")
        elif op == "recuse":
            a = services.recuse(actor=user, item=item, reason=post.get("reason", ""))
            messages.success(request, f"已回避，本审级已重新分配给 {a.reviewer.display_name}。")
            if not ReviewItem.objects.visible_to(user).filter(pk=item.pk).exists():
                return redirect("review:item_list")
        elif op == "reassign":
            reviewer = User.objects.filter(pk=post.get("reviewer") or 0).first() if str(post.get("reviewer", "")).isdigit() else None
            a = services.reassign(actor=user, item=item, reviewer=reviewer, reason=post.get("reason", ""))
            messages.success(request, f"已调整为 {a.reviewer.display_name}。")
        elif op == "dismiss_hint":
            hint = get_object_or_404(PrecheckHint, pk=post.get("hint") if str(post.get("hint", "")).isdigit() else 0,
                                     item=item)
            services.dismiss_hint(actor=user, hint=hint, reason=post.get("reason", ""))
            messages.success(request, "已排除该预审提示。")
        elif op == "adoption":
            with transaction.atomic():
                n = 0
                for s in services.letter_suggestions(item):
                    value = post.get(f"adoption_{s.pk}")
                    if value:
                        services.record_adoption(actor=user, suggestion=s, adoption=value,
                                                 reason=post.get(f"reason_{s.pk}", ""))
                        n += 1
            messages.success(request, f"已保存 {n} 条建议的采纳情况。")
        elif op in REVIEW_ACTIONS:
            moved = services.act(item, op, actor=user, reason=post.get("reason", ""), expected_version=version,
                                 payload={"filing_number": post.get("filing_number", "")})
            messages.success(request, f"已执行：{dict(REVIEW_ACTIONS)[op]}（当前状态：{moved.get_state_display()}）。")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("review:item_detail", pk=item.pk)


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

def _require_office_role(user):
    if not user.has_role(Role.ADVISOR_OFFICE, Role.ADMIN):
        raise PermissionDenied("只有法律顾问室或系统管理员可以维护法律顾问。")


@login_required
@replica_reads
def advisor_coverage(request):
    """党政机关法律顾问全覆盖: the units of the user's county without an advisor under contract."""
    if request.user.scope_root is None:
        raise Http404
    root = county_root(request.user)
    return render(request, "review/advisor_coverage.html", {
        "title": "法律顾问覆盖情况", "root": root, "coverage": selectors.advisor_coverage(root, clock.today())})


class AdvisorListView(ScopedListView):
    title = "法律顾问"
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

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            qs = self.get_base_queryset()
            f = AdvisorFilter(request.GET, queryset=qs, request=request)
            qs = f.qs if f.is_valid() else qs
            with report_reads():
                return exports.xlsx_response("法律顾问.xlsx", [("法律顾问", exports.ADVISOR_HEADERS,
                                                              exports.advisor_rows(qs.order_by("org__path", "name", "id")))])
        return super().get(request, *args, **kwargs)


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


@login_required
def advisor_create(request):
    _require_office_role(request.user)
    form = AdvisorForm(request.POST or None, user=request.user, initial={"status": "active"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            a = services.create_advisor(actor=request.user, **data)
        except (DomainError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"已登记法律顾问 {a.name}。")
            return redirect("review:advisor_detail", pk=a.pk)
    return render(request, "core/form.html", {"form": form, "title": "登记法律顾问",
                                              "cancel_url": reverse("review:advisor_list")})


@login_required
def advisor_edit(request, pk):
    advisor = get_object_or_404(LegalAdvisor.objects.visible_to(request.user), pk=pk)
    _require_office_role(request.user)
    initial = {f: getattr(advisor, f) for f in services.ADVISOR_FIELDS} | {"org": advisor.org, "version": advisor.version}
    form = AdvisorForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.update_advisor(actor=request.user, advisor=advisor, expected_version=version, **data)
        except (DomainError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, "已保存。")
            return redirect("review:advisor_detail", pk=advisor.pk)
    return render(request, "core/form.html", {"form": form, "title": f"修改法律顾问：{advisor.name}",
                                              "cancel_url": reverse("review:advisor_detail", args=[advisor.pk])})


advisor_edit.scoped_model = LegalAdvisor


@login_required
def advisor_evaluate(request, pk):
    advisor = get_object_or_404(LegalAdvisor.objects.visible_to(request.user), pk=pk)
    _require_office_role(request.user)
    form = EvaluationForm(request.POST or None, initial={"year": clock.today().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluate_advisor(actor=request.user, advisor=advisor, **form.cleaned_data)
        except (DomainError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, "年度考评已登记。")
            return redirect("review:advisor_detail", pk=advisor.pk)
    return render(request, "core/form.html", {"form": form, "title": f"年度考评：{advisor.name}",
                                              "cancel_url": reverse("review:advisor_detail", args=[advisor.pk])})


advisor_evaluate.scoped_model = LegalAdvisor


@login_required
def advisor_import(request):
    _require_office_role(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            n = exports.import_advisors(actor=request.user, fileobj=form.cleaned_data["file"])
        except (DomainError, PermissionDenied) as exc:
            for line in (getattr(exc, "fields", {}) or {}).get("rows", []) or [_error_text(exc)]:
                form.add_error(None, line)
        else:
            messages.success(request, f"已导入 {n} 名法律顾问。")
            return redirect("review:advisor_list")
    return render(request, "review/item_form.html", {"form": form, "title": "导入法律顾问（Excel）",
                                              "cancel_url": reverse("review:advisor_list")})


@login_required
def rota(request):
    today = clock.today()
    form = DutyForm(request.POST or None, user=request.user, initial={"date": today})
    if request.method == "POST":
        _require_office_role(request.user)
        if form.is_valid():
            try:
                services.set_duty(actor=request.user, advisor=form.cleaned_data["advisor"], day=form.cleaned_data["date"])
                messages.success(request, "坐班安排已保存。")
                return redirect("review:rota")
            except (DomainError, PermissionDenied) as exc:
                form.add_error(None, _error_text(exc))
    days = {}
    for d in selectors.rota(request.user, today - timedelta(days=today.weekday()), 21):
        days.setdefault(d.date, []).append(d)
    return render(request, "review/rota.html", {"title": "坐班安排", "days": sorted(days.items()), "form": form,
                                                "today": today,
                                                "can_edit": request.user.has_role(Role.ADVISOR_OFFICE, Role.ADMIN)})


TIER_ROLE_LABELS = {t: TIER_ROLE[t] for t in Tier}
