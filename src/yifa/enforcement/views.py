import json
from datetime import date
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django_tables2.paginators import LazyPaginator

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.views import ScopedDetailView, ScopedListView, ServiceFormView
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.deadlines.words import due_text
from yifa.orgs.models import Organization
from yifa.portal.caching import public_page
from yifa.core.db.replica import replica_reads

from . import exports, imports, selectors, services
from .filters import BodyFilter, CaseFilter, ItemFilter, OfficerFilter
from .forms import (BodyForm, CaseEditForm, CaseForm, ImportForm, ItemForm, LegalReviewForm, OfficerForm,
                    DisclosureChangeForm, PriorDisclosureForm, RecordForm, TransitionForm)
from .masking import masked_party
from .models import (Case, DisclosureChange, EnforcementBody, EnforcementItem, ImportBatch, Officer, PriorDisclosure,
                     ProcessRecord)
from .tables import (BodyTable, CaseTable, DisclosureChangeTable, ItemTable, OfficerTable, PriorDisclosureTable,
                     due_badge)
from .workflows import LEGAL, earliest_court_application, needs_legal_review, workflow_for


def _err(exc):
    if isinstance(exc, DjangoValidationError):
        return "；".join(exc.messages)
    return getattr(exc, "message", None) or str(exc)


# --- cases -----------------------------------------------------------------------------

class CaseListView(ScopedListView):
    title = "执法案件"
    table_class = CaseTable
    filterset_class = CaseFilter
    create_url_name = "enforcement:case_create"
    paginator_class = LazyPaginator  # millions of cases: no COUNT(*)
    distinct = False

    def can_create(self):
        return self.request.user.has_role(*services.WRITERS)

    def get_base_queryset(self):
        return selectors.cases(self.request.user).order_by("-filed_on", "-id")


@login_required
def case_create(request):
    if not request.user.has_role(*services.WRITERS):
        raise PermissionDenied("您的角色不能立案。")
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case = services.file_case(actor=request.user, org=data.pop("org"), item=data.pop("item"),
                                      case_type=data.pop("case_type"), procedure=data.pop("procedure"),
                                      filed_on=data.pop("filed_on"), officers=list(data.pop("officers")), **data)
        except (DomainError, PermissionDenied, DjangoValidationError) as exc:
            form.add_error(None, _err(exc))
        else:
            messages.success(request, f"已立案：{case.case_no}")
            for d in deadlines_for_owner(case).filter(provisional=True):
                messages.warning(request, f"{d.rule.name}届满日 {due_text(d)}：{d.waiting_for_year} 年放假安排尚未录入，"
                                          "录入后系统自动重新计算。")
            return redirect("enforcement:case_detail", pk=case.pk)
    return render(request, "core/form.html", {"form": form, "title": "立案 / 登记执法案件",
                                              "cancel_url": reverse("enforcement:case_list")})


class CaseDetailView(ScopedDetailView):
    model = Case
    template_name = "enforcement/case_detail.html"
    select_related = ("org", "item", "handler", "body", "legal_reviewer")

    def get_context_data(self, **kwargs):
        ctx = super(ScopedDetailView, self).get_context_data(**kwargs)
        case = self.get_object()
        user = self.request.user
        today = clock.today()
        wf = workflow_for(case)
        deadlines = selectors.case_deadlines(case)
        records, records_page, records_next = selectors.case_records(case, self.request.GET.get("records_page"))
        timeline, history_page, history_next = selectors.case_history(case, self.request.GET.get("history_page"))
        can_write = user.has_role(*services.WRITERS)
        ctx.update(
            object=case, timeline=timeline, history_page=history_page, history_next=history_next,
            title=f"{case.case_no} {case.title}", today=today, workflow=wf,
            due_badge=due_badge(case.due_status_on(today)),
            actions=wf.available(case, user) if can_write else [],
            officers=case.officers.all(), deadlines=deadlines,
            warnings=selectors.case_warnings(case, deadlines), records=records, records_page=records_page,
            records_next=records_next, documents=selectors.case_documents(case),
            needs_review=needs_legal_review(case), can_review=user.has_role(*LEGAL),
            can_write=can_write, review_form=LegalReviewForm(), record_form=RecordForm(), masked=masked_party(case),
            benchmark=case.item.benchmarks.filter(level=case.circumstance).first() if case.circumstance else None,
            surcharge=selectors.late_payment_surcharge(case, today),
            court_wait=earliest_court_application(case),
        )
        ctx.update(kwargs.get("extra", {}))
        return ctx

    def post(self, request, pk):
        case = self.get_object()
        op = request.POST.get("op")
        try:
            if op == "transition":
                form = TransitionForm(request.POST)
                if not form.is_valid():
                    raise DomainError("提交的数据有误：" + form.errors.as_text())
                d = form.cleaned_data
                services.move_case(case, d["action"], actor=request.user, on=d["on"], reason=d["reason"],
                                   expected_version=d["version"],
                                   payload=form.payload())
                messages.success(request, "已办理。")
            elif op == "review":
                form = LegalReviewForm(request.POST)
                if not form.is_valid():
                    raise DomainError("请填写审核结论和意见。")
                services.record_legal_review(actor=request.user, case=case, **form.cleaned_data)
                messages.success(request, "法制审核意见已记录。")
            elif op == "publish":
                services.publish(actor=request.user, case=case)
                messages.success(request, "已在公示页面发布（个人信息已脱敏）。")
            elif op == "request_withdrawal":
                services.request_withdrawal(actor=request.user, case=case, reason=request.POST.get("reason", ""))
                messages.success(request, "已登记撤回公示事由，请在期限内撤回。")
            elif op == "withdraw":
                services.withdraw(actor=request.user, case=case, reason=request.POST.get("reason", ""))
                messages.success(request, "公示已撤回。")
            elif op == "certificate_shown":
                try:
                    on = date.fromisoformat(request.POST.get("on", "").strip())
                except ValueError:
                    raise DomainError("请填写出示执法证件的日期（年-月-日）。") from None
                version = request.POST.get("version", "")
                services.record_certificate_shown(actor=request.user, case=case, on=on,
                                                  expected_version=int(version) if version.isdigit() else None)
                messages.success(request, "已登记出示执法证件。")
            elif op == "upload":
                form = RecordForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise DomainError("请选择文件。")
                services.add_record(actor=request.user, case=case, upload=form.cleaned_data["file"],
                                    kind=form.cleaned_data["kind"], description=form.cleaned_data["description"])
                messages.success(request, "已上传并计算 SM3 摘要。")
            else:
                raise DomainError("未知操作。")
        except (DomainError, PermissionDenied, DjangoValidationError) as exc:
            messages.error(request, _err(exc))
        return redirect("enforcement:case_detail", pk=case.pk)


@login_required
def case_edit(request, pk):
    case = get_object_or_404(selectors.cases(request.user), pk=pk)
    form = CaseEditForm(request.POST or None, instance=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["officers"] = list(data["officers"])
        try:
            services.update_case(actor=request.user, case=case, data=data, expected_version=version)
        except (DomainError, PermissionDenied, DjangoValidationError) as exc:
            form.add_error(None, _err(exc))
        else:
            messages.success(request, "已保存。")
            return redirect("enforcement:case_detail", pk=case.pk)
    return render(request, "core/form.html", {"form": form, "title": f"修改案件 {case.case_no}",
                                              "cancel_url": reverse("enforcement:case_detail", args=[case.pk])})


case_edit.scoped_model = Case


@login_required
def document_download(request, pk, doc_pk, fmt):
    """A document issued for the case (法制审核意见书, …): docx/pdf for whoever sees the case,
    through the shared serving helper (SM3 verified, refusals audited)."""
    from yifa.documents.models import IssuedDocument
    from yifa.documents.views import serve_document

    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    doc = get_object_or_404(IssuedDocument.objects.filter(owner_type=case._meta.label_lower, owner_id=str(case.pk)),
                            pk=doc_pk)
    if fmt not in ("docx", "pdf"):
        raise Http404("没有该格式的文书。")
    return serve_document(request, doc, fmt)


document_download.scoped_model = Case


@login_required
def record_download(request, pk):
    rec = get_object_or_404(selectors.records(request.user), pk=pk)
    try:
        f = rec.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    return FileResponse(f, as_attachment=True, filename=rec.original_name, content_type=rec.content_type)


record_download.scoped_model = ProcessRecord


@login_required
def record_verify(request, pk):
    rec = get_object_or_404(selectors.records(request.user), pk=pk)
    try:
        ok = services.verify_record(rec)
    except FileNotFoundError:
        ok = False
    return render(request, "enforcement/record_verify.html", {"record": rec, "ok": ok, "title": "完整性校验"})


record_verify.scoped_model = ProcessRecord


# --- base libraries ------------------------------------------------------------------------

LIBRARIES = {
    "body": (EnforcementBody, BodyForm, BodyTable, BodyFilter, "执法主体"),
    "officer": (Officer, OfficerForm, OfficerTable, OfficerFilter, "执法人员"),
    "item": (EnforcementItem, ItemForm, ItemTable, ItemFilter, "执法事项"),
}


def _library_list(kind):
    model, _form, table, filt, title = LIBRARIES[kind]

    class View(ScopedListView):
        table_class = table
        create_url_name = f"enforcement:{kind}_create"
        template_name = "enforcement/library_list.html"

        @property
        def filterset_class(self):
            return partial(filt, request=self.request)

        def can_create(self):
            return self.request.user.has_role(*services.LIBRARY_WRITERS)

        def get_base_queryset(self):
            return model.objects.visible_to(self.request.user).select_related("org")

        def get_context_data(self, **kw):
            ctx = super().get_context_data(**kw)
            ctx.update(title=title, export_url=reverse("enforcement:export", args=[kind]),
                       import_url=reverse("enforcement:import"))
            return ctx

    View.__name__ = f"{model.__name__}ListView"
    return View.as_view()


def _library_detail(kind):
    model, _form, _t, _f, title = LIBRARIES[kind]

    class View(ScopedDetailView):
        template_name = "enforcement/library_detail.html"

        def get_context_data(self, **kw):
            ctx = super().get_context_data(**kw)
            obj = ctx["object"]
            fields = [(f.verbose_name, getattr(obj, f"get_{f.name}_display")() if f.choices else getattr(obj, f.name))
                      for f in model._meta.fields if f.name not in ("id", "version", "created_at", "user")]
            ctx.update(title=f"{title}：{obj}", fields=fields, kind=kind,
                       edit_url=reverse(f"enforcement:{kind}_edit", args=[obj.pk]),
                       can_edit=self.request.user.has_role(*services.LIBRARY_WRITERS),
                       benchmarks=obj.benchmarks.all() if kind == "item" else None,
                       cases=selectors.cases(self.request.user).filter(
                           **({"item": obj} if kind == "item" else {"officers": obj} if kind == "officer"
                              else {"body": obj}))[:20])
            if kind == "officer":
                ctx["hours_this_year"] = (selectors.officers(self.request.user).filter(pk=obj.pk)
                                          .values_list("hours_this_year", flat=True).first())
            return ctx

    View.model = model
    View.__name__ = f"{model.__name__}DetailView"
    return View.as_view()


def _library_form(kind):
    model, form_cls, _t, _f, title = LIBRARIES[kind]

    @login_required
    def view(request, pk=None):
        if not request.user.has_role(*services.LIBRARY_WRITERS) and request.method == "POST":
            raise PermissionDenied("只有法制员或管理员可以维护基础库。")
        instance = get_object_or_404(model.objects.visible_to(request.user), pk=pk) if pk else None
        initial = {"version": instance.version} if instance else {}
        if instance is not None and kind == "item":
            initial["benchmarks"] = "\n".join(f"{b.level},{b.min_amount},{b.max_amount},{b.circumstance}"
                                              for b in instance.benchmarks.all())
        form = form_cls(request.POST or None, instance=instance, user=request.user, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            bench = data.pop("benchmarks", None)
            try:
                obj = services.save_library_record(actor=request.user, model=model, data=data, instance=instance,
                                                   expected_version=version if instance else None)
                if kind == "item" and bench is not None:
                    services.set_benchmarks(actor=request.user, item=obj, benchmarks=bench)
            except (DomainError, PermissionDenied, DjangoValidationError) as exc:
                form.add_error(None, _err(exc))
            else:
                messages.success(request, "已保存。")
                return redirect(f"enforcement:{kind}_detail", pk=obj.pk)
        return render(request, "core/form.html", {"form": form, "title": f"{'修改' if instance else '新增'}{title}",
                                                  "cancel_url": reverse(f"enforcement:{kind}_list")})

    view.scoped_model = model
    return view


# --- import / export --------------------------------------------------------------------------

@login_required
@replica_reads
def export(request, kind):
    if kind not in exports.EXPORTERS:
        raise Http404
    return exports.export_response(request.user, kind)


@login_required
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    batch = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["file"].size >= imports.background_threshold():
                batch = imports.start_import(actor=request.user, kind=d["kind"], source_system=d["source_system"],
                                             upload=d["file"])
                messages.info(request, "文件较大，已转入后台导入，本页显示实时进度。")
                return redirect("enforcement:import_status", pk=batch.pk)
            batch = imports.import_file(actor=request.user, kind=d["kind"], source_system=d["source_system"],
                                        upload=d["file"])
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, _err(exc))
        else:
            if batch.errors:
                messages.error(request, f"导入未完成：共 {len(batch.errors)} 处错误，本批数据全部未导入。")
            else:
                messages.success(request, f"导入完成：新增 {batch.created} 条，更新 {batch.updated} 条。")
    batches = ImportBatch.objects.visible_to(request.user).select_related("created_by")[:10]
    from yifa.core.xlsx import ERRORS_SHOWN

    return render(request, "enforcement/import.html", {"form": form, "batch": batch, "batches": batches,
                                                       "title": "批量导入", "kinds": ImportForm.KINDS,
                                                       "errors_shown": ERRORS_SHOWN})


IMPORT_EXAMPLES = {
    "cases": {"source_case_no": "XZCF-2026-0001", "org_code": "（本单位代码）", "item_code": "（执法事项编码）",
              "case_type": "行政处罚", "procedure": "普通程序", "filed_on": "2026-01-05", "title": "销售不合格产品",
              "party_name": "某商贸有限公司", "party_kind": "法人或其他组织", "facts": "经抽检，产品不合格",
              "sanction": "罚款", "amount": 30000, "officers": "（执法证号，多个以逗号分隔）"},
    "officers": {"certificate_no": "（执法证号）", "name": "张三", "org_code": "（单位代码）",
                 "valid_from": "2026-01-01", "valid_to": "2030-12-31", "status": "有效"},
    "items": {"code": "（事项编码）", "name": "对销售不合格产品的行政处罚", "org_code": "（实施单位代码）",
              "category": "行政处罚", "legal_basis": "《中华人民共和国产品质量法》第四十九条"},
    "bodies": {"name": "某县市场监督管理局", "org_code": "（单位代码）", "kind": "法定行政机关",
               "legal_basis": "《地方各级人民代表大会和地方各级人民政府组织法》"},
}


@login_required
def import_template(request, kind):
    """The .xlsx to fill in for an import, from the import's own column definitions."""
    from yifa.core.xlsx import import_template_response

    labels = dict(ImportForm.KINDS)
    if kind not in imports.COLUMNS or kind not in labels:
        raise Http404("没有该类数据的导入模板。")
    choices = {f: [label for _, label in enum.choices] for f, enum in imports.CHOICES.items()}
    return import_template_response(labels[kind], imports.COLUMNS[kind], IMPORT_EXAMPLES.get(kind, {}), choices)


@login_required
def import_errors(request, pk):
    """The refused rows of an import batch with the reasons, as an .xlsx."""
    from yifa.core.xlsx import import_errors_response

    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    # a batch without errors: the report holds the headers alone
    return import_errors_response(f"{dict(ImportForm.KINDS).get(batch.kind, '')}#{batch.pk}", batch.errors)


import_errors.scoped_model = ImportBatch


@login_required
def import_status(request, pk):
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    from yifa.core.xlsx import ERRORS_SHOWN

    ctx = {"batch": batch, "progress": imports.progress_of(batch), "title": "导入进度", "errors_shown": ERRORS_SHOWN}
    if request.headers.get("HX-Request"):
        return render(request, "enforcement/_import_progress.html", ctx)
    return render(request, "enforcement/import_status.html", ctx)


import_status.scoped_model = ImportBatch


# --- monitoring -------------------------------------------------------------------------------

def _scope_org(request):
    org_id = request.GET.get("org")
    if org_id and org_id.isdigit():
        return Organization.objects.visible_to(request.user).filter(pk=org_id).first()
    return None


@login_required
def monitoring(request):
    today = clock.today()
    org = _scope_org(request)
    data = selectors.board(request.user, today, org=org)
    trend = data["trend"]
    provisional, provisional_more = selectors.capped_count(
        selectors.board_cases(request.user, today, org=org, provisional=True))
    return render(request, "enforcement/monitoring.html", {
        **data, "today": today, "scope_org": org, "title": "实时监测",
        "provisional": provisional, "provisional_more": provisional_more,
        "cases_url": reverse("enforcement:monitoring_cases"),
        # the current month is not over: its label says so, its rate is not a month's rate
        "trend_json": json.dumps({"months": [t["month"] + ("（本月至今）" if t["month"] == today.strftime("%Y-%m") else "")
                                             for t in trend],
                                  "rates": [t["rate"] for t in trend]}, ensure_ascii=False),
    })


@login_required
def monitoring_cases(request):
    today = clock.today()
    org = _scope_org(request)
    status = request.GET.get("status")

    def _int(name):
        v = request.GET.get(name)
        return int(v) if v and v.isdigit() else None

    qs = selectors.board_cases(request.user, today, status=status, org=org, handler=_int("handler"),
                               item=_int("item"), officer=_int("officer"),
                               provisional=request.GET.get("provisional") == "1")
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    per = 30
    rows = list(qs[(page - 1) * per: page * per + 1])
    has_next = len(rows) > per
    rows = rows[:per]
    for r in rows:
        r.badge = due_badge(r.due_status_on(today))
    count, more = (len(rows) + (page - 1) * per, False) if not has_next and rows else selectors.capped_count(qs)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enforcement/monitoring_cases.html", {
        "rows": rows, "page": page, "has_next": has_next, "query": query.urlencode(), "status": status,
        "count": count, "count_more": more, "title": "监测明细", "scope_org": org})


# --- public publicity ---------------------------------------------------------------------------

PUBLIC_PER_PAGE = 20


def _public_row(case) -> dict:
    """One published decision as plain, already-masked values (the page and its ETag use only these)."""
    return {"pk": case.pk, "case_no": case.case_no, "org_name": case.org.name, "title": case.title,
            "item_name": case.item.name if case.item_id else "", "item_basis": case.item.legal_basis if case.item_id else "",
            "sanction": case.get_sanction_display(), "amount": None if case.amount is None else str(case.amount),
            "decided_on": case.decided_on, "published_on": case.published_on, **masked_party(case)}


def _public_frame() -> dict:
    from yifa.portal import selectors as portal_selectors
    return {"site": portal_selectors.site_name(), "links": portal_selectors.links()}


def _public_list_data(request):
    qs = selectors.published_cases()
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(title__icontains=q)
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    rows = list(qs[(page - 1) * PUBLIC_PER_PAGE: page * PUBLIC_PER_PAGE + 1])
    return {"items": [_public_row(c) for c in rows[:PUBLIC_PER_PAGE]], "page": page,
            "has_next": len(rows) > PUBLIC_PER_PAGE, "q": q, **_public_frame()}


@public_page(_public_list_data)
def public_list(request, data):
    # rendered without the request: no context processor reads the session, no cookie is set
    return HttpResponse(render_to_string("enforcement/public_list.html", {**data, "title": "行政执法决定公示"}))


def _public_detail_data(request, pk):
    case = get_object_or_404(selectors.published_cases(), pk=pk)
    return {"case": _public_row(case), **_public_frame()}


@public_page(_public_detail_data)
def public_detail(request, data, pk):
    return HttpResponse(render_to_string("enforcement/public_detail.html", {**data, "title": "行政执法决定公示"}))


public_detail.scoped_model = Case

body_list, officer_list, item_list = (_library_list(k) for k in ("body", "officer", "item"))
body_detail, officer_detail, item_detail = (_library_detail(k) for k in ("body", "officer", "item"))
body_form, officer_form, item_form = (_library_form(k) for k in ("body", "officer", "item"))


# --- 事前公开 -------------------------------------------------------------------------------

class PriorDisclosureListView(ScopedListView):
    """Each unit's 事前公开 record (items, bases, procedures published), in the user's scope."""

    title = "事前公开"
    table_class = PriorDisclosureTable
    create_url_name = "enforcement:disclosure_create"
    empty_text = "尚未登记事前公开。"

    def can_create(self):
        return self.request.user.has_role(*services.LIBRARY_WRITERS)

    def get_base_queryset(self):
        return PriorDisclosure.objects.visible_to(self.request.user).select_related("org")

    def get_extra_links(self):
        return [{"url": reverse("enforcement:disclosure_change_list"), "label": "内容变更与更新公开",
                 "id": "disclosure-changes-link"}]


class PriorDisclosureCreate(ServiceFormView):
    """登记事前公开: one record per unit, updated on each publication (audited)."""

    form_class = PriorDisclosureForm
    title = "登记事前公开"
    cancel_url_name = "enforcement:disclosure_list"
    success_message = "已登记事前公开。"
    permission_denied_message = "只有部门法制员、乡镇法制员或系统管理员可以登记事前公开。"

    def has_permission(self):
        return self.request.user.has_role(*services.LIBRARY_WRITERS)

    def get_initial(self):
        return {"published_on": clock.today()}

    def perform(self, form):
        d = form.cleaned_data
        return services.record_prior_disclosure(actor=self.request.user, org=d["org"], published_on=d["published_on"],
                                                items=d["items"], bases=d["bases"], procedures=d["procedures"],
                                                url=d["url"])

    def get_success_url(self, result):
        return reverse("enforcement:disclosure_list")


class DisclosureChangeListView(ScopedListView):
    """Changes of items, bases or procedures and whether the 事前公开 was updated in time
    (政府信息公开条例 art. 26: 20 working days)."""

    title = "事前公开内容变更"
    table_class = DisclosureChangeTable
    create_url_name = "enforcement:disclosure_change_create"
    empty_text = "尚未登记执法事项、依据或程序的变更。"

    def can_create(self):
        return self.request.user.has_role(*services.LIBRARY_WRITERS)

    def get_base_queryset(self):
        return DisclosureChange.objects.visible_to(self.request.user).select_related("org")

    def get_extra_links(self):
        return [{"url": reverse("enforcement:disclosure_list"), "label": "事前公开", "id": "disclosures-link"}]


class DisclosureChangeCreate(ServiceFormView):
    """登记变更: starts the 20-working-day period to update the 事前公开 (audited)."""

    form_class = DisclosureChangeForm
    title = "登记执法事项、依据或程序变更"
    cancel_url_name = "enforcement:disclosure_change_list"
    permission_denied_message = "只有部门法制员、乡镇法制员或系统管理员可以登记事前公开内容变更。"

    def has_permission(self):
        return self.request.user.has_role(*services.LIBRARY_WRITERS)

    def get_initial(self):
        return {"changed_on": clock.today()}

    def perform(self, form):
        d = form.cleaned_data
        return services.record_disclosure_change(actor=self.request.user, org=d["org"], changed_on=d["changed_on"],
                                                 items=d["items"], bases=d["bases"], procedures=d["procedures"],
                                                 description=d["description"])

    def get_success_message(self, result):
        mark = "（暂定）" if result.due_provisional else ""
        return f"已登记变更，应于 {result.due:%Y-%m-%d}{mark} 前更新公开（《政府信息公开条例》第二十六条）。"

    def get_success_url(self, result):
        return reverse("enforcement:disclosure_change_list")
