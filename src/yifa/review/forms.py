from django import forms

from yifa.orgs.models import Organization

from .models import (Adoption, AdvisorStatus, AdvisorType, Conclusion, EvaluationGrade, ItemType, LegalAdvisor)

DATE = forms.DateInput(attrs={"type": "date"})


class ItemForm(forms.Form):
    org = forms.ModelChoiceField(label="报送单位", queryset=Organization.objects.none())
    title = forms.CharField(label="事项名称", max_length=200)
    item_type = forms.ChoiceField(label="类型", choices=ItemType.choices)
    specialty = forms.CharField(label="涉及领域", max_length=40, required=False, help_text="如 市场监管、城市管理，用于选择专家律师")
    draft_file = forms.FileField(label="送审稿文件（docx/pdf）", required=False,
                                 help_text="按文件内容校验格式；上传 docx 时可自动提取文本")
    draft_text = forms.CharField(label="送审稿文本", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    drafting_explanation = forms.CharField(label="起草说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    legal_basis = forms.CharField(label="制定依据", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    public_participation = forms.CharField(label="公众参与（征求意见）情况", widget=forms.Textarea(attrs={"rows": 2}),
                                           required=False)
    comment_start = forms.DateField(label="征求意见开始日", required=False, widget=DATE)
    comment_end = forms.DateField(label="征求意见截止日", required=False, widget=DATE)
    expert_argumentation = forms.CharField(label="专家论证意见（重大行政决策）", widget=forms.Textarea(attrs={"rows": 2}),
                                           required=False)
    risk_assessment = forms.CharField(label="风险评估报告（重大行政决策）", widget=forms.Textarea(attrs={"rows": 2}),
                                      required=False)
    counterparty = forms.CharField(label="协议相对人（行政协议）", max_length=100, required=False)
    needed_by = forms.DateField(label="拟提请审议/印发日期（重大行政决策）", required=False, widget=DATE,
                                help_text="送审时应为合法性审查留出不少于七个工作日（《重大行政决策程序暂行条例》第二十六条）")
    urgent_reason = forms.CharField(label="审查时间不足七个工作日的理由", max_length=300, required=False)

    def __init__(self, *args, user, resubmit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.visible_to(user).order_by("path")
        self.fields["org"].initial = user.scope_root
        if resubmit:
            del self.fields["org"]


class OpinionForm(forms.Form):
    authority = forms.CharField(label="主体权限", widget=forms.Textarea(attrs={"rows": 2}))
    procedure = forms.CharField(label="程序", widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.ChoiceField(label="结论", choices=Conclusion.choices)
    short_reason = forms.CharField(label="提前完成理由（重大行政决策不足法定最短审查时间时填写）", required=False,
                                   max_length=300)


class AdvisorForm(forms.Form):
    org = forms.ModelChoiceField(label="服务单位", queryset=Organization.objects.none())
    name = forms.CharField(label="姓名", max_length=40)
    advisor_type = forms.ChoiceField(label="类型", choices=AdvisorType.choices)
    firm = forms.CharField(label="律师事务所/院校", max_length=100, required=False)
    license_no = forms.CharField(label="执业证号", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    specialties = forms.CharField(label="专业领域", max_length=200, required=False, help_text="多个领域用“、”分隔")
    county_team = forms.BooleanField(label="县政府法律顾问团成员", required=False)
    contract_start = forms.DateField(label="聘期开始", required=False, widget=DATE)
    contract_end = forms.DateField(label="聘期结束", required=False, widget=DATE)
    status = forms.ChoiceField(label="状态", choices=AdvisorStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import county_root

        self.fields["org"].queryset = Organization.objects.filter(path__startswith=county_root(user).path)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", help_text="表头：姓名、类型、律师事务所/院校、执业证号、联系电话、专业领域、"
                                                           "服务单位代码、县顾问团、聘期开始、聘期结束、状态")


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    score = forms.DecimalField(label="得分", min_value=0, max_value=100, decimal_places=1)
    grade = forms.ChoiceField(label="等次", choices=EvaluationGrade.choices)
    renew = forms.BooleanField(label="建议续聘", required=False, initial=True)
    comment = forms.CharField(label="评价意见", max_length=300, required=False)


class DutyForm(forms.Form):
    advisor = forms.ModelChoiceField(label="坐班律师", queryset=LegalAdvisor.objects.none())
    date = forms.DateField(label="坐班日期", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = LegalAdvisor.objects.visible_to(user).filter(
            status=AdvisorStatus.ACTIVE, user__isnull=False).order_by("name")


ADOPTION_CHOICES = [("", "—")] + list(Adoption.choices)
