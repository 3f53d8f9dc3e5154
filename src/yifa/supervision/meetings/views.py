"""Pages of the meetings app: joint meetings, their action items, adopted rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.views import ScopedDetailView, ScopedListView

from . import selectors, services
from .filters import ActionItemFilter, AdoptedRuleFilter, MeetingFilter
from .forms import ActionItemForm, AdoptedRuleForm, MeetingForm
from .models import ActionItem, ActionState, AdoptedRule, JointMeeting
from .tables import ActionItemTable, AdoptedRuleTable, MeetingTable


def _form_error(form, exc):
    placed = False
    for field, errs in (exc.fields or {}).items():
        if field in form.fields:
            for e in errs if isinstance(errs, list) else [errs]:
                form.add_error(field, e)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


@login_required
def home(request):
    user, today = request.user, clock.today()
    return render(request, "meetings/home.html", {
        "title": "联席会议与制度建设", "meetings": selectors.meetings_visible_to(user)[:8],
        "overdue": selectors.overdue_items(user, today).order_by("due")[:10],
        "open_items": selectors.items_visible_to(user).filter(state=ActionState.OPEN, due__gte=today).order_by("due")[:10],
        "rules": selectors.rules_visible_to(user)[:8], "can_manage": services.can_manage(user), "today": today})


class MeetingListView(ScopedListView):
    title = "联席会议"
    table_class = MeetingTable
    filterset_class = MeetingFilter
    create_url_name = "meetings:meeting_create"

    def can_create(self):
        return services.can_manage(self.request.user)

    def get_base_queryset(self):
        return selectors.meetings_visible_to(self.request.user)


@login_required
def meeting_create(request):
    if not services.can_manage(request.user):
        raise PermissionDenied("只有监督员、部门法制员或乡镇法制员可以登记联席会议。")
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            m = services.record_meeting(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "联席会议已登记。")
            return redirect("meetings:meeting_detail", pk=m.pk)
    return render(request, "core/form.html", {"form": form, "title": "登记联席会议",
                                              "cancel_url": reverse("meetings:meeting_list")})


class MeetingDetailView(ScopedDetailView):
    model = JointMeeting
    template_name = "meetings/meeting_detail.html"
    select_related = ("org", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        ctx["items"] = selectors.items_visible_to(user).filter(meeting=obj).order_by("due", "id")
        ctx["participants"] = obj.participants.order_by("path")
        ctx["can_manage"] = services.can_manage(user)
        ctx["item_form"] = ActionItemForm(user=user) if ctx["can_manage"] else None
        ctx["today"] = clock.today()
        return ctx


@login_required
@require_POST
def meeting_op(request, pk, op):
    m = get_object_or_404(JointMeeting.objects.visible_to(request.user), pk=pk)
    try:
        if op == "add-item":
            form = ActionItemForm(request.POST, user=request.user)
            if not form.is_valid():
                raise DomainError("议定事项填写有误：" + "；".join(f"{form.fields[k].label}：{v[0]}"
                                                           for k, v in form.errors.items() if k in form.fields))
            services.add_action_item(actor=request.user, meeting=m, **form.cleaned_data)
            messages.success(request, "议定事项已登记，已通知责任单位。")
        elif op == "minutes":
            services.update_minutes(actor=request.user, meeting=m, minutes=request.POST.get("minutes", ""),
                                    expected_version=request.POST.get("version") or None)
            messages.success(request, "会议纪要已保存。")
        else:
            raise DomainError("未知操作。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:meeting_detail", pk=m.pk)


meeting_op.scoped_model = JointMeeting


class ItemListView(ScopedListView):
    title = "联席会议议定事项"
    table_class = ActionItemTable
    filterset_class = ActionItemFilter

    def get_base_queryset(self):
        return selectors.items_visible_to(self.request.user)


class ItemDetailView(ScopedDetailView):
    model = ActionItem
    template_name = "meetings/item_detail.html"
    select_related = ("org", "meeting", "owner", "done_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        ctx["can_complete"] = obj.state == ActionState.OPEN and (services.can_manage(user) or obj.owner_id == user.pk)
        ctx["overdue"] = obj.is_overdue()
        return ctx


@login_required
@require_POST
def item_op(request, pk, op):
    item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
    try:
        if op != "done":
            raise DomainError("未知操作。")
        raw = (request.POST.get("on") or "").strip()
        on = None
        if raw:
            try:
                on = parse_date(raw)
            except ValueError:
                on = None
            if on is None:
                raise DomainError("完成日期格式不正确。")
        services.complete_action_item(actor=request.user, item=item, note=request.POST.get("note", ""), on=on,
                                      expected_version=request.POST.get("version") or None)
        messages.success(request, "已报告落实情况。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:item_detail", pk=item.pk)


item_op.scoped_model = ActionItem


class RuleListView(ScopedListView):
    title = "制度建设"
    table_class = AdoptedRuleTable
    filterset_class = AdoptedRuleFilter
    create_url_name = "meetings:rule_create"

    def can_create(self):
        return services.can_manage(self.request.user)

    def get_base_queryset(self):
        return selectors.rules_visible_to(self.request.user)


@login_required
def rule_create(request):
    if not services.can_manage(request.user):
        raise PermissionDenied("只有监督员、部门法制员或乡镇法制员可以登记制度建设。")
    initial = {"finding": request.GET.get("finding")} if request.method == "GET" else None
    form = AdoptedRuleForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            finding = case = None
            if d.pop("finding"):
                from yifa.supervision.models import Finding

                finding = Finding.objects.visible_to(request.user).filter(pk=form.cleaned_data["finding"]).first()
                if finding is None:
                    raise DomainError("监督问题不存在或不在您的范围内。", {"finding": ["监督问题不存在或不在您的范围内"]})
            case_no = d.pop("case").strip()
            if case_no:
                from yifa.enforcement.models import Case

                case = Case.objects.visible_to(request.user).filter(case_no=case_no).first()
                if case is None:
                    raise DomainError("案件不存在或不在您的范围内。", {"case": ["案件不存在或不在您的范围内"]})
            r = services.adopt_rule(actor=request.user, finding=finding, case=case, **d)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "制度建设已登记。")
            return redirect("meetings:rule_detail", pk=r.pk)
    return render(request, "meetings/form.html", {"form": form, "title": "登记制度建设",
                                                  "cancel_url": reverse("meetings:rule_list")})


class RuleDetailView(ScopedDetailView):
    model = AdoptedRule
    template_name = "meetings/rule_detail.html"
    select_related = ("org", "finding", "case", "source_type", "created_by")


@login_required
def rule_download(request, pk, what):
    r = get_object_or_404(AdoptedRule.objects.visible_to(request.user), pk=pk)
    if what != "attachment" or not r.attachment:
        raise Http404("没有附件。")
    return FileResponse(r.attachment.open("rb"), as_attachment=True, filename=r.attachment_name or "制度文件")


rule_download.scoped_model = AdoptedRule
