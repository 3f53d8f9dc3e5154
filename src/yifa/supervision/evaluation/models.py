"""案卷评查 (case-file evaluation): scoring sheets as data, campaigns that sample closed
enforcement cases with per-unit quotas and a recorded seed, the sampled files (评查案卷)
with their deductions (the per-file problem list) and the objective items pre-filled
from case data as suggestions.

A campaign belongs to (org=) the organising unit; a file belongs to (org=) the target
unit it was sampled for, so that unit sees its own evaluated files and its supervisors see
them through their scope. The campaign's evaluators see the campaign and its files even
when they work in another unit (a department's legal officer on a county team)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from yifa.core.scoping import ScopedManager, ScopedQuerySet
from yifa.documents.types import NumberedBy
from yifa.orgs.models import Organization

FULL_SCORE = Decimal("100")


class Category(models.TextChoices):
    FILING = "filing", "立卷"
    SUBSTANCE = "substance", "实体"
    PROCEDURE = "procedure", "程序"
    DOCUMENT = "document", "文书"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class ScoringSheet(models.Model):
    """评查标准: items by category, veto items and grade thresholds — data, not code."""

    name = models.CharField("名称", max_length=120, unique=True)
    description = models.TextField("说明", blank=True)
    excellent_min = models.DecimalField("优秀最低分", max_digits=5, decimal_places=1, default=Decimal("90"))
    pass_min = models.DecimalField("合格最低分", max_digits=5, decimal_places=1, default=Decimal("70"))
    is_local_default = models.BooleanField("本地默认标准（未经核实，可修改）", default=False)
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    global_reference = True  # the county's standard: the same for everyone

    class Meta:
        verbose_name = "案卷评查标准"
        verbose_name_plural = "案卷评查标准"
        ordering = ["-is_active", "name"]

    def __str__(self):
        return self.name

    def grade_for(self, score, veto: bool) -> str:
        if veto:
            return Grade.FAIL
        if score >= self.excellent_min:
            return Grade.EXCELLENT
        if score >= self.pass_min:
            return Grade.PASS
        return Grade.FAIL


class SheetItem(models.Model):
    sheet = models.ForeignKey(ScoringSheet, verbose_name="评查标准", on_delete=models.CASCADE, related_name="items")
    code = models.CharField("编号", max_length=12)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    text = models.CharField("评查内容", max_length=300)
    max_points = models.DecimalField("最高扣分", max_digits=5, decimal_places=1, default=Decimal("0"))
    is_veto = models.BooleanField("否决项", default=False, help_text="存在该问题的案卷直接评为不合格")
    check_code = models.CharField("客观项自动检查", max_length=40, blank=True,
                                  help_text="由案件数据预填的检查（见评查服务）")
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    global_reference = True

    class Meta:
        verbose_name = "评查项目"
        verbose_name_plural = "评查项目"
        ordering = ["sheet", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="eval_item_sheet_code")]

    def __str__(self):
        return f"{self.code} {self.text}"


class CampaignState(models.TextChoices):
    DRAFT = "draft", "草拟"
    SAMPLED = "sampled", "已抽样"
    SCORING = "scoring", "评分中"
    CONCLUDED = "concluded", "已结束"


class CampaignQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        root = user.scope_root
        q = Q(pk__in=CampaignEvaluator.objects.filter(user=user).values("campaign_id"))
        if root is not None:
            q |= Q(org__path__startswith=root.path)
        return self.filter(q)


class Campaign(models.Model):
    """评查活动."""

    org = models.ForeignKey(Organization, verbose_name="组织单位", on_delete=models.PROTECT,
                            related_name="evaluation_campaigns")
    title = models.CharField("活动名称", max_length=200)
    description = models.TextField("评查方案", blank=True)
    period_start = models.DateField("结案日期起")
    period_end = models.DateField("结案日期止")
    sheet = models.ForeignKey(ScoringSheet, verbose_name="评查标准", on_delete=models.PROTECT,
                              related_name="campaigns")
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="评查人员", blank=True,
                                        through="CampaignEvaluator", related_name="evaluation_campaigns")
    state = models.CharField("状态", max_length=12, choices=CampaignState.choices, default=CampaignState.DRAFT)
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    sampled_on = models.DateField("抽样日期", null=True, blank=True)
    concluded_on = models.DateField("结束日期", null=True, blank=True)
    notice = models.ForeignKey("documents.IssuedDocument", verbose_name="评查通报", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    notice_number = models.CharField("通报文号", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(CampaignQuerySet)()

    class Meta:
        verbose_name = "评查活动"
        verbose_name_plural = "评查活动"
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["org", "state"], name="eval_campaign_org_state")]
        constraints = [models.CheckConstraint(condition=Q(notice_number="") | Q(notice__isnull=False),
                                              name="eval_campaign_number_from_document")]

    numbered_by = NumberedBy("notice_number", "notice", "org", "evaluation_notice")

    def __str__(self):
        return self.title


class CampaignEvaluator(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="evaluator_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "评查人员"
        verbose_name_plural = "评查人员"
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="eval_evaluator_unique")]


class QuotaKind(models.TextChoices):
    COUNT = "count", "件数"
    PERCENT = "percent", "百分比"


class CampaignTarget(models.Model):
    """One target unit of a campaign with its quota (cases of the unit and units under it)."""

    campaign = models.ForeignKey(Campaign, verbose_name="评查活动", on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey(Organization, verbose_name="被评查单位", on_delete=models.PROTECT, related_name="+")
    quota_kind = models.CharField("抽取方式", max_length=8, choices=QuotaKind.choices, default=QuotaKind.COUNT)
    quota_value = models.DecimalField("抽取数量/比例", max_digits=7, decimal_places=2)
    available = models.PositiveIntegerField("可抽案件数", null=True, blank=True)
    sampled = models.PositiveIntegerField("抽取案件数", default=0)

    scope_field = "campaign__org"
    objects = ScopedManager()

    class Meta:
        verbose_name = "被评查单位"
        verbose_name_plural = "被评查单位"
        ordering = ["campaign", "org__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="eval_target_unique")]

    def quota_label(self) -> str:
        if self.quota_kind == QuotaKind.PERCENT:
            return f"{self.quota_value.normalize():f}%"
        return f"{int(self.quota_value)} 件"


class FileState(models.TextChoices):
    PENDING = "pending", "待评分"
    SUBMITTED = "submitted", "已评定"


class FileQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        root = user.scope_root
        q = Q(campaign_id__in=CampaignEvaluator.objects.filter(user=user).values("campaign_id"))
        if root is not None:
            q |= Q(org__path__startswith=root.path)
        return self.filter(q)

    def submitted(self):
        return self.filter(state=FileState.SUBMITTED)


class EvaluationFile(models.Model):
    """评查案卷: one sampled closed case and its score."""

    campaign = models.ForeignKey(Campaign, verbose_name="评查活动", on_delete=models.CASCADE, related_name="files")
    org = models.ForeignKey(Organization, verbose_name="被评查单位", on_delete=models.PROTECT,
                            related_name="evaluation_files")
    case = models.ForeignKey("enforcement.Case", verbose_name="执法案件", on_delete=models.PROTECT,
                             related_name="evaluation_files")
    seq = models.PositiveIntegerField("序号")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分配评查人员", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    state = models.CharField("状态", max_length=10, choices=FileState.choices, default=FileState.PENDING)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, default=FULL_SCORE)
    deducted = models.DecimalField("扣分合计", max_digits=6, decimal_places=1, default=Decimal("0"))
    veto = models.BooleanField("触及否决项", default=False)
    grade = models.CharField("等次", max_length=10, choices=Grade.choices, blank=True)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    note = models.TextField("评查意见", blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    submitted_on = models.DateField("评定日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(FileQuerySet)()

    class Meta:
        verbose_name = "评查案卷"
        verbose_name_plural = "评查案卷"
        ordering = ["campaign", "seq"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="eval_file_campaign_case")]
        indexes = [models.Index(fields=["org", "state", "submitted_on"], name="eval_file_org_state"),
                   models.Index(fields=["state", "submitted_on"], name="eval_file_state_day")]

    def __str__(self):
        return f"评查案卷 {self.seq}：{self.case.case_no if self.case_id else ''}"


class Deduction(models.Model):
    """One problem found in a file: a sheet item (snapshotted) with the points deducted."""

    SOURCES = [("manual", "评查人员认定"), ("suggested", "客观项确认")]

    file = models.ForeignKey(EvaluationFile, verbose_name="评查案卷", on_delete=models.CASCADE,
                             related_name="deductions")
    item = models.ForeignKey(SheetItem, verbose_name="评查项目", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    item_text = models.CharField("评查内容", max_length=300)
    is_veto = models.BooleanField("否决项", default=False)
    points = models.DecimalField("扣分", max_digits=5, decimal_places=1, default=Decimal("0"))
    note = models.CharField("问题说明", max_length=500, blank=True)
    source = models.CharField("来源", max_length=10, choices=SOURCES, default="manual")

    scope_field = "file__org"
    objects = ScopedManager()

    class Meta:
        verbose_name = "评查问题"
        verbose_name_plural = "评查问题"
        ordering = ["file", "item__sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "item"], name="eval_deduction_file_item")]
        indexes = [models.Index(fields=["category"], name="eval_deduction_category")]


class SuggestionState(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "已排除"


class Suggestion(models.Model):
    """An objective item computed from the case data, for the evaluator to confirm or reject."""

    file = models.ForeignKey(EvaluationFile, verbose_name="评查案卷", on_delete=models.CASCADE,
                             related_name="suggestions")
    item = models.ForeignKey(SheetItem, verbose_name="评查项目", on_delete=models.PROTECT, related_name="+")
    check_code = models.CharField("检查", max_length=40)
    detail = models.CharField("依据的案件数据", max_length=500)
    state = models.CharField("状态", max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING)
    reason = models.CharField("排除理由", max_length=300, blank=True)

    scope_field = "file__org"
    objects = ScopedManager()

    class Meta:
        verbose_name = "客观项建议"
        verbose_name_plural = "客观项建议"
        ordering = ["file", "item__sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "item"], name="eval_suggestion_file_item")]
