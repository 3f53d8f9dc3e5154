from django import forms

from .models import FindingCategory, FindingSource, InspectionKind, LetterTier
from .selectors import target_orgs_for

DATE = forms.DateInput(attrs={"type": "date"})


def _sectors():
    from yifa.enforcement.models import Sector

    return Sector.objects.filter(is_active=True)


class InspectionForm(forms.Form):
    org = forms.ModelChoiceField(label="组织单位", queryset=None)
    kind = forms.ChoiceField(label="检查类型", choices=InspectionKind.choices)
    title = forms.CharField(label="检查名称", max_length=200)
    period_start = forms.DateField(label="检查开始日期", widget=DATE)
    period_end = forms.DateField(label="检查结束日期", widget=DATE)
    targets = forms.ModelMultipleChoiceField(label="检查对象单位", queryset=None, required=False)
    team = forms.CharField(label="检查组成员", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    plan = forms.CharField(label="检查方案", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    checklist = forms.CharField(label="检查清单（每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    joint_bodies = forms.CharField(label="联合检查单位", required=False, max_length=300,
                                   help_text="如：县纪委监委")
    sector = forms.ModelChoiceField(label="执法领域", queryset=None, required=False, empty_label="（不限领域）",
                                    help_text="点穴式监督的重点领域")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = target_orgs_for(user)
        self.fields["org"].queryset = orgs
        self.fields["targets"].queryset = orgs
        self.fields["sector"].queryset = _sectors()
        if user.org_id and not self.is_bound:
            self.initial.setdefault("org", user.org_id)


class FindingForm(forms.Form):
    org = forms.ModelChoiceField(label="被监督单位", queryset=None)
    category = forms.ChoiceField(label="问题类别", choices=FindingCategory.choices)
    source = forms.ChoiceField(label="监督来源", choices=FindingSource.choices, initial=FindingSource.ADMINISTRATIVE)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    on = forms.DateField(label="发现日期", widget=DATE, required=False)
    sector = forms.ModelChoiceField(label="执法领域", queryset=None, required=False, empty_label="（同监督检查）",
                                    help_text="留空则按所属监督检查的领域")

    def __init__(self, *args, user, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _sectors()
        qs = target_orgs_for(user)
        if inspection is not None and inspection.targets.exists():
            qs = qs.filter(pk__in=inspection.targets.values("pk"))
        self.fields["org"].queryset = qs


class CorrectForm(forms.Form):
    evidence = forms.CharField(label="整改情况及佐证", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    on = forms.DateField(label="整改完成日期", widget=DATE, required=False)


class LetterForm(forms.Form):
    tier = forms.ChoiceField(label="文书种类", choices=LetterTier.choices, initial=LetterTier.OPINION, required=False,
                             help_text="情节轻微的问题制发通知书；通知书整改不到位的再制发意见书")
    findings = forms.ModelMultipleChoiceField(label="所涉问题（同一被监督单位、待整改）", queryset=None,
                                              widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label="标题", max_length=200, required=False, help_text="留空则按被监督单位生成")
    requirements = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    on = forms.DateField(label="印发日期", widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Finding, FindingState

        self.fields["findings"].queryset = (Finding.objects.visible_to(user).filter(state=FindingState.OPEN)
                                            .select_related("org").order_by("org__path", "-raised_on"))
        self.fields["findings"].label_from_instance = lambda f: f"[{f.org.name}] {f.description[:60]}"


    def clean_tier(self):
        return self.cleaned_data.get("tier") or LetterTier.OPINION

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    content = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    evidence = forms.CharField(label="佐证材料说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=20000,
                               required=False)
    files = MultipleFileField(label="佐证文件（照片、扫描件、PDF、Word，可多选）", required=False,
                              widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx"}),
                              help_text="佐证材料说明和佐证文件至少提供一项")
    on = forms.DateField(label="报送日期", widget=DATE, required=False)


class NoticeForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, initial="关于行政执法监督发现问题的通报")
    findings = forms.ModelMultipleChoiceField(label="通报的问题", queryset=None, widget=forms.CheckboxSelectMultiple)
    period_start = forms.DateField(label="通报期间起", widget=DATE, required=False)
    period_end = forms.DateField(label="通报期间止", widget=DATE, required=False)
    body = forms.CharField(label="正文（留空则按所选问题生成草稿，生成后可修改）", required=False, max_length=50000,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Finding

        self.fields["findings"].queryset = Finding.objects.visible_to(user).select_related("org").order_by(
            "-raised_on", "-id")
        self.fields["findings"].label_from_instance = lambda f: f"[{f.org.name}] {f.description[:60]}"
