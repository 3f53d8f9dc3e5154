from django import forms

from yifa.orgs.models import Organization, User


def _units(user):
    root = user.scope_root
    return Organization.objects.filter(path__startswith=root.path, is_active=True).order_by("path") if root else \
        Organization.objects.none()


class MeetingForm(forms.Form):
    org = forms.ModelChoiceField(label="召集单位", queryset=Organization.objects.none())
    title = forms.CharField(label="会议名称", max_length=200)
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label="地点", max_length=200, required=False)
    participants = forms.ModelMultipleChoiceField(label="参会单位", queryset=Organization.objects.none(),
                                                  required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    topics = forms.CharField(label="议题", widget=forms.Textarea(attrs={"rows": 4}), help_text="每行一项")
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = _units(user)
        self.fields["org"].queryset = units
        self.fields["participants"].queryset = units
        if user is not None and not self.is_bound:
            self.fields["org"].initial = user.org_id


class ActionItemForm(forms.Form):
    org = forms.ModelChoiceField(label="责任单位", queryset=Organization.objects.none())
    title = forms.CharField(label="议定事项", max_length=300)
    due = forms.DateField(label="完成期限", widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ModelChoiceField(label="责任人（选填）", queryset=User.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = _units(user)
        self.fields["org"].queryset = units
        root = user.scope_root
        self.fields["owner"].queryset = (User.objects.filter(org__path__startswith=root.path, is_active=True)
                                         .order_by("display_name") if root else User.objects.none())


class AdoptedRuleForm(forms.Form):
    org = forms.ModelChoiceField(label="制定单位", queryset=Organization.objects.none())
    title = forms.CharField(label="制度名称", max_length=200)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    adopted_on = forms.DateField(label="印发日期", widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label="制度内容", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    attachment = forms.FileField(label="制度文件（PDF/DOCX，选填）", required=False)
    finding = forms.IntegerField(label="起因监督问题编号（选填）", required=False, min_value=1)
    case = forms.CharField(label="起因案件编号（选填）", max_length=100, required=False)
    cause = forms.CharField(label="起因说明", max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _units(user)
