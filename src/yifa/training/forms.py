from django import forms

from .models import AttendanceStatus, TrainingKind
from .selectors import orgs_for

DATE = forms.DateInput(attrs={"type": "date"})


class TrainingForm(forms.Form):
    org = forms.ModelChoiceField(label="组织单位", queryset=None)
    title = forms.CharField(label="培训名称", max_length=200)
    kind = forms.ChoiceField(label="培训类型", choices=TrainingKind.choices)
    held_on = forms.DateField(label="培训日期", widget=DATE)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=0)
    location = forms.CharField(label="地点", max_length=200, required=False)
    trainer = forms.CharField(label="授课人", max_length=100, required=False)
    targets = forms.ModelMultipleChoiceField(label="参训单位", queryset=None, required=False)
    description = forms.CharField(label="培训内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = orgs_for(user)
        self.fields["org"].queryset = orgs
        self.fields["targets"].queryset = orgs
        if user.org_id and not self.is_bound:
            self.initial.setdefault("org", user.org_id)


class TrainingEditForm(TrainingForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="出勤表（.xlsx 或 .csv）")


class RequirementForm(forms.Form):
    org = forms.ModelChoiceField(label="适用单位（含下级）", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    hours = forms.DecimalField(label="年度应修学时", max_digits=5, decimal_places=1, min_value=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs_for(user)
        if not self.is_bound and user.scope_root is not None:
            self.initial.setdefault("org", user.scope_root.pk)


STATUS_CHOICES = AttendanceStatus.choices
