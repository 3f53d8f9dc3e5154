"""考核评价: assessment periods, the indicator tree with weights, manual scores, computed
results per assessed unit (with metric snapshots frozen when a period is closed), and the
interviews (约谈) of the bottom-three units' heads.

Scoping: a period belongs to (org=) the organising unit (normally the county government);
its categories and indicators follow it. Results, manual scores and interviews belong to
the assessed unit, so a department sees its own results and nothing of other units."""

from django.conf import settings
from django.db import models

from yifa.core.scoping import ScopedManager
from yifa.orgs.models import Organization


class PeriodState(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已关闭（结果冻结）"


class AssessmentPeriod(models.Model):
    org = models.ForeignKey(Organization, verbose_name="组织考核单位", on_delete=models.PROTECT,
                            related_name="assessment_periods")
    name = models.CharField("考核名称", max_length=120)
    start = models.DateField("考核期间起")
    end = models.DateField("考核期间止")
    state = models.CharField("状态", max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN)
    # the assessed units, frozen when the period is closed
    frozen_units = models.JSONField("冻结的被考核单位", default=list, blank=True)
    computed_at = models.DateTimeField("最近计算时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关闭人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "考核期间"
        verbose_name_plural = "考核期间"
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["org", "start"], name="assess_period_org_start")]

    def __str__(self):
        return self.name

    @property
    def is_closed(self):
        return self.state == PeriodState.CLOSED


class Category(models.Model):
    """一级指标 (e.g. 监督结果 20%). Weights of a period's categories sum to 100."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name="考核期间", on_delete=models.CASCADE,
                               related_name="categories")
    name = models.CharField("一级指标", max_length=60)
    weight = models.DecimalField("权重（%）", max_digits=6, decimal_places=2)
    sort_order = models.IntegerField("排序", default=0)

    scope_field = "period__org"
    objects = ScopedManager()

    class Meta:
        verbose_name = "一级指标"
        verbose_name_plural = "一级指标"
        ordering = ["period", "sort_order", "id"]

    def __str__(self):
        return f"{self.name}（{self.weight}%）"


class IndicatorKind(models.TextChoices):
    METRIC = "metric", "平台数据计算"
    MANUAL = "manual", "人工评分"


class FormulaKind(models.TextChoices):
    RATE = "rate", "得分 = 分值 × 比率"
    THRESHOLD = "threshold", "达标线性计分"
    DEDUCTION = "deduction", "按件扣分"
    MANUAL = "manual", "人工评分"


class Indicator(models.Model):
    """二级指标. Its weight is a share of its category (a category's indicators sum to 100);
    its points = category weight × indicator weight / 100. The formula is data: `formula`
    (kind) + `params`, described in Chinese by `yifa.assessment.formulas.describe`."""

    category = models.ForeignKey(Category, verbose_name="一级指标", on_delete=models.CASCADE,
                                 related_name="indicators")
    name = models.CharField("二级指标", max_length=100)
    weight = models.DecimalField("占一级指标权重（%）", max_digits=6, decimal_places=2)
    kind = models.CharField("计分方式", max_length=10, choices=IndicatorKind.choices)
    metric_code = models.CharField("平台指标", max_length=60, blank=True)
    formula = models.CharField("计分公式", max_length=12, choices=FormulaKind.choices)
    params = models.JSONField("公式参数", default=dict, blank=True)
    description = models.CharField("考核内容", max_length=300, blank=True)
    rationale = models.TextField("计分依据", blank=True, help_text="为什么这样计分：公式的理由，随指标体系一起保存和复制")
    sort_order = models.IntegerField("排序", default=0)

    scope_field = "category__period__org"
    objects = ScopedManager()

    class Meta:
        verbose_name = "二级指标"
        verbose_name_plural = "二级指标"
        ordering = ["category__sort_order", "category_id", "sort_order", "id"]

    def __str__(self):
        return self.name


class ManualScore(models.Model):
    """An assessor's score for one unit on one manual indicator (or on a metric indicator
    whose platform data is not available), with its evidence."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name="考核期间", on_delete=models.CASCADE,
                               related_name="manual_scores")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE,
                                  related_name="manual_scores")
    org = models.ForeignKey(Organization, verbose_name="被考核单位", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)
    evidence = models.TextField("评分依据/佐证")
    attachment = models.FileField("佐证附件", upload_to="assessment/%Y/", blank=True, max_length=300)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    scored_on = models.DateField("评分日期")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        ordering = ["period", "org__path", "indicator_id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "org"], name="assess_manual_unique")]

    def __str__(self):
        return f"{self.org} {self.indicator}：{self.score}"


class MetricSnapshot(models.Model):
    """A platform metric's value for one unit, frozen when the period was closed."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name="考核期间", on_delete=models.CASCADE,
                               related_name="snapshots")
    org = models.ForeignKey(Organization, verbose_name="被考核单位", on_delete=models.PROTECT, related_name="+")
    metric_code = models.CharField("平台指标", max_length=60)
    available = models.BooleanField("可用", default=True)
    reason = models.CharField("不可用原因", max_length=300, blank=True)
    value = models.DecimalField("值", max_digits=12, decimal_places=6, null=True, blank=True)
    numerator = models.IntegerField("分子", null=True, blank=True)
    denominator = models.IntegerField("分母", null=True, blank=True)
    drilldown_url = models.CharField("明细链接", max_length=500, blank=True)
    taken_at = models.DateTimeField("冻结时间", auto_now_add=True)

    objects = ScopedManager()
    # derived data, not a record of an act: no state in audit rows (recomputed with the period (the period computation is audited))
    audit_tracks_state = False

    class Meta:
        verbose_name = "指标数据快照"
        verbose_name_plural = "指标数据快照"
        constraints = [models.UniqueConstraint(fields=["period", "org", "metric_code"], name="assess_snapshot_unique")]


class UnitResult(models.Model):
    """One assessed unit's result in a period (rewritten by each computation)."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name="考核期间", on_delete=models.CASCADE,
                               related_name="results")
    org = models.ForeignKey(Organization, verbose_name="被考核单位", on_delete=models.PROTECT,
                            related_name="assessment_results")
    total = models.DecimalField("总分", max_digits=7, decimal_places=2, null=True, blank=True)
    complete = models.BooleanField("评分完整", default=False)
    missing_count = models.PositiveIntegerField("缺少评分项", default=0)
    rank = models.PositiveIntegerField("排名", null=True, blank=True)
    bottom = models.BooleanField("后三名", default=False)
    computed_at = models.DateTimeField("计算时间")

    objects = ScopedManager()
    # derived data, not a record of an act: no state in audit rows (recomputed with the period (the period computation is audited))
    audit_tracks_state = False

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        ordering = ["period", "rank", "org__path"]
        constraints = [models.UniqueConstraint(fields=["period", "org"], name="assess_result_unique")]

    def __str__(self):
        return f"{self.period} {self.org}"


class IndicatorScore(models.Model):
    result = models.ForeignKey(UnitResult, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField("分值", max_digits=7, decimal_places=2)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True, blank=True)
    missing = models.BooleanField("缺少评分", default=False)
    source = models.CharField("来源", max_length=10)  # metric / manual / missing
    value = models.DecimalField("指标值", max_digits=12, decimal_places=6, null=True, blank=True)
    numerator = models.IntegerField("分子", null=True, blank=True)
    denominator = models.IntegerField("分母", null=True, blank=True)
    drilldown_url = models.CharField("明细链接", max_length=500, blank=True)
    explanation = models.CharField("计分说明", max_length=500, blank=True)

    class Meta:
        ordering = ["result", "indicator__category__sort_order", "indicator__sort_order", "indicator_id"]


class Interview(models.Model):
    """约谈: the head of a bottom-three unit interviewed."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name="考核期间", on_delete=models.PROTECT,
                               related_name="interviews")
    org = models.ForeignKey(Organization, verbose_name="被约谈单位", on_delete=models.PROTECT,
                            related_name="assessment_interviews")
    held_on = models.DateField("约谈日期")
    interviewers = models.CharField("约谈人", max_length=200)
    unit_head = models.CharField("被约谈单位负责人", max_length=60)
    summary = models.TextField("约谈情况")
    follow_up = models.TextField("整改跟进", blank=True)
    follow_up_due = models.DateField("跟进期限", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"约谈 {self.org}（{self.held_on:%Y-%m-%d}）"
