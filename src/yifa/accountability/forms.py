from django import forms

from yifa.orgs.models import Organization

from .models import (AssessmentGrade, Circumstance, ExemptionReason, FaultShare, Method, Outcome, OutcomeForm,
                     PersonRole, WrongCase)

DATE = forms.DateInput(attrs={"type": "date"})


def orgs_for(user):
    root = user.scope_root
    if root is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=root.path, is_active=True).order_by("path")


class ChallengeForm(forms.Form):
    org = forms.ModelChoiceField(label="被告/被申请人单位", queryset=None)
    case_number = forms.CharField(label="案号", max_length=80)
    claimant = forms.CharField(label="原告/申请人", max_length=200)
    third_parties = forms.CharField(label="第三人", max_length=300, required=False)
    challenged_act = forms.CharField(label="被诉/被申请行政行为", max_length=300)
    enforcement_case = forms.ModelChoiceField(label="关联执法案件（在本系统中时）", queryset=None, required=False)
    court_or_organ = forms.CharField(label="受理法院/复议机关", max_length=120)
    filed_on = forms.DateField(label="立案/受理日期", widget=DATE)
    served_on = forms.DateField(label="收到起诉状/申请书副本日期", widget=DATE, required=False)
    applied_on = forms.DateField(label="起诉/申请复议日期（不填按立案/受理日期）", widget=DATE, required=False)
    known_on = forms.DateField(label="原告/申请人知道或应当知道行政行为之日（用于判断是否超过起诉/申请期限）",
                               widget=DATE, required=False)
    remedy_notified = forms.BooleanField(label="行政行为已告知申请复议/起诉的权利和期限（未告知的，最长一年）",
                                         required=False, initial=True)
    reconsideration_decision_on = forms.DateField(label="收到复议决定书日期（经复议后起诉的，十五日内起诉）",
                                                  widget=DATE, required=False)
    simplified = forms.BooleanField(label="适用简易程序（答复期限五个工作日，三十日内作出复议决定）", required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != "reconsideration":
            del self.fields["simplified"]
        else:
            del self.fields["reconsideration_decision_on"]
        from yifa.enforcement.models import Case

        self.fields["org"].queryset = orgs_for(user)
        self.fields["enforcement_case"].queryset = Case.objects.visible_to(user).order_by("-filed_on")
        self.fields["enforcement_case"].label_from_instance = lambda c: f"{c.case_no} {c.title}（{c.party_name}）"
        self.fields["court_or_organ"].label = "受理法院" if kind == "litigation" else "复议机关"


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="结果", choices=[c for c in Outcome.choices if c[0] != "pending"])
    on = forms.DateField(label="裁判/决定日期", widget=DATE)
    number = forms.CharField(label="文书号", max_length=100, required=False)
    form = forms.ChoiceField(label="裁判形式", choices=OutcomeForm.choices, required=False)
    served_on = forms.DateField(label="裁判文书送达日期", widget=DATE, required=False)
    act_changed = forms.BooleanField(label="被告改变被诉行政行为后撤诉/撤回申请（隐性败诉）", required=False)


class AppealForm(forms.Form):
    on = forms.DateField(label="上诉日期", widget=DATE)
    appellant = forms.CharField(label="上诉人", max_length=200)


class SecondInstanceForm(forms.Form):
    outcome = forms.ChoiceField(label="二审结果", choices=[c for c in Outcome.choices if c[0] != "pending"])
    on = forms.DateField(label="二审裁判日期", widget=DATE)
    number = forms.CharField(label="二审文书号", max_length=100, required=False)


class FindingWrongCaseForm(forms.Form):
    finding = forms.ModelChoiceField(label="监督发现问题", queryset=None)
    confirm_major = forms.BooleanField(label="确认该问题属于监督发现的重大错案", required=False)
    on = forms.DateField(label="认定日期", widget=DATE, required=False)
    title = forms.CharField(label="错案名称", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from yifa.supervision.models import Finding

        self.fields["finding"].queryset = Finding.objects.visible_to(user).select_related("org")
        self.fields["finding"].label_from_instance = lambda f: f"{f.pk} {f.org.name}：{f.description[:40]}"


class ConfirmForm(forms.Form):
    fault_share = forms.ChoiceField(label="责任划分", choices=FaultShare.choices)
    reasons = forms.CharField(label="认定理由", widget=forms.Textarea(attrs={"rows": 2}))
    circumstance = forms.ModelChoiceField(label="问责情形", queryset=Circumstance.objects.filter(is_active=True),
                                          required=False)
    proposed_method = forms.ModelChoiceField(label="建议问责方式", queryset=Method.objects.all(), required=False)


class InvolvementForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=PersonRole.choices)
    name = forms.CharField(label="姓名", max_length=40)
    post = forms.CharField(label="职务", max_length=60, required=False)


class RecommendationForm(forms.Form):
    authority = forms.CharField(label="有权机关（主送）", max_length=120)
    feedback_due = forms.DateField(label="反馈期限", widget=DATE)
    on = forms.DateField(label="印发日期", widget=DATE, required=False)


class MethodChoiceField(forms.ModelChoiceField):
    """A method with its impact period, and whether that period is an unverified local default."""

    def label_from_instance(self, m):
        if m.impact_months is None:
            return m.name + ("（影响期由决定机关依其规定填写）" if m.custom_impact else "")
        note = "，本地默认值，未经核实" if m.impact_is_local_default else ("，预填，可依规另定" if m.impact_editable else "")
        return f"{m.name}（影响期{m.impact_months}个月{note}）"


class DecisionForm(forms.Form):
    person = forms.ModelChoiceField(label="被问责人", queryset=None)
    method = MethodChoiceField(label="问责方式", queryset=Method.objects.all())
    circumstance = forms.ModelChoiceField(label="问责情形", queryset=Circumstance.objects.filter(is_active=True),
                                          required=False)
    authority = forms.CharField(label="决定机关", max_length=120)
    decided_on = forms.DateField(label="决定日期（生效日期）", widget=DATE)
    doc_number = forms.CharField(label="决定文号", max_length=100)
    impact_until = forms.DateField(label="影响期至", widget=DATE, required=False,
                                   help_text="政务处分：警告6个月、记过12个月、记大过18个月、降级/撤职24个月（《政务处分法》第八条）；"
                                             "党纪处分：警告12个月、严重警告18个月（预填）；诫勉6个月、调整职务/责令辞职/免职12个月、"
                                             "降职24个月（本地默认值，未经核实）。留空即按预填期限")
    impact_basis = forms.CharField(label="影响期依据（另定影响期或党纪处分其他种类时填写）", max_length=300, required=False)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons


class ExemptionForm(forms.Form):
    reason = forms.ModelChoiceField(label="免责情形", queryset=ExemptionReason.objects.all())
    text = forms.CharField(label="免责说明", widget=forms.Textarea(attrs={"rows": 2}))


class MarkForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label="考核等次", choices=AssessmentGrade.choices)
    reason = forms.CharField(label="依据/理由", max_length=300)


class TitleLossForm(forms.Form):
    from_date = forms.DateField(label="起始日期", widget=DATE)
    until = forms.DateField(label="截止日期", widget=DATE)
    reason = forms.CharField(label="依据/理由", max_length=300)


class NoticeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", choices=[(i, f"第{i}季度") for i in range(1, 5)], coerce=int)
    typical_cases = forms.ModelMultipleChoiceField(label="典型案例（可多选）", queryset=None, required=False)
    requirements = forms.CharField(label="工作要求", widget=forms.Textarea(attrs={"rows": 4}))
    on = forms.DateField(label="印发日期", widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["typical_cases"].queryset = WrongCase.objects.visible_to(user).select_related("org")
        self.fields["typical_cases"].label_from_instance = lambda w: f"{w.opened_on:%Y-%m-%d} {w.org.name}：{w.title}"


class SessionForm(forms.Form):
    org = forms.ModelChoiceField(label="组织单位", queryset=None)
    kind = forms.ChoiceField(label="类型", choices=[("warning", "警示教育"), ("training", "专题培训")])
    title = forms.CharField(label="名称", max_length=200)
    held_on = forms.DateField(label="日期", widget=DATE)
    units = forms.ModelMultipleChoiceField(label="参加单位", queryset=None, required=False)
    attendance = forms.IntegerField(label="参加人次", min_value=1)
    wrong_cases = forms.ModelMultipleChoiceField(label="相关错案", queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs_for(user)
        self.fields["units"].queryset = orgs_for(user)
        self.fields["wrong_cases"].queryset = WrongCase.objects.visible_to(user)
        if user.org_id and not self.is_bound:
            self.initial.setdefault("org", user.org_id)
