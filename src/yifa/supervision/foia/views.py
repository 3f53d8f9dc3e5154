"""Pages of the foia app: the register (list with filters, search, Excel), one request
with its deadlines and history, and one form per step the law provides."""

from django.urls import reverse

from yifa.core import clock
from yifa.core.viewkit import ScopedDetailView, ScopedListView, ServiceFormView
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.deadlines.words import due_text

from . import selectors, services
from .filters import InfoRequestFilter
from .forms import (ConsultForm, CorrectionRequestForm, DateOnlyForm, ExtendForm, LapsedForm, OpinionForm,
                    RegisterForm, ReplyForm)
from .models import THIRD_PARTY_RULE, InfoRequest, RequestState
from .tables import InfoRequestTable
from .workflows import INFO_REQUEST


class InfoRequestListView(ScopedListView):
    title = "政府信息公开申请"
    table_class = InfoRequestTable
    filterset_class = InfoRequestFilter
    create_url_name = "foia:create"
    template_name = "foia/list.html"

    def can_create(self):
        return services.can_handle(self.request.user)

    def get_base_queryset(self):
        return selectors.requests_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = clock.today()
        ctx.update(stats=selectors.summary(self.request.user, today.replace(month=1, day=1), today, today),
                   year=today.year)
        return ctx


list_view = InfoRequestListView.as_view()


def next_steps(obj, user, today) -> list[dict]:
    """The steps the law allows now and this person may take: [{"op", "label", "url"}]."""
    if not services.can_handle(user, obj.org):
        return []
    out = []
    for t in INFO_REQUEST.available(obj, user):
        if t.action == "withdraw" and obj.correction_due and today <= obj.correction_due:
            continue  # the requester still has time to correct
        if t.action == "extend" and obj.extended:
            continue
        if t.action == "opinion_lapsed":
            d = deadlines_for_owner(obj).filter(rule__code=THIRD_PARTY_RULE, state__in=("open", "extended")).first()
            if d is None or today <= d.due:
                continue
        out.append({"op": t.action, "label": t.label, "url": reverse(f"foia:{t.action}", args=[obj.pk])})
    return out


class InfoRequestDetailView(ScopedDetailView):
    """The only page that shows the requester's full name and phone (to users in scope)."""

    model = InfoRequest
    template_name = "foia/detail.html"
    select_related = ("org", "replied_by", "created_by")

    def history_related(self, obj):
        return list(deadlines_for_owner(obj))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, today = ctx["object"], clock.today()
        ctx.update(deadlines=deadlines_for_owner(obj).select_related("rule"), steps=next_steps(obj, self.request.user, today),
                   today=today, overdue=obj.state in (RequestState.REGISTERED, RequestState.CORRECTED)
                   and obj.due is not None and obj.due < today, title=str(obj))
        return ctx


detail = InfoRequestDetailView.as_view()


class InfoRequestCreate(ServiceFormView):
    form_class = RegisterForm
    form_takes_user = False
    title = "登记政府信息公开申请"
    submit_label = "登记"
    cancel_url_name = "foia:list"
    permission_denied_message = "只有本单位的法制员或执法人员可以登记政府信息公开申请。"

    def has_permission(self):
        return services.can_handle(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": selectors.units_in_scope(self.request.user)}

    def perform(self, form):
        return services.register_request(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return f"已登记 {result.org.name}{result.number}，答复期限至 {due_text(result)}。"

    def get_success_url(self, result):
        return reverse("foia:detail", args=[result.pk])


create = InfoRequestCreate.as_view()


class StepView(ServiceFormView):
    """One step on a request: the unit's own staff only; the service checks the move."""

    model = InfoRequest
    form_takes_user = False
    action = ""
    permission_denied_message = "政府信息公开申请由受理机关的法制员或执法人员办理。"

    def has_permission(self):
        return services.can_handle(self.request.user, self.object.org)

    def get_title(self):
        return f"{INFO_REQUEST.action_label(self.action)}：{self.object.org.name}{self.object.number}"

    def get_initial(self):
        return {"version": self.object.version}

    def get_cancel_url(self):
        return reverse("foia:detail", args=[self.object.pk])

    def get_success_url(self, result):
        return reverse("foia:detail", args=[result.pk])

    def get_submit_label(self):
        return INFO_REQUEST.action_label(self.action)

    def get_context_data(self, form):
        return {**super().get_context_data(form), "submit_label": self.get_submit_label()}

    def call(self, fn, form, **extra):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return fn(actor=self.request.user, info_request=self.object, expected_version=form.cleaned_data.get("version"),
                  **data, **extra)


class RequestCorrection(StepView):
    form_class = CorrectionRequestForm
    action = "request_correction"
    success_message = "已告知申请人补正；答复期限自收到补正申请之日起重新计算。"

    def perform(self, form):
        return self.call(services.request_correction, form)


class RecordCorrection(StepView):
    form_class = DateOnlyForm
    action = "record_correction"

    def perform(self, form):
        return self.call(services.record_correction, form)

    def get_success_message(self, result):
        return f"已收到补正申请，答复期限至 {due_text(result)}。"


class Withdraw(StepView):
    form_class = DateOnlyForm
    action = "withdraw"
    confirm = "申请将视为放弃，登记随即终结，不能再答复。"
    success_message = "申请人逾期未补正，已视为放弃申请。"

    def perform(self, form):
        return self.call(services.withdraw, form)


class Consult(StepView):
    form_class = ConsultForm
    action = "consult"
    success_message = "已书面征求第三方意见，答复期限暂停计算。"

    def perform(self, form):
        return self.call(services.consult, form)


class RecordOpinion(StepView):
    form_class = OpinionForm
    action = "record_opinion"

    def perform(self, form):
        return self.call(services.record_opinion, form)

    def get_success_message(self, result):
        return f"已记录第三方意见，答复期限恢复计算，至 {due_text(result)}。"


class OpinionLapsed(StepView):
    form_class = LapsedForm
    action = "opinion_lapsed"

    def perform(self, form):
        return self.call(services.opinion_lapsed, form)

    def get_success_message(self, result):
        return f"第三方逾期未提出意见，答复期限恢复计算，至 {due_text(result)}。"


class Extend(StepView):
    form_class = ExtendForm
    action = "extend"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "approvers": selectors.approvers_for(self.object).select_related("org")}

    def perform(self, form):
        return self.call(services.extend, form)

    def get_success_message(self, result):
        return f"答复期限已延长，至 {due_text(result)}；请告知申请人。"


class Reply(StepView):
    form_class = ReplyForm
    action = "reply"

    def perform(self, form):
        return self.call(services.reply, form)

    def get_success_message(self, result):
        late = "（已超过答复期限）" if result.on_time is False else ""
        return f"已答复申请人{late}。"


STEP_VIEWS = {v.action: v for v in (RequestCorrection, RecordCorrection, Withdraw, Consult, RecordOpinion,
                                     OpinionLapsed, Extend, Reply)}
