"""行政执法: base libraries (bodies, officers, items with discretion benchmarks), cases with
their legal steps, full-process records, publicity, and the on-time rollup.

Monitoring reads denormalised, indexed columns on `Case` (is_open, org, handler, item,
due, yellow_from, on_time) maintained by the services; the on-time rate per unit and
month is the small `OnTimeRollup` table, also maintained by the services.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, NullIf

from yifa.core.scoping import ScopedManager, ScopedQuerySet, scope_only
from yifa.orgs.models import Organization


class BodyKind(models.TextChoices):
    STATUTORY = "statutory", "法定行政机关"
    AUTHORISED = "authorised", "法律法规授权组织"
    ENTRUSTED = "entrusted", "受委托组织"


class EnforcementBody(models.Model):
    """执法主体."""

    org = models.ForeignKey(Organization, verbose_name="所属单位", on_delete=models.PROTECT,
                            related_name="enforcement_bodies")
    name = models.CharField("主体名称", max_length=120)
    kind = models.CharField("主体性质", max_length=16, choices=BodyKind.choices, default=BodyKind.STATUTORY)
    legal_basis = models.TextField("职权依据", blank=True)
    is_active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["org__path", "name"]
        indexes = [models.Index(fields=["org", "kind"], name="enf_body_org_kind")]

    def __str__(self):
        return self.name


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", "在岗"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


class Officer(models.Model):
    """执法人员 with the certificate (执法证)."""

    org = models.ForeignKey(Organization, verbose_name="所属单位", on_delete=models.PROTECT,
                            related_name="enforcement_officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="系统账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="officer_profiles")
    name = models.CharField("姓名", max_length=40)
    certificate_no = models.CharField("执法证号", max_length=40, unique=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期至")
    status = models.CharField("状态", max_length=12, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["org__path", "name"]
        indexes = [models.Index(fields=["org", "status"], name="enf_officer_org_status"),
                   models.Index(fields=["valid_to"], name="enf_officer_valid_to")]

    def __str__(self):
        return f"{self.name}（{self.certificate_no}）"

    def certified_on(self, day: date) -> bool:
        return self.status == OfficerStatus.ACTIVE and self.valid_from <= day <= self.valid_to


class ItemCategory(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    PERMIT = "permit", "行政许可"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LEVY = "levy", "行政征收"
    CONFIRMATION = "confirmation", "行政确认"
    OTHER = "other", "其他"


class Sector(models.Model):
    """执法领域 (点穴式监督's key sectors): a data table the administrator edits. Enforcement
    items, inspections and findings carry one, so supervision and its accuracy are counted
    by sector."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("领域名称", max_length=40, unique=True)
    sort_order = models.IntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "执法领域"
        verbose_name_plural = "执法领域"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class EnforcementItem(models.Model):
    """执法事项 (an entry of the list of powers 权责清单)."""

    org = models.ForeignKey(Organization, verbose_name="实施单位", on_delete=models.PROTECT,
                            related_name="enforcement_items")
    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=200)
    category = models.CharField("类别", max_length=16, choices=ItemCategory.choices)
    legal_basis = models.TextField("法律依据")
    sector = models.ForeignKey(Sector, verbose_name="执法领域", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="items")
    is_active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"
        ordering = ["code"]
        indexes = [models.Index(fields=["org", "category"], name="enf_item_org_cat")]

    def __str__(self):
        return f"{self.name}"


class PriorDisclosure(models.Model):
    """事前公开 (行政执法公示制度): a unit's publication of its enforcement items (权责清单),
    their bases and its procedures — one record per unit, with the date it was (last)
    published. The 三项制度 check counts a unit as published for a period when the record
    covers all three and was published by the period's end."""

    org = models.OneToOneField(Organization, verbose_name="执法单位", on_delete=models.PROTECT,
                               related_name="prior_disclosure")
    items_published = models.BooleanField("已公开执法事项", default=False)
    bases_published = models.BooleanField("已公开执法依据", default=False)
    procedures_published = models.BooleanField("已公开执法程序", default=False)
    published_on = models.DateField("公开日期")
    url = models.CharField("公开网址或位置", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "事前公开"
        verbose_name_plural = "事前公开"
        ordering = ["org__path"]

    def __str__(self):
        return f"{self.org}事前公开"

    @property
    def complete(self) -> bool:
        return self.items_published and self.bases_published and self.procedures_published


DISCLOSURE_CHANGE_RULE = "enforcement.disclosure_change"


class DisclosureChange(models.Model):
    """A change of a unit's enforcement items, their bases or its procedures (new or amended
    law, 权责清单 adjusted, functions moved): the 事前公开 must be updated within
    `enforcement.disclosure_change` (政府信息公开条例 art. 26: 20 working days from the
    change; 国办发〔2018〕118号: 动态调整). Its tracked deadline starts when the change is
    recorded and closes when a publication covering it is recorded."""

    org = models.ForeignKey(Organization, verbose_name="执法单位", on_delete=models.PROTECT,
                            related_name="disclosure_changes")
    changed_on = models.DateField("变更日期")
    items_changed = models.BooleanField("执法事项变更", default=False)
    bases_changed = models.BooleanField("执法依据变更", default=False)
    procedures_changed = models.BooleanField("执法程序变更", default=False)
    description = models.CharField("变更内容", max_length=500)
    published_on = models.DateField("更新公开日期", null=True, blank=True)
    due = models.DateField("公开期限届满日", null=True, blank=True)
    due_provisional = models.BooleanField("届满日为暂定", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    mirrored_deadline_rule = DISCLOSURE_CHANGE_RULE  # due / due_provisional copy this tracked deadline

    class Meta:
        verbose_name = "事前公开内容变更"
        verbose_name_plural = "事前公开内容变更"
        ordering = ["-changed_on", "-id"]
        indexes = [models.Index(fields=["org", "published_on"], name="enf_disc_change_org_pub")]

    def __str__(self):
        return f"{self.org}：{self.description}"

    @property
    def what(self) -> str:
        parts = [label for flag, label in ((self.items_changed, "执法事项"), (self.bases_changed, "执法依据"),
                                           (self.procedures_changed, "执法程序")) if flag]
        return "、".join(parts)

    def covered_by(self, disclosure) -> bool:
        """Whether publication `disclosure` publishes every part this change touched."""
        return ((not self.items_changed or disclosure.items_published)
                and (not self.bases_changed or disclosure.bases_published)
                and (not self.procedures_changed or disclosure.procedures_published))


class CircumstanceLevel(models.TextChoices):
    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class DiscretionBenchmark(models.Model):
    """裁量基准: the fine range for one circumstance level of an item."""

    item = models.ForeignKey(EnforcementItem, verbose_name="执法事项", on_delete=models.CASCADE,
                             related_name="benchmarks")
    level = models.CharField("情节", max_length=10, choices=CircumstanceLevel.choices)
    circumstance = models.CharField("情形描述", max_length=300, blank=True)
    min_amount = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, default=0)
    max_amount = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, default=0)

    scope_field = "item__org"
    objects = ScopedManager()

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        ordering = ["item", "min_amount"]
        constraints = [models.UniqueConstraint(fields=["item", "level"], name="enf_benchmark_item_level")]

    def __str__(self):
        return f"{self.get_level_display()}：{self.min_amount}–{self.max_amount} 元"


class CaseType(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    PERMIT = "permit", "行政许可"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    OTHER = "other", "其他"


class Procedure(models.TextChoices):
    GENERAL = "general", "普通程序"
    SUMMARY = "summary", "简易程序"


class PartyKind(models.TextChoices):
    INDIVIDUAL = "individual", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class Sanction(models.TextChoices):
    WARNING = "warning", "警告/通报批评"
    FINE = "fine", "罚款"
    CONFISCATION = "confiscation", "没收违法所得、非法财物"
    SUSPENSION = "suspension", "责令停产停业"
    REVOCATION = "revocation", "吊销许可证件"
    OTHER = "other", "其他"


class PublicityState(models.TextChoices):
    NONE = "none", "无需公示"
    PENDING = "pending", "待公示"
    PUBLISHED = "published", "已公示"
    WITHDRAWING = "withdrawing", "待撤回"
    WITHDRAWN = "withdrawn", "已撤回"


class DecisionChange(models.TextChoices):
    NONE = "", "—"
    CHANGED = "changed", "已变更"
    ANNULLED = "annulled", "已撤销"


class ReviewResult(models.TextChoices):
    NONE = "", "未审核"
    PASSED = "passed", "同意"
    REJECTED = "rejected", "不同意"


# Every state of every case type (the workflows name which belong to which type).
STATE_LABELS = {
    "filed": "立案", "investigating": "调查", "notified": "告知", "hearing": "听证", "legal_review": "法制审核",
    "decided": "决定", "served": "送达", "executing": "执行", "closed": "结案",
    "applied": "申请", "pending_materials": "补正材料", "accepted": "受理", "approved": "准予许可",
    "refused": "不予许可", "issued": "已发证",
    "seized": "查封扣押中", "released": "已解除", "frozen": "冻结中", "reminded": "已催告",
    "court_applied": "已申请法院强制执行",
    "planned": "计划", "inspecting": "检查中",
}
OPEN_STATES_EXCLUDED = ("closed",)


class CaseQuerySet(ScopedQuerySet):
    @scope_only
    def visible_to(self, user):
        """Units as an id subquery, so that the case indexes led by `org` are used."""
        if user is None or not getattr(user, "is_authenticated", False) or user.scope_root is None:
            return self.none()
        return self.filter(org_id__in=Organization.objects.filter(path__startswith=user.scope_root.path)
                           .values("pk"))

    def open(self):
        return self.filter(is_open=True)

    def red(self, today):
        return self.filter(is_open=True, due__lt=today)

    def yellow(self, today):
        return self.filter(is_open=True, yellow_from__lte=today, due__gte=today)

    def normal(self, today):
        return self.filter(is_open=True).filter(models.Q(yellow_from__gt=today) | models.Q(due__isnull=True))

    def with_status(self, status, today):
        return {"red": self.red, "yellow": self.yellow, "normal": self.normal}[status](today)


class CaseManager(models.Manager.from_queryset(CaseQuerySet)):
    pass


def party_key():
    """The party a case concerns: the ID number when recorded, else the name (以罚代管 counts
    a unit's fines per party by this key; `enf_case_inspection_party` indexes its inspections)."""
    return Coalesce(NullIf("party_id_no", models.Value("")), "party_name", output_field=models.CharField())


class Case(models.Model):
    """执法案件."""

    org = models.ForeignKey(Organization, verbose_name="办案单位", on_delete=models.PROTECT,
                            related_name="enforcement_cases")
    case_no = models.CharField("案号", max_length=60, db_index=True)
    case_type = models.CharField("案件类型", max_length=12, choices=CaseType.choices, default=CaseType.PENALTY)
    procedure = models.CharField("程序", max_length=10, choices=Procedure.choices, default=Procedure.GENERAL)
    state = models.CharField("状态", max_length=20, default="filed")
    item = models.ForeignKey(EnforcementItem, verbose_name="执法事项", on_delete=models.PROTECT,
                             related_name="cases")
    body = models.ForeignKey(EnforcementBody, verbose_name="执法主体", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="cases")
    title = models.CharField("案由", max_length=200)
    party_name = models.CharField("当事人", max_length=120)
    party_kind = models.CharField("当事人类型", max_length=14, choices=PartyKind.choices,
                                  default=PartyKind.INDIVIDUAL)
    party_id_no = models.CharField("证件号码", max_length=40, blank=True)
    party_phone = models.CharField("联系电话", max_length=20, blank=True)
    party_address = models.CharField("地址", max_length=200, blank=True)
    facts = models.TextField("违法事实/申请事项", blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="enforcement_cases")
    officers = models.ManyToManyField(Officer, verbose_name="执法人员", blank=True, related_name="cases")
    filed_on = models.DateField("立案/受理日期")
    # penalty: the limitation period (行政处罚法 art. 36)
    act_on = models.DateField("违法行为发生日期", null=True, blank=True,
                              help_text="有连续或者继续状态的，填行为终了之日")
    discovered_on = models.DateField("违法行为发现日期", null=True, blank=True, help_text="留空则按立案日期")
    limitation_five_years = models.BooleanField(
        "涉及公民生命健康安全、金融安全且有危害后果", default=False, help_text="追责时效延长至五年")
    # penalty
    sanction = models.CharField("处罚种类", max_length=16, choices=Sanction.choices, blank=True)
    amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    circumstance = models.CharField("情节", max_length=10, choices=CircumstanceLevel.choices, blank=True)
    discretion_reason = models.TextField("超出裁量基准的理由", blank=True)
    major_public_interest = models.BooleanField("涉及重大公共利益/情况复杂", default=False)
    notice_on = models.DateField("告知日期", null=True, blank=True)
    hearing_request_until = models.DateField("听证申请期限", null=True, blank=True)
    rights_waived = models.BooleanField("当事人放弃陈述申辩/听证", default=False)
    hearing_requested = models.BooleanField("已申请听证", default=False)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证举行日期（通知）", null=True, blank=True)
    # 申请人民法院强制执行 (行政强制法 arts. 53, 54): the party's reconsideration/litigation
    # periods ran out on remedy_end_on; the 催告书 was served on reminder_served_on
    remedy_end_on = models.DateField("复议、诉讼期限届满日", null=True, blank=True)
    reminder_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)
    hearing_held_on = models.DateField("听证日期", null=True, blank=True)
    # 事中: the officers showed their certificates at the on-site step (调查/检查)
    certificate_shown = models.BooleanField("现场出示执法证件", default=False)
    certificate_shown_on = models.DateField("出示执法证件日期", null=True, blank=True)
    legal_review_result = models.CharField("法制审核结论", max_length=10, choices=ReviewResult.choices, blank=True,
                                           default="")
    legal_review_on = models.DateField("法制审核日期", null=True, blank=True)
    legal_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    legal_review_opinion = models.TextField("审核意见", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    rest_day_reason = models.TextField("休息日作出决定的理由", blank=True,
                                       help_text="决定日期为周末或法定节假日（调休上班日除外）时填写，如情况紧急须当即作出")
    served_on = models.DateField("送达日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    paid_on = models.DateField("缴纳罚款日期", null=True, blank=True)
    # 当场收缴 (行政处罚法 arts. 68, 69, 71): the fine was paid to the officer on the spot (paid_on)
    # and must be handed over to the unit within two working days (penalty.onsite_handover)
    collected_on_spot = models.BooleanField("当场收缴罚款", default=False)
    handed_over_on = models.DateField("当场收缴罚款交至行政机关日期", null=True, blank=True)
    decision_change = models.CharField("决定变更/撤销", max_length=10, choices=DecisionChange.choices, blank=True,
                                       default="")
    decision_changed_on = models.DateField("变更/撤销日期", null=True, blank=True)
    # publicity
    publicity_state = models.CharField("公示状态", max_length=12, choices=PublicityState.choices,
                                       default=PublicityState.NONE)
    published_on = models.DateField("公示日期", null=True, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    publicity_text = models.TextField("公示内容", blank=True)
    # monitoring (denormalised from the tracked deadlines by the services)
    is_open = models.BooleanField("办理中", default=True)
    due = models.DateField("最近届满日", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    yellow_from = models.DateField("临期起始日", null=True, blank=True)
    due_rule = models.CharField("最近期限规则", max_length=60, blank=True)
    on_time = models.BooleanField("按时办结", null=True, blank=True)
    # intake
    source_system = models.CharField("来源系统", max_length=40, default="yifa")
    source_case_no = models.CharField("来源案号", max_length=80)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseManager()

    class Meta:
        verbose_name = "执法案件"
        verbose_name_plural = "执法案件"
        ordering = ["-filed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["source_system", "source_case_no"],
                                               name="enf_case_source_unique")]
        # The board reads open cases only: partial indexes (SQLite and PostgreSQL) hold just
        # those rows, and match the ORM's `WHERE is_open` term exactly.
        indexes = [
            models.Index(fields=["due", "id"], condition=models.Q(is_open=True), name="enf_open_due_id"),
            models.Index(fields=["yellow_from"], condition=models.Q(is_open=True), name="enf_open_yellow"),
            # (…, due, yellow_from) cover the board's counts: no table lookups
            models.Index(fields=["org", "due", "yellow_from"], condition=models.Q(is_open=True),
                         name="enf_open_org_cover"),
            models.Index(fields=["handler", "org", "due", "yellow_from"], condition=models.Q(is_open=True),
                         name="enf_open_handler_cover"),
            models.Index(fields=["item", "org", "due", "yellow_from"], condition=models.Q(is_open=True),
                         name="enf_open_item_cover"),
            # the board's "届满日暂定" count and drill-down: a small partial index (Nov–Mar only)
            models.Index(fields=["org", "due"], condition=models.Q(is_open=True, due_provisional=True),
                         name="enf_open_provisional"),
            models.Index(fields=["org", "state"], name="enf_case_org_state"),
            models.Index(fields=["org", "-filed_on"], name="enf_case_org_filed"),
            models.Index(fields=["publicity_state", "published_on"], name="enf_case_publicity"),
            # the case list's default ordering (filed_on, id), walked backwards to its first page
            models.Index(fields=["filed_on", "id"], name="enf_case_filed_id"),
            # 以罚代管: a unit's inspections per party (the follow-up check: a probe reads only
            # inspections, not every case of a party fined often), and the fines of a period
            models.Index(models.F("org"), party_key(), models.F("filed_on"), condition=models.Q(case_type="inspection"),
                         name="enf_case_inspection_party"),
            models.Index(fields=["decided_on"], condition=models.Q(case_type="penalty", sanction="fine"),
                         name="enf_case_fine_decided"),
            # the sweep's rules look only at the cases changed since their last run
            models.Index(fields=["updated_at"], name="enf_case_updated"),
            # the dashboard rollups of closed cases per month (the sweep recomputes changed months)
            models.Index(fields=["closed_on"], name="enf_case_closed", condition=models.Q(closed_on__isnull=False)),
        ]

    def __str__(self):
        return f"{self.case_no} {self.title}"

    @property
    def state_label(self):
        return STATE_LABELS.get(self.state, self.state)

    def due_status_on(self, today) -> str:
        if not self.is_open:
            return "closed"
        if self.due is None:
            return "normal"
        if self.due < today:
            return "red"
        if self.yellow_from and self.yellow_from <= today:
            return "yellow"
        return "normal"


class RecordKind(models.TextChoices):
    PHOTO = "photo", "现场照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "执法记录仪视频"
    DOCUMENT = "document", "文书"


class ProcessRecord(models.Model):
    """全过程记录: one attachment to one step of a case, hashed (SM3) at upload."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="records")
    org = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    step = models.CharField("环节", max_length=20)
    kind = models.CharField("类型", max_length=10, choices=RecordKind.choices)
    file = models.FileField("文件", upload_to="enforcement/%Y/%m/", max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("格式", max_length=60)
    size = models.BigIntegerField("大小（字节）")
    sm3 = models.CharField("SM3 摘要", max_length=64)
    description = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "全过程记录"
        verbose_name_plural = "全过程记录"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.original_name}"


class OnTimeRollup(models.Model):
    """按时办结率: closed and on-time counts per unit and month (maintained by services)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField("月份")
    closed = models.PositiveIntegerField("办结数", default=0)
    on_time = models.PositiveIntegerField("按时办结数", default=0)

    objects = ScopedManager()
    # derived data, not a record of an act: no state in audit rows (a rollup the sweep rebuilds from the records)
    audit_tracks_state = False

    class Meta:
        verbose_name = "按时办结统计"
        verbose_name_plural = "按时办结统计"
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="enf_rollup_org_month")]
        indexes = [models.Index(fields=["month"], name="enf_rollup_month")]


class ImportBatch(models.Model):
    """One bulk intake (Excel/CSV upload or JSON API call)."""

    org = models.ForeignKey(Organization, verbose_name="导入单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("数据类型", max_length=20)
    source_system = models.CharField("来源系统", max_length=40, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    state = models.CharField("状态", max_length=12, default="running")  # running / done / failed
    total = models.PositiveIntegerField("行数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    worker = models.CharField("后台进程", max_length=120, blank=True, help_text="主机名:进程号（后台导入）")
    upload_path = models.CharField("暂存文件", max_length=400, blank=True)

    objects = ScopedManager()
    # derived data, not a record of an act: no state in audit rows (progress of a background import, updated as it runs)
    audit_tracks_state = False

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-id"]

    def __str__(self):
        from yifa.core.labels import label

        return f"{label(self.kind, 'import')}导入 {self.filename or self.source_system} #{self.pk}"


class LoadDimension(models.TextChoices):
    ORG = "org", "单位"
    HANDLER = "handler", "承办人"
    ITEM = "item", "执法事项"
    OFFICER = "officer", "执法人员"


class OpenLoadRollup(models.Model):
    """The board's open-case counts per unit and dimension (the unit itself, a handler, an
    item, an officer), by due state as of `OpenLoadAsOf.day`. Maintained incrementally by
    the services (each case write applies its before/after delta) and rebuilt by the daily
    sweep, when red/yellow move with the date. `key` is the handler/item/officer id (the
    unit's own id for `org`; 0 for "no handler")."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    dim = models.CharField("维度", max_length=8, choices=LoadDimension.choices)
    key = models.BigIntegerField("对象")
    total = models.IntegerField("在办", default=0)
    red = models.IntegerField("超期", default=0)
    yellow = models.IntegerField("临期", default=0)

    objects = ScopedManager()
    # derived data, not a record of an act: no state in audit rows (a rollup the sweep rebuilds from the records)
    audit_tracks_state = False

    class Meta:
        verbose_name = "在办案件统计"
        verbose_name_plural = "在办案件统计"
        constraints = [models.UniqueConstraint(fields=["dim", "org", "key"], name="enf_load_dim_org_key")]
        indexes = [models.Index(fields=["dim", "key"], name="enf_load_dim_key")]


class OpenLoadAsOf(models.Model):
    """The day the red/yellow figures of `OpenLoadRollup` are computed for (one row)."""

    day = models.DateField("统计日")


class StagedCase(models.Model):
    """One validated, new case of a bulk import waiting to be switched in (see
    `imports.py`, *Cases at COPY speed*). Nothing reads these rows but the import: the
    cases table gets them in one short switch transaction, all of a batch or none, by one
    INSERT … SELECT per unit-year (with the numbers taken for it); the switch then deletes
    them. Rows of a batch that failed or was cut off are deleted by the next run and the
    sweep. The data columns have the names of `Case`'s columns."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+", db_index=False)
    row_no = models.PositiveIntegerField("文件行号")
    year = models.PositiveSmallIntegerField("案号年度")
    serial_rank = models.PositiveIntegerField("单位年度内序次", help_text="本批该单位该年度的第几件（从 0 起）")
    case_prefix = models.CharField("案号前缀", max_length=60)
    org_id = models.BigIntegerField("办案单位")
    item_id = models.BigIntegerField("执法事项")
    case_type = models.CharField("案件类型", max_length=12)
    procedure = models.CharField("程序", max_length=10)
    state = models.CharField("状态", max_length=20)
    title = models.CharField("案由", max_length=200)
    party_name = models.CharField("当事人", max_length=120)
    party_kind = models.CharField("当事人类型", max_length=14)
    party_id_no = models.CharField("证件号码", max_length=40, blank=True)
    party_phone = models.CharField("联系电话", max_length=20, blank=True)
    party_address = models.CharField("地址", max_length=200, blank=True)
    facts = models.TextField("违法事实/申请事项", blank=True)
    sanction = models.CharField("处罚种类", max_length=16, blank=True)
    amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    filed_on = models.DateField("立案/受理日期")
    is_open = models.BooleanField("办理中", default=True)
    due = models.DateField("最近届满日", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    yellow_from = models.DateField("临期起始日", null=True, blank=True)
    due_rule = models.CharField("最近期限规则", max_length=60, blank=True)
    source_case_no = models.CharField("来源案号", max_length=80)

    class Meta:
        verbose_name = "导入暂存案件"
        verbose_name_plural = "导入暂存案件"
        constraints = [models.UniqueConstraint(fields=["batch", "row_no"], name="enf_staged_batch_row")]
        indexes = [models.Index(fields=["batch", "org_id", "year", "serial_rank"], name="enf_staged_group")]
