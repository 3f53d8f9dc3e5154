from django import forms

from .models import ComplaintCategory, ComplaintSource


class PublicComplaintForm(forms.Form):
    """Field shapes only; the service validates content (phone format, lengths, file type)."""

    subject_unit = forms.ModelChoiceField(label="被投诉单位", queryset=None, empty_label="请选择单位",
                                          error_messages={"required": "请选择被投诉单位",
                                                          "invalid_choice": "请选择列表中的单位"})
    category = forms.ChoiceField(label="投诉类别", choices=[("", "请选择类别"), *ComplaintCategory.choices],
                                 error_messages={"required": "请选择投诉类别", "invalid_choice": "请选择列表中的类别"})
    complainant_name = forms.CharField(label="姓名", max_length=50,
                                       error_messages={"required": "请填写姓名", "max_length": "姓名不能超过 50 字"})
    complainant_phone = forms.CharField(label="联系电话", max_length=20, help_text="用于核实和查询（查询时需输入后四位）",
                                        error_messages={"required": "请填写联系电话",
                                                        "max_length": "电话号码不能超过 20 位"})
    complainant_id_no = forms.CharField(label="身份证号码（选填）", max_length=18, required=False,
                                        error_messages={"max_length": "身份证号码应为 18 位"})
    content = forms.CharField(label="投诉举报内容", widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="请写明时间、地点、执法人员或事项及您的诉求",
                              error_messages={"required": "请填写投诉举报内容"})
    attachment = forms.FileField(label="附件（选填）", required=False,
                                 help_text="JPG、PNG 图片或 PDF 文件",
                                 error_messages={"invalid": "附件无法读取", "empty": "附件是空文件"})

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_unit"].queryset = units


class StaffComplaintForm(PublicComplaintForm):
    source = forms.ChoiceField(label="来源", choices=ComplaintSource.choices)
    hotline_ticket = forms.CharField(label="12345工单号", max_length=40, required=False,
                                     help_text="来源为 12345 热线时必填；同一工单号重复录入不会重复登记")
    on = forms.DateField(label="接收日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["source", "hotline_ticket", "on", "subject_unit", "category", "complainant_name",
                   "complainant_phone", "complainant_id_no", "content", "attachment"]


class DateForm(forms.Form):
    """The date of an act on the complaint's page (转办/答复/办结/不予受理 …); empty: today."""

    on = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         error_messages={"invalid": "日期格式不正确"})


class QueryForm(forms.Form):
    query_code = forms.CharField(label="查询码", max_length=20, error_messages={"required": "请输入查询码"})
    phone_last4 = forms.CharField(label="联系电话后四位", min_length=4, max_length=4,
                                  error_messages={"required": "请输入联系电话后四位",
                                                  "min_length": "请输入 4 位数字", "max_length": "请输入 4 位数字"})
