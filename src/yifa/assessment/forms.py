from django import forms

from yifa.core import clock
from yifa.orgs.models import Organization

from . import metrics
from .models import FormulaKind, IndicatorKind


class PeriodForm(forms.Form):
    org = forms.ModelChoiceField(label="组织考核单位", queryset=Organization.objects.none())
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100,
                              help_text="默认按自然年度（1月1日至12月31日）考核")
    name = forms.CharField(label="考核名称", max_length=120, required=False, help_text="留空自动生成")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        root = user.scope_root if user else None
        self.fields["org"].queryset = (Organization.objects.filter(path__startswith=root.path, kind__in=(
            "county", "city", "province", "department", "township")).order_by("path") if root else
            Organization.objects.none())
        self.fields["year"].initial = clock.today().year
        gov = root.government() if root else None
        if gov is not None and gov.path.startswith(root.path):
            self.fields["org"].initial = gov.pk


class ManualScoreForm(forms.Form):
    score = forms.DecimalField(label="得分", max_digits=7, decimal_places=2, min_value=0)
    evidence = forms.CharField(label="评分依据/佐证", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    attachment = forms.FileField(label="佐证附件", required=False)


class InterviewForm(forms.Form):
    org = forms.ModelChoiceField(label="被约谈单位（后三名）", queryset=Organization.objects.none())
    held_on = forms.DateField(label="约谈日期", widget=forms.DateInput(attrs={"type": "date"}))
    interviewers = forms.CharField(label="约谈人", max_length=200)
    unit_head = forms.CharField(label="被约谈单位负责人", max_length=60)
    summary = forms.CharField(label="约谈情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    follow_up = forms.CharField(label="整改跟进", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000,
                                required=False)
    follow_up_due = forms.DateField(label="跟进期限", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Organization.objects.none()


class IndicatorForm(forms.Form):
    category = forms.TypedChoiceField(label="一级指标", coerce=int)
    name = forms.CharField(label="二级指标名称", max_length=100)
    kind = forms.ChoiceField(label="计分方式", choices=IndicatorKind.choices)
    metric_code = forms.ChoiceField(label="平台指标", required=False)
    formula = forms.ChoiceField(label="计分公式", choices=FormulaKind.choices)
    target = forms.DecimalField(label="达标线（达标线性计分）", required=False, max_digits=5, decimal_places=4)
    floor = forms.DecimalField(label="零分线（达标线性计分）", required=False, max_digits=5, decimal_places=4)
    per_item = forms.DecimalField(label="每件扣分（按件扣分）", required=False, max_digits=6, decimal_places=2)
    empty = forms.ChoiceField(label="无相关记录时", choices=[("full", "得满分"), ("zero", "得 0 分")], required=False)
    description = forms.CharField(label="考核内容", max_length=300, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.name) for c in categories]
        self.fields["metric_code"].choices = [("", "—")] + metrics.choices()

    def params(self):
        d = self.cleaned_data
        out = {}
        for k in ("target", "floor", "per_item"):
            if d.get(k) is not None:
                out[k] = str(d[k])
        if d.get("empty"):
            out["empty"] = d["empty"]
        return out
