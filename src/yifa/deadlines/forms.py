from django import forms

from yifa.orgs.models import Organization

from .models import DeadlineRule, HolidayKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CalculatorForm(forms.Form):
    rule = RuleChoiceField(label="期限规则", queryset=DeadlineRule.objects.order_by("code"),
                           to_field_name="code", empty_label="请选择规则")
    start = forms.DateField(label="起算日", widget=DateInput(), help_text="起算日当日不计入，从次日开始计算。",
                            error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})
    org = forms.ModelChoiceField(label="单位（可选）", queryset=Organization.objects.none(), required=False,
                                 help_text="选择单位后，适用该单位或其上级单位的特别规定。")
    strict = forms.BooleanField(label="严格模式", required=False,
                                help_text="勾选后，期限跨入尚未录入放假安排的年度时不给出暂定日期，而是提示缺少的年度。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.visible_to(user).order_by("path")


class HolidayDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput())
    kind = forms.ChoiceField(label="类型", choices=HolidayKind.choices)
    name = forms.CharField(label="名称", max_length=100, help_text="如 国庆节、春节调休上班、本地民族节日名称")
    source = forms.CharField(label="来源", max_length=200, initial="本地",
                             help_text="如 国务院办公厅通知 国办发明电〔2026〕x号")
    complete_year = forms.BooleanField(label="该年份数据已录入完整", required=False)
    confirm_no_makeup = forms.BooleanField(label="确认该年度没有调休上班日", required=False,
                                           help_text="仅在系统提示该年度没有调休上班日时勾选。")


class HolidayImportForm(forms.Form):
    file = forms.FileField(label="CSV 文件", required=False, help_text="每行：日期,类型,名称[,来源]；类型为 holiday（休）或 makeup_workday（班）")
    text = forms.CharField(label="或直接粘贴", widget=forms.Textarea(attrs={"rows": 8}), required=False,
                           help_text="例：2027-01-01,holiday,元旦")
    source = forms.CharField(label="来源", max_length=200, required=False,
                             help_text="未在行内注明来源时使用，如 国务院办公厅通知 国办发明电〔2026〕x号")
    complete = forms.BooleanField(label="导入后标记这些年份已录入完整", required=False,
                                  help_text="标记完整后，所有等待该年度的暂定期限将重新计算，届满日变化的通知承办人。")
    confirm_no_makeup = forms.BooleanField(label="确认该年度没有调休上班日", required=False,
                                           help_text="仅在系统提示该年度没有调休上班日时勾选。")

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("文件须为 UTF-8 编码的 CSV。") from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传文件或粘贴数据。")
        return data


class OverrideForm(forms.Form):
    rule = RuleChoiceField(label="期限规则", queryset=DeadlineRule.objects.order_by("code"), to_field_name="code")
    org = forms.ModelChoiceField(label="适用单位", queryset=Organization.objects.none(),
                                 help_text="对该单位及其下级单位适用")
    n = forms.IntegerField(label="期限", min_value=1)
    basis = forms.CharField(label="依据", max_length=300, help_text="如 市场监督管理行政处罚信息公示规定 第九条")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.visible_to(user).order_by("path")


class TrackedActionForm(forms.Form):
    on = forms.DateField(label="日期", widget=DateInput())
    reason = forms.CharField(label="事由", max_length=300, required=False)
