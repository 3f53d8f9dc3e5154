"""Field shapes of the foia pages; the services validate the law (dates, reasons, moves)."""

from django import forms

from .models import ReplyType, RequestChannel, RequesterKind

DATE = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"invalid": "日期格式不正确", "required": "请填写日期"}


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RegisterForm(forms.Form):
    org = forms.ModelChoiceField(label="受理机关", queryset=None, empty_label="请选择受理机关",
                                 error_messages={"required": "请选择受理机关", "invalid_choice": "请选择列表中的单位"})
    channel = forms.ChoiceField(label="申请方式", choices=[("", "请选择申请方式"), *RequestChannel.choices],
                                error_messages={"required": "请选择申请方式"})
    received_on = forms.DateField(label="收到申请日期", required=False, widget=DATE, error_messages=DATE_ERRORS,
                                  help_text="当面提交的为提交之日；邮寄的为签收之日；网络、传真提交的为双方确认之日"
                                            "（《政府信息公开条例》第三十一条）。留空为今天。")
    requester_kind = forms.ChoiceField(label="申请人类型", choices=[("", "请选择申请人类型"), *RequesterKind.choices],
                                       error_messages={"required": "请选择申请人类型"})
    requester_name = forms.CharField(label="申请人姓名或名称", max_length=100,
                                     error_messages={"required": "请填写申请人", "max_length": "不能超过 100 字"})
    requester_phone = forms.CharField(label="联系电话", max_length=20,
                                      error_messages={"required": "请填写联系电话", "max_length": "不能超过 20 位"})
    requester_address = forms.CharField(label="通信地址", max_length=200, required=False)
    content = forms.CharField(label="申请公开的政府信息", widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="名称、文号或者便于查询的其他特征性描述",
                              error_messages={"required": "请写明申请公开的政府信息"})

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units


class CorrectionRequestForm(_Versioned):
    what = forms.CharField(label="需补正的事项", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请写明需要补正的事项"})
    correction_due = forms.DateField(label="补正期限", widget=DATE, error_messages=DATE_ERRORS,
                                     help_text="申请人应在此日期前补正，逾期未补正的视为放弃申请")
    on = forms.DateField(label="告知补正日期", required=False, widget=DATE, error_messages=DATE_ERRORS,
                         help_text="应自收到申请之日起 7 个工作日内一次性告知（第三十条）。留空为今天。")


class DateOnlyForm(_Versioned):
    on = forms.DateField(label="日期", required=False, widget=DATE, error_messages=DATE_ERRORS,
                         help_text="留空为今天")


class ConsultForm(_Versioned):
    third_party = forms.CharField(label="第三方", max_length=100, error_messages={"required": "请填写第三方"})
    on = forms.DateField(label="书面征求意见日期", required=False, widget=DATE, error_messages=DATE_ERRORS,
                         help_text="第三方应自收到征求意见书之日起 15 个工作日内提出意见；征求意见所需时间不计算在答复期限内"
                                   "（第三十二条、第三十三条）。留空为今天。")


class OpinionForm(_Versioned):
    opinion = forms.CharField(label="第三方意见", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "请填写第三方意见"})
    on = forms.DateField(label="收到第三方意见日期", required=False, widget=DATE, error_messages=DATE_ERRORS,
                         help_text="留空为今天")


class LapsedForm(_Versioned):
    pass


class ExtendForm(_Versioned):
    approver = forms.ModelChoiceField(label="批准人（政府信息公开工作机构负责人）", queryset=None,
                                      empty_label="请选择批准人",
                                      error_messages={"required": "请选择批准人", "invalid_choice": "请选择列表中的人员"})
    reason = forms.CharField(label="延长理由", max_length=300, error_messages={"required": "请填写延长理由"},
                             help_text="延长期限最长不超过 20 个工作日，并应告知申请人（第三十三条第二款）")
    on = forms.DateField(label="延长日期", required=False, widget=DATE, error_messages=DATE_ERRORS,
                         help_text="留空为今天")

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers
        self.fields["approver"].label_from_instance = lambda u: f"{u.display_name}（{u.org.name}）"


class ReplyForm(_Versioned):
    reply_type = forms.ChoiceField(label="答复类型", choices=[("", "请选择答复类型"), *ReplyType.choices],
                                   error_messages={"required": "请选择答复类型"},
                                   help_text="《政府信息公开条例》第三十六条")
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "请填写答复内容"})
    basis = forms.CharField(label="理由和依据", max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="不予公开、部分公开的须说明理由和依据")
    on = forms.DateField(label="答复日期", required=False, widget=DATE, error_messages=DATE_ERRORS,
                         help_text="留空为今天")
