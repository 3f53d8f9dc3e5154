from django import forms

from yifa.core import clock
from yifa.orgs.models import Organization, OrgKind

from .models import (Case, CaseType, CircumstanceLevel, EnforcementBody, EnforcementItem, Officer, PartyKind,
                     Procedure, RecordKind, ReviewResult, Sanction)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CASE_UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)


def visible_units(user, kinds=CASE_UNIT_KINDS):
    return Organization.objects.visible_to(user).filter(kind__in=kinds).order_by("path")


class _OrgForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible_units(user)
        for name, f in self.fields.items():
            if isinstance(f.widget, forms.DateInput):
                f.widget = DATE


class BodyForm(_OrgForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EnforcementBody
        fields = ["org", "name", "kind", "legal_basis", "is_active"]


class OfficerForm(_OrgForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Officer
        fields = ["org", "name", "certificate_no", "valid_from", "valid_to", "status"]
        widgets = {"valid_from": DATE, "valid_to": DATE}


class ItemForm(_OrgForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    benchmarks = forms.CharField(
        label="裁量基准", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一条：情节代码(minor/general/serious/grave),下限,上限,情形描述。例如：general,2000,10000,首次违法")

    class Meta:
        model = EnforcementItem
        fields = ["org", "code", "name", "category", "legal_basis", "sector", "is_active"]

    def clean_benchmarks(self):
        from decimal import Decimal, InvalidOperation

        rows = []
        for i, line in enumerate((self.cleaned_data.get("benchmarks") or "").splitlines(), start=1):
            if not line.strip():
                continue
            cells = [c.strip() for c in line.split(",", 3)]
            if len(cells) < 3 or cells[0] not in CircumstanceLevel.values:
                raise forms.ValidationError(f"第 {i} 行格式错误")
            try:
                lo, hi = Decimal(cells[1]), Decimal(cells[2])
            except InvalidOperation as exc:
                raise forms.ValidationError(f"第 {i} 行金额格式错误") from exc
            rows.append({"level": cells[0], "min_amount": lo, "max_amount": hi,
                         "circumstance": cells[3] if len(cells) > 3 else ""})
        return rows


class CaseForm(forms.ModelForm):
    officers = forms.ModelMultipleChoiceField(label="执法人员", queryset=Officer.objects.none(), required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 6}),
                                              help_text="至少两名持有效执法证的人员")

    class Meta:
        model = Case
        fields = ["org", "case_type", "procedure", "item", "filed_on", "act_on", "discovered_on",
                  "limitation_five_years", "title", "party_name", "party_kind",
                  "party_id_no", "party_phone", "party_address", "facts", "sanction", "amount", "circumstance",
                  "discretion_reason", "major_public_interest", "officers"]
        widgets = {"filed_on": DATE, "act_on": DATE, "discovered_on": DATE, "facts": forms.Textarea(attrs={"rows": 3}),
                   "discretion_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible_units(user)
        self.fields["item"].queryset = EnforcementItem.objects.visible_to(user).filter(is_active=True)
        self.fields["officers"].queryset = Officer.objects.visible_to(user).order_by("org__path", "name")
        self.fields["filed_on"].initial = clock.today()
        if self.fields["org"].queryset.count() == 1:
            self.fields["org"].initial = self.fields["org"].queryset.first()


class CaseEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    officers = forms.ModelMultipleChoiceField(label="执法人员", queryset=Officer.objects.none(), required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 6}))

    class Meta:
        model = Case
        fields = ["title", "party_name", "party_kind", "party_id_no", "party_phone", "party_address", "facts",
                  "sanction", "amount", "circumstance", "discretion_reason", "major_public_interest",
                  "rights_waived", "rest_day_reason", "officers"]
        widgets = {"facts": forms.Textarea(attrs={"rows": 3}), "discretion_reason": forms.Textarea(attrs={"rows": 2}),
                   "rest_day_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = Officer.objects.visible_to(user).order_by("org__path", "name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE, required=False)
    reason = forms.CharField(label="说明/理由", required=False)
    hearing_on = forms.DateField(label="听证举行日期", widget=DATE, required=False)
    remedy_end_on = forms.DateField(label="复议、诉讼期限届满日", widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    PAYLOAD_FIELDS = ("hearing_on", "remedy_end_on")

    def payload(self) -> dict | None:
        """The dates some steps need besides their own (听证举行日期, 复议诉讼期限届满日)."""
        got = {k: self.cleaned_data[k] for k in self.PAYLOAD_FIELDS if self.cleaned_data.get(k)}
        return got or None


class LegalReviewForm(forms.Form):
    result = forms.ChoiceField(label="审核结论", choices=[(ReviewResult.PASSED, "同意"), (ReviewResult.REJECTED, "不同意")])
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label="审核日期", widget=DATE, required=False)


class RecordForm(forms.Form):
    file = forms.FileField(label="文件")
    kind = forms.ChoiceField(label="类型", choices=[("", "按内容识别")] + list(RecordKind.choices), required=False)
    description = forms.CharField(label="说明", required=False)


class ImportForm(forms.Form):
    KINDS = [("cases", "执法案件"), ("officers", "执法人员"), ("items", "执法事项"), ("bodies", "执法主体")]
    kind = forms.ChoiceField(label="数据类型", choices=KINDS)
    source_system = forms.CharField(label="来源系统", initial="excel", max_length=40)
    file = forms.FileField(label="文件（.xlsx 或 .csv）")


__all__ = ["BodyForm", "OfficerForm", "ItemForm", "CaseForm", "CaseEditForm", "TransitionForm", "LegalReviewForm",
           "RecordForm", "ImportForm", "CaseType", "Procedure", "PartyKind", "Sanction"]


class PriorDisclosureForm(forms.Form):
    """事前公开: what the unit has published (its items, their bases, its procedures), when and where."""

    org = forms.ModelChoiceField(label="执法单位", queryset=Organization.objects.none())
    published_on = forms.DateField(label="公开日期", widget=DATE)
    items = forms.BooleanField(label="已公开执法事项（权责清单）", required=False)
    bases = forms.BooleanField(label="已公开执法依据", required=False)
    procedures = forms.BooleanField(label="已公开执法程序（流程图、办事指南）", required=False)
    url = forms.CharField(label="公开网址或位置", max_length=300, required=False,
                          help_text="如 政府门户网站“行政执法公示”专栏的网址，或公示栏所在位置")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible_units(user)


class DisclosureChangeForm(forms.Form):
    """A change of the unit's enforcement items, bases or procedures, to be published."""

    org = forms.ModelChoiceField(label="执法单位", queryset=Organization.objects.none())
    changed_on = forms.DateField(label="变更日期", widget=DATE,
                                 help_text="法律法规规章立改废释、权责清单调整或机构职能变化之日；自次日起算二十个工作日内更新公开")
    items = forms.BooleanField(label="执法事项（权责清单）变更", required=False)
    bases = forms.BooleanField(label="执法依据变更", required=False)
    procedures = forms.BooleanField(label="执法程序（流程图、办事指南）变更", required=False)
    description = forms.CharField(label="变更内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible_units(user)
