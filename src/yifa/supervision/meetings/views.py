"""Pages of the meetings app: joint meetings, their action items, adopted rules."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.dateparse import parse_date

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.core.viewkit import RecordActionView, ScopedDetailView, ScopedListView, ServiceFormView, form_errors_text

from . import selectors, services
from .filters import ActionItemFilter, AdoptedRuleFilter, MeetingFilter
from .forms import ActionItemForm, AdoptedRuleForm, MeetingForm
from .models import ActionItem, ActionState, AdoptedRule, JointMeeting
from .tables import ActionItemTable, AdoptedRuleTable, MeetingTable


@login_required
def home(request):
    user, today = request.user, clock.today()
    return render(request, "meetings/home.html", {
        "title": "联席会议与制度建设", "meetings": selectors.meetings_visible_to(user)[:8],
        "overdue": selectors.overdue_items(user, today).order_by("due")[:10],
        "open_items": selectors.items_visible_to(user).filter(state=ActionState.OPEN, due__gte=today).order_by("due")[:10],
        "rules": selectors.rules_visible_to(user)[:8], "can_manage": services.can_manage(user), "today": today})


class _ManagerList(ScopedListView):
    def can_create(self):
        return services.can_manage(self.request.user)


class MeetingListView(_ManagerList):
    title = "联席会议"
    table_class = MeetingTable
    filterset_class = MeetingFilter
    create_url_name = "meetings:meeting_create"

    def get_base_queryset(self):
        return selectors.meetings_visible_to(self.request.user)


class _ManagerForm(ServiceFormView):
    """A register form for the supervisor or a unit's legal officer."""

    def has_permission(self):
        return services.can_manage(self.request.user)


class MeetingCreateView(_ManagerForm):
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以登记联席会议。"
    form_class = MeetingForm
    title = "登记联席会议"
    cancel_url_name = "meetings:meeting_list"
    success_message = "联席会议已登记。"

    def perform(self, form):
        return services.record_meeting(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, meeting):
        return reverse("meetings:meeting_detail", args=[meeting.pk])


meeting_create = MeetingCreateView.as_view()


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


class MeetingActions(RecordActionView):
    model = JointMeeting
    detail_url_name = "meetings:meeting_detail"

    def do_add_item(self, meeting):
        form = ActionItemForm(self.request.POST, user=self.request.user)
        d = self.valid(form, "议定事项填写有误：" + form_errors_text(form))
        services.add_action_item(actor=self.request.user, meeting=meeting, **d)
        return "议定事项已登记，已通知责任单位。"

    def do_minutes(self, meeting):
        services.update_minutes(actor=self.request.user, meeting=meeting, minutes=self.request.POST.get("minutes", ""),
                                expected_version=self.version())
        return "会议纪要已保存。"

    def post(self, request, pk, op):
        return super().post(request, pk, op.replace("-", "_"))


meeting_op = MeetingActions.as_view()


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


class ItemActions(RecordActionView):
    model = ActionItem
    detail_url_name = "meetings:item_detail"

    def do_done(self, item):
        raw = (self.request.POST.get("on") or "").strip()
        on = None
        if raw:
            try:
                on = parse_date(raw)
            except ValueError:
                on = None
            if on is None:
                raise DomainError("完成日期格式不正确。")
        services.complete_action_item(actor=self.request.user, item=item, note=self.request.POST.get("note", ""),
                                      on=on, expected_version=self.version())
        return "已报告落实情况。"


item_op = ItemActions.as_view()


class RuleListView(_ManagerList):
    title = "制度建设"
    table_class = AdoptedRuleTable
    filterset_class = AdoptedRuleFilter
    create_url_name = "meetings:rule_create"

    def get_base_queryset(self):
        return selectors.rules_visible_to(self.request.user)


class RuleCreateView(_ManagerForm):
    permission_denied_message = "只有监督员、部门法制员或乡镇法制员可以登记制度建设。"
    form_class = AdoptedRuleForm
    template_name = "meetings/form.html"
    title = "登记制度建设"
    cancel_url_name = "meetings:rule_list"
    success_message = "制度建设已登记。"

    def get_initial(self):
        return {"finding": self.request.GET.get("finding")}

    def perform(self, form):
        d, user = dict(form.cleaned_data), self.request.user
        finding = case = None
        if d.pop("finding"):
            from yifa.supervision.models import Finding

            finding = Finding.objects.visible_to(user).filter(pk=form.cleaned_data["finding"]).first()
            if finding is None:
                raise DomainError("监督问题不存在或不在您的范围内。", {"finding": ["监督问题不存在或不在您的范围内"]})
        case_no = d.pop("case").strip()
        if case_no:
            from yifa.enforcement.models import Case

            case = Case.objects.visible_to(user).filter(case_no=case_no).first()
            if case is None:
                raise DomainError("案件不存在或不在您的范围内。", {"case": ["案件不存在或不在您的范围内"]})
        return services.adopt_rule(actor=user, finding=finding, case=case, **d)

    def get_success_url(self, rule):
        return reverse("meetings:rule_detail", args=[rule.pk])


rule_create = RuleCreateView.as_view()


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
