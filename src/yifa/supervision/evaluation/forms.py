from django import forms

from .checks import CHECK_CHOICES
from .models import Category, QuotaKind, ScoringSheet
from .selectors import evaluator_candidates, target_orgs_for

DATE = forms.DateInput(attrs={"type": "date"})


class CampaignForm(forms.Form):
    org = forms.ModelChoiceField(label="组织单位", queryset=None)
    title = forms.CharField(label="活动名称", max_length=200)
    period_start = forms.DateField(label="结案日期起", widget=DATE)
    period_end = forms.DateField(label="结案日期止", widget=DATE)
    sheet = forms.ModelChoiceField(label="评查标准", queryset=ScoringSheet.objects.filter(is_active=True))
    targets = forms.ModelMultipleChoiceField(label="被评查单位", queryset=None,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    quota_kind = forms.ChoiceField(label="抽取方式", choices=QuotaKind.choices,
                                   help_text="对每个被评查单位适用；创建后可在详情页逐个单位调整")
    quota_value = forms.DecimalField(label="每单位抽取件数 / 比例（%）", min_value=0, max_value=10000,
                                     decimal_places=2)
    evaluators = forms.ModelMultipleChoiceField(label="评查人员", queryset=None, required=False,
                                                widget=forms.SelectMultiple(attrs={"size": 6}))
    description = forms.CharField(label="评查方案", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = target_orgs_for(user)
        self.fields["org"].queryset = orgs
        self.fields["targets"].queryset = orgs
        self.fields["evaluators"].queryset = evaluator_candidates(user)
        self.fields["evaluators"].label_from_instance = lambda u: f"{u.display_name}（{u.org.name}）"
        if not self.is_bound:
            self.initial.setdefault("org", user.org_id)
            self.initial.setdefault("quota_kind", QuotaKind.COUNT)
            sheet = ScoringSheet.objects.filter(is_active=True).order_by("-is_local_default", "name").first()
            if sheet:
                self.initial.setdefault("sheet", sheet.pk)


class NoticeDateForm(forms.Form):
    on = forms.DateField(label="成文日期", required=False, widget=DATE, error_messages={"invalid": "日期格式不正确"})


class SheetForm(forms.Form):
    name = forms.CharField(label="标准名称", max_length=120)
    excellent_min = forms.DecimalField(label="优秀最低分", min_value=0, max_value=100, decimal_places=1, initial=90)
    pass_min = forms.DecimalField(label="合格最低分", min_value=0, max_value=100, decimal_places=1, initial=70)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    copy_from = forms.ModelChoiceField(label="复制评查项目自", queryset=ScoringSheet.objects.all(), required=False)


class ItemForm(forms.Form):
    code = forms.CharField(label="编号", max_length=12)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    text = forms.CharField(label="评查内容", max_length=300)
    max_points = forms.DecimalField(label="最高扣分", min_value=0, max_value=100, decimal_places=1, required=False)
    is_veto = forms.BooleanField(label="否决项", required=False)
    check_code = forms.ChoiceField(label="客观项自动检查", choices=CHECK_CHOICES, required=False)
