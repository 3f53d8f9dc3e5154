"""Legal time limits: the holiday calendar, deadline rules (law as data), tracked
deadlines and their warnings.

The holiday table is the truth at run time: a working day is Monday–Friday that is not
a statutory holiday, or a weekend make-up working day (调休上班). A year is usable by the
engine only when it has a complete `HolidayYear` row.
"""

from django.conf import settings
from django.db import models

from yifa.core.scoping import ScopedManager, ScopedQuerySet


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班"


class HolidayYear(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    complete = models.BooleanField("已录入完整", default=False,
                                   help_text="只有录入完整的年份才参与期限计算。")
    source = models.CharField("来源", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    global_reference = True  # the same for everyone: not scoped

    class Meta:
        verbose_name = "节假日年度"
        verbose_name_plural = "节假日年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年节假日"


class HolidayDay(models.Model):
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=20, choices=HolidayKind.choices)
    name = models.CharField("名称", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("年份", db_index=True)
    source = models.CharField("来源", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    global_reference = True  # the same for everyone: not scoped

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name or self.get_kind_display()}"


class Unit(models.TextChoices):
    WORKING_DAYS = "WD", "工作日"
    CALENDAR_DAYS = "CD", "自然日"
    MONTHS = "months", "月"


class Direction(models.TextChoices):
    MAX = "max", "最长期限（届满前完成）"
    MIN = "min", "最短期限（不得早于）"
    BEFORE = "before", "事前期限（某日之前）"
    DURATION = "duration", "最长持续期间（届满日不顺延）"


class DeadlineRule(models.Model):
    code = models.CharField("规则代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=120)
    n = models.PositiveIntegerField("期限")
    unit = models.CharField("单位", max_length=8, choices=Unit.choices)
    direction = models.CharField("方向", max_length=8, choices=Direction.choices, default=Direction.MAX)
    basis = models.CharField("依据", max_length=300)
    extension_n = models.PositiveIntegerField("可延长期限", default=0, help_text="每次延长的期限（同一单位）")
    extensions_allowed = models.PositiveSmallIntegerField("可延长次数", default=0)
    suspensions_apply = models.BooleanField("适用中止（不计入期限）", default=False)
    is_local_default = models.BooleanField("本地默认值（未经核实）", default=False)
    note = models.TextField("说明", blank=True)

    global_reference = True  # the same for everyone: not scoped

    class Meta:
        verbose_name = "期限规则"
        verbose_name_plural = "期限规则"
        ordering = ["code"]

    def __str__(self):
        return self.name  # a person reads the name; the code is for administrators and the API

    @property
    def label(self) -> str:
        return f"{self.n} 个{self.get_unit_display()}" if self.unit != Unit.MONTHS else f"{self.n} 个月"


class DeadlineRuleOverride(models.Model):
    """A department's or locality's own provision ("法律、法规、规章另有规定的除外")."""

    rule = models.ForeignKey(DeadlineRule, verbose_name="期限规则", on_delete=models.CASCADE,
                             related_name="overrides")
    org = models.ForeignKey("orgs.Organization", verbose_name="适用单位", on_delete=models.CASCADE,
                            related_name="deadline_overrides")
    n = models.PositiveIntegerField("期限")
    basis = models.CharField("依据", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "期限规则特别规定"
        verbose_name_plural = "期限规则特别规定"
        constraints = [models.UniqueConstraint(fields=["rule", "org"], name="unique_rule_override")]

    def __str__(self):
        return f"{self.rule.name}（{self.org}特别规定：{self.n}）"


class DeadlineState(models.TextChoices):
    OPEN = "open", "进行中"
    EXTENDED = "extended", "已延长"
    SUSPENDED = "suspended", "已中止"
    MET = "met", "按期办结"
    MISSED = "missed", "超期办结"


ACTIVE_STATES = (DeadlineState.OPEN, DeadlineState.EXTENDED)
CLOSED_STATES = (DeadlineState.MET, DeadlineState.MISSED)


class DueStatus(models.TextChoices):
    NORMAL = "normal", "正常"
    YELLOW = "yellow", "临期"
    RED = "red", "超期"
    SUSPENDED = "suspended", "已中止"
    CLOSED = "closed", "已办结"


class TrackedDeadlineQuerySet(ScopedQuerySet):
    """Due state relative to `today` is a comparison on stored, indexed columns."""

    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def red(self, today):
        return self.active().filter(due__lt=today)

    def yellow(self, today):
        return self.active().filter(yellow_from__lte=today, due__gte=today)

    def normal(self, today):
        return self.active().filter(yellow_from__gt=today)

    def with_due_status(self, today):
        return self.annotate(due_status=models.Case(
            models.When(state__in=CLOSED_STATES, then=models.Value(DueStatus.CLOSED)),
            models.When(state=DeadlineState.SUSPENDED, then=models.Value(DueStatus.SUSPENDED)),
            models.When(due__lt=today, then=models.Value(DueStatus.RED)),
            models.When(yellow_from__lte=today, then=models.Value(DueStatus.YELLOW)),
            default=models.Value(DueStatus.NORMAL),
            output_field=models.CharField(),
        ))

    def with_status(self, status, today):
        return {DueStatus.RED: self.red, DueStatus.YELLOW: self.yellow, DueStatus.NORMAL: self.normal}[status](today)


class TrackedDeadlineManager(models.Manager.from_queryset(TrackedDeadlineQuerySet)):
    pass


class TrackedDeadline(models.Model):
    """"This record has this deadline": created and closed by other modules' workflows
    through `yifa.deadlines.services`."""

    owner_type = models.CharField("所属记录类型", max_length=100)
    owner_id = models.CharField("所属记录编号", max_length=64)
    org = models.ForeignKey("orgs.Organization", verbose_name="承办单位", on_delete=models.PROTECT,
                            related_name="tracked_deadlines")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="tracked_deadlines")
    rule = models.ForeignKey(DeadlineRule, verbose_name="期限规则", on_delete=models.PROTECT,
                             related_name="tracked")
    title = models.CharField("事项", max_length=200)
    start = models.DateField("起算日")
    n = models.PositiveIntegerField("期限", help_text="创建时适用的期限（含本单位特别规定）")
    unit = models.CharField("单位", max_length=8, choices=Unit.choices)
    due = models.DateField("届满日", db_index=True)
    yellow_from = models.DateField("临期起始日")
    citation = models.CharField("依据", max_length=400)
    provisional = models.BooleanField("暂定", default=False,
                                      help_text="期限跨入尚未录入完整放假安排的年度，届满日按法定节日暂定。")
    waiting_for_year = models.PositiveSmallIntegerField("待录入年度", null=True, blank=True)
    state = models.CharField("状态", max_length=12, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    closed_on = models.DateField("办结日", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TrackedDeadlineManager()

    class Meta:
        verbose_name = "跟踪期限"
        verbose_name_plural = "跟踪期限"
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["state", "due"], name="deadline_state_due"),
            # the open work only: the sweep's candidates walk these in due order (closed
            # deadlines pile up for ever; these indexes hold just the active ones)
            models.Index(fields=["due", "id"], condition=models.Q(state__in=ACTIVE_STATES),
                         name="deadline_active_due"),
            models.Index(fields=["yellow_from", "id"], condition=models.Q(state__in=ACTIVE_STATES),
                         name="deadline_active_yellow"),
            models.Index(fields=["state", "yellow_from"], name="deadline_state_yellow"),
            models.Index(fields=["org", "state"], name="deadline_org_state"),
            models.Index(fields=["handler", "state", "yellow_from"], name="deadline_handler_state"),
            models.Index(fields=["owner_type", "owner_id"], name="deadline_owner"),
            models.Index(fields=["waiting_for_year"], name="deadline_provisional",
                         condition=models.Q(provisional=True)),
        ]

    def __str__(self):
        return f"{self.title}（{self.rule.name}，{self.due}{'（暂定）' if self.provisional else ''}）"

    def due_status_on(self, today) -> str:
        if self.state in CLOSED_STATES:
            return DueStatus.CLOSED
        if self.state == DeadlineState.SUSPENDED:
            return DueStatus.SUSPENDED
        if self.due < today:
            return DueStatus.RED
        if self.yellow_from <= today:
            return DueStatus.YELLOW
        return DueStatus.NORMAL


class DeadlineSuspension(models.Model):
    """Time not counted: from `first_day` up to the day before `resumed_on`."""

    deadline = models.ForeignKey(TrackedDeadline, on_delete=models.CASCADE, related_name="suspensions")
    first_day = models.DateField("中止起始日")
    resumed_on = models.DateField("恢复计算日", null=True, blank=True)
    reason = models.CharField("事由", max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "期限中止"
        verbose_name_plural = "期限中止"
        ordering = ["first_day", "id"]


class DeadlineExtension(models.Model):
    deadline = models.ForeignKey(TrackedDeadline, on_delete=models.CASCADE, related_name="extensions")
    n = models.PositiveIntegerField("延长期限")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT,
                                 related_name="+")
    reason = models.CharField("理由", max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "期限延长"
        verbose_name_plural = "期限延长"
        ordering = ["id"]


class WarningLevel(models.TextChoices):
    YELLOW = "yellow", "黄牌（临期）"
    RED = "red", "红牌（超期）"


class Warning(models.Model):  # noqa: A001 — the domain's word (预警)
    deadline = models.ForeignKey(TrackedDeadline, on_delete=models.CASCADE, related_name="warnings")
    level = models.CharField("级别", max_length=8, choices=WarningLevel.choices)
    created_on = models.DateField("预警日期")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "deadline__org"
    objects = ScopedManager()
    # derived data, not a record of an act: no state in audit rows (derived from the deadlines by the sweep)
    audit_tracks_state = False

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-created_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["deadline", "level"], name="unique_deadline_warning")]
        indexes = [models.Index(fields=["level", "created_on"], name="warning_level_day")]

    def __str__(self):
        return f"{self.get_level_display()}：{self.deadline_id}"
