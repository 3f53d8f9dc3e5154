"""行政执法监督: inspections (监督检查) and the findings (问题) they raise.

A finding belongs to (org=) the supervised unit, so that unit sees its own findings and
nothing of others, while supervisors see them through their county scope. An inspection
belongs to the unit that organises it."""

from django.conf import settings
from django.db import models

from yifa.core.scoping import ScopedManager
from yifa.documents.types import NumberedBy
from yifa.orgs.models import Organization

RECTIFICATION_RULE = "supervision.rectification"


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", "日常检查"
    SPECIAL = "special", "专项检查"


class Inspection(models.Model):
    org = models.ForeignKey(Organization, verbose_name="组织单位", on_delete=models.PROTECT,
                            related_name="supervision_inspections")
    kind = models.CharField("检查类型", max_length=10, choices=InspectionKind.choices)
    title = models.CharField("检查名称", max_length=200)
    plan = models.TextField("检查方案", blank=True)
    targets = models.ManyToManyField(Organization, verbose_name="检查对象单位", blank=True,
                                     related_name="supervision_inspected_by")
    team = models.TextField("检查组成员", blank=True)
    period_start = models.DateField("检查开始日期")
    period_end = models.DateField("检查结束日期")
    checklist = models.TextField("检查清单", blank=True, help_text="每行一项")
    joint_bodies = models.CharField("联合检查单位", max_length=300, blank=True, help_text="如：县纪委监委")
    sector = models.ForeignKey("enforcement.Sector", verbose_name="执法领域", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="inspections")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "监督检查"
        verbose_name_plural = "监督检查"
        ordering = ["-period_start", "-id"]

    def __str__(self):
        return self.title

    def checklist_items(self):
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]


class FindingCategory(models.TextChoices):
    SUBJECT = "subject", "执法主体"
    PROCEDURE = "procedure", "执法程序"
    SUBSTANCE = "substance", "实体处理"
    DOCUMENT = "document", "执法文书"
    PUBLICITY = "publicity", "执法公示"
    CONDUCT = "conduct", "执法作风"
    OTHER = "other", "其他"


class FindingSource(models.TextChoices):
    PARTY = "party", "党内监督"
    CONGRESS = "congress", "人大监督"
    CPPCC = "cppcc", "政协监督"
    JUDICIAL = "judicial", "司法监督"
    ADMINISTRATIVE = "administrative", "行政监督"
    PUBLIC = "public", "社会监督"


class FindingState(models.TextChoices):
    OPEN = "open", "待整改"
    CORRECTED = "corrected", "已整改"
    VERIFIED = "verified", "已核验"


class Finding(models.Model):
    org = models.ForeignKey(Organization, verbose_name="被监督单位", on_delete=models.PROTECT,
                            related_name="supervision_findings")
    inspection = models.ForeignKey(Inspection, verbose_name="监督检查", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="findings")
    category = models.CharField("问题类别", max_length=12, choices=FindingCategory.choices)
    sector = models.ForeignKey("enforcement.Sector", verbose_name="执法领域", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="findings")
    source = models.CharField("监督来源", max_length=16, choices=FindingSource.choices,
                              default=FindingSource.ADMINISTRATIVE)
    description = models.TextField("问题描述")
    raised_on = models.DateField("发现日期")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发现人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issuer = models.ForeignKey(Organization, verbose_name="监督单位", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="发现问题的监督单位：由它（或其上级监督机构）核验整改")
    state = models.CharField("状态", max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    is_major = models.BooleanField("重大问题", default=False,
                                   help_text="重大问题可由问责模块据以启动错案倒查")
    typical = models.BooleanField("典型案例", default=False, help_text="作为典型案例向社会公开曝光")
    public_summary = models.TextField("公开摘要", blank=True, help_text="公开发布的简要案情（个人信息已隐去）")
    due = models.DateField("整改期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    mirrored_deadline_rule = RECTIFICATION_RULE  # due / due_provisional copy this tracked deadline
    evidence = models.TextField("整改情况及佐证", blank=True)
    corrected_on = models.DateField("整改完成日期", null=True, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="整改报告人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    verified_on = models.DateField("核验日期", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核验人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "监督发现问题"
        verbose_name_plural = "监督发现问题"
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["org", "state"], name="sup_finding_org_state")]

    def __str__(self):
        return f"{self.get_category_display()}：{self.description[:30]}"


class RuleSwitch(models.Model):
    """An online supervision rule switched on or off for one unit (and the units under it)."""

    org = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.PROTECT,
                            related_name="supervision_rule_switches")
    rule_code = models.CharField("规则代码", max_length=60)
    enabled = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "监督规则开关"
        verbose_name_plural = "监督规则开关"
        ordering = ["org__path", "rule_code"]
        constraints = [models.UniqueConstraint(fields=["org", "rule_code"], name="sup_ruleswitch_unique")]

    def __str__(self):
        from yifa.core.labels import label

        return f"{self.org} {label(self.rule_code, 'rule')} {'启用' if self.enabled else '停用'}"


class RuleRun(models.Model):
    """Where the sweep's last pass of one online rule left off: the next pass looks only at
    the cases changed since then (a full pass again every `YIFA_SUPERVISION_FULL_PASS_DAYS`)."""

    rule_code = models.CharField("规则代码", max_length=60, unique=True)
    started_at = models.DateTimeField("上次运行开始时间")
    full_on = models.DateField("上次全量运行日期")

    class Meta:
        verbose_name = "监督规则运行记录"
        verbose_name_plural = "监督规则运行记录"

    def __str__(self):
        from yifa.core.labels import label

        return f"{label(self.rule_code, 'rule')} {self.started_at:%Y-%m-%d %H:%M}"


class RuleParam(models.Model):
    """A threshold of an online rule (an N, M, amount or share) as data: the value an
    administrator set, with the reason for it. A rule without a row uses the default it
    declares (`supervision.rules.Param`)."""

    global_reference = True  # the county's thresholds: the same for everyone (not scoped)

    rule_code = models.CharField("规则代码", max_length=60)
    key = models.CharField("参数", max_length=40)
    value = models.DecimalField("取值", max_digits=14, decimal_places=4)
    rationale = models.TextField("设定理由", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "监督规则参数"
        verbose_name_plural = "监督规则参数"
        ordering = ["rule_code", "key"]
        constraints = [models.UniqueConstraint(fields=["rule_code", "key"], name="sup_ruleparam_unique")]

    def __str__(self):
        from yifa.core.labels import label

        return f"{label(self.rule_code, 'rule')} {self.key}={self.value}"


class ClueState(models.TextChoices):
    OPEN = "open", "待处理"
    CONFIRMED = "confirmed", "已确认为问题"
    DISMISSED = "dismissed", "已排除"


class Clue(models.Model):
    """What an online rule flagged: a case (unique per (rule, case), so reruns add nothing),
    or another record — a unit, an officer, a finding, a complaint — for a period
    (`subject_*`, `period`: unique per (rule, subject, period)). `org` is the unit whose
    clue it is (the case's, or the subject's unit)."""

    org = models.ForeignKey(Organization, verbose_name="办案单位", on_delete=models.PROTECT,
                            related_name="supervision_clues")
    rule_code = models.CharField("规则代码", max_length=60)
    case = models.ForeignKey("enforcement.Case", verbose_name="案件", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="supervision_clues")
    subject_type = models.CharField("对象类型", max_length=40, blank=True,
                                    help_text="非案件线索的对象：单位、执法人员、监督发现问题、投诉举报")
    subject_id = models.BigIntegerField("对象编号", null=True, blank=True)
    subject_label = models.CharField("对象", max_length=200, blank=True)
    period = models.CharField("期间", max_length=10, blank=True, help_text="如 2026-11（月）、2026-Q3（季度）；空为不分期间")
    raised_on = models.DateField("发现日期")
    state = models.CharField("状态", max_length=10, choices=ClueState.choices, default=ClueState.OPEN)
    finding = models.ForeignKey(Finding, verbose_name="确认的问题", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="clues")
    dismiss_reason = models.CharField("排除理由", max_length=300, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_on = models.DateField("处理日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "线上监督线索"
        verbose_name_plural = "线上监督线索"
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule_code", "case"], name="sup_clue_rule_case"),
            models.UniqueConstraint(fields=["rule_code", "subject_type", "subject_id", "period"],
                                    condition=models.Q(case__isnull=True), name="sup_clue_rule_subject"),
            models.CheckConstraint(condition=models.Q(case__isnull=False) | models.Q(subject_id__isnull=False),
                                   name="sup_clue_case_or_subject"),
        ]
        indexes = [models.Index(fields=["org", "state"], name="sup_clue_org_state"),
                   models.Index(fields=["rule_code", "raised_on"], name="sup_clue_rule_raised")]

    def __str__(self):
        from yifa.core.labels import label

        return f"{label(self.rule_code, 'rule')}：{self.subject_words}"

    @property
    def rule(self):
        from .rules import RULES

        return RULES.get(self.rule_code)

    @property
    def period_words(self) -> str:
        from .subjects import period_words

        return period_words(self.period)

    @property
    def subject_words(self) -> str:
        """The flagged record in words: the case number and title, or the subject's kind, name and period."""
        from .subjects import subject_words

        return subject_words(self)

    @property
    def subject_url(self) -> str:
        from .subjects import subject_url

        return subject_url(self)


class LetterState(models.TextChoices):
    RECTIFYING = "rectifying", "整改中"
    SUBMITTED = "submitted", "整改报告待审核"
    ACCEPTED = "accepted", "整改已认可"
    CLOSED = "closed", "已办结"
    ESCALATED = "escalated", "已升级"


class LetterTier(models.TextChoices):
    """The 行政执法监督条例's instruments, lightest first (a 决定书 is SupervisionDecision)."""

    NOTICE = "notice", "行政执法监督通知书"
    OPINION = "opinion", "行政执法监督意见书"


class OpinionLetter(models.Model):
    """A rectification instrument issued from findings to the supervised unit (org=): a
    行政执法监督通知书 for minor problems (tier=notice) or a 意见书 (tier=opinion). Both run
    the same rectification flow; an unrectified 通知书 is escalated to a 意见书 (`escalated_to`),
    an unrectified 意见书 to a 监督决定书."""

    tier = models.CharField("文书种类", max_length=8, choices=LetterTier.choices, default=LetterTier.OPINION)
    escalated_to = models.OneToOneField("self", verbose_name="升级后的意见书", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="escalated_from")

    org = models.ForeignKey(Organization, verbose_name="被监督单位", on_delete=models.PROTECT,
                            related_name="supervision_letters")
    issuer = models.ForeignKey(Organization, verbose_name="监督单位", on_delete=models.PROTECT, related_name="+")
    findings = models.ManyToManyField(Finding, verbose_name="所涉问题", related_name="letters")
    title = models.CharField("标题", max_length=200)
    requirements = models.TextField("整改要求")
    issued_on = models.DateField("印发日期")
    due = models.DateField("整改期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    mirrored_deadline_rule = RECTIFICATION_RULE  # due / due_provisional copy this tracked deadline
    doc_number = models.CharField("文号", max_length=100, blank=True)
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="公文", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=12, choices=LetterState.choices, default=LetterState.RECTIFYING)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "行政执法监督意见书"
        verbose_name_plural = "行政执法监督意见书"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["org", "state"], name="sup_letter_org_state")]
        constraints = [models.CheckConstraint(condition=models.Q(doc_number="") | models.Q(document__isnull=False),
                                              name="sup_letter_number_from_document")]

    numbered_by = NumberedBy("doc_number", "document", "issuer", "supervision_opinion_letter")

    def __str__(self):
        return self.doc_number or self.title

    @property
    def short_name(self) -> str:
        return "通知书" if self.tier == LetterTier.NOTICE else "意见书"


class ReportResult(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "认可"
    REJECTED = "rejected", "不予认可"


class RectificationReport(models.Model):
    """整改报告: the unit's answer to a letter, with evidence; reviewed by the supervisor."""

    letter = models.ForeignKey(OpinionLetter, verbose_name="意见书", on_delete=models.CASCADE, related_name="reports")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    content = models.TextField("整改情况")
    evidence = models.TextField("佐证材料说明", blank=True)
    submitted_on = models.DateField("报送日期")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    result = models.CharField("审核结果", max_length=10, choices=ReportResult.choices, default=ReportResult.PENDING)
    review_reason = models.TextField("审核意见", blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = "整改报告"
        ordering = ["letter", "round"]
        constraints = [models.UniqueConstraint(fields=["letter", "round"], name="sup_report_letter_round")]


class RectificationFile(models.Model):
    """An evidence file of a rectification report (photo, scan, PDF, Word), checked by
    content and size at upload (core.uploads) and hashed (SM3). Belongs to (org=) the
    supervised unit, like its letter."""

    report = models.ForeignKey(RectificationReport, verbose_name="整改报告", on_delete=models.CASCADE,
                               related_name="files")
    org = models.ForeignKey(Organization, verbose_name="被监督单位", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("文件", upload_to="supervision/rectification/%Y/%m/", max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("格式", max_length=100)
    size = models.BigIntegerField("大小（字节）")
    sm3 = models.CharField("SM3 摘要", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "整改佐证文件"
        verbose_name_plural = "整改佐证文件"
        ordering = ["report", "id"]

    def __str__(self):
        return self.original_name


class DecisionKind(models.TextChoices):
    PERFORM = "perform", "限期履行"
    CORRECT = "correct", "限期纠正"
    REVOKE = "revoke", "撤销"
    CONFIRM_ILLEGAL = "confirm_illegal", "确认违法或无效"


# Who may issue a 行政执法监督决定书 of each kind (LEGAL_RULES.md, *Supervision powers*; local
# default, editable here): only the county supervision office, on behalf of the county
# government — never a department's internal supervision unit or a township legal office.
DECISION_ISSUER_KINDS = {kind: ("supervision_office",) for kind in DecisionKind.values}


class DecisionState(models.TextChoices):
    ISSUED = "issued", "待履行"
    FULFILLED = "fulfilled", "已履行"


class SupervisionDecision(models.Model):
    """行政执法监督决定书: escalation of an opinion letter not rectified (overdue or rejected)."""

    org = models.ForeignKey(Organization, verbose_name="被监督单位", on_delete=models.PROTECT,
                            related_name="supervision_decisions")
    issuer = models.ForeignKey(Organization, verbose_name="监督单位", on_delete=models.PROTECT, related_name="+")
    letter = models.OneToOneField(OpinionLetter, verbose_name="意见书", on_delete=models.PROTECT,
                                  related_name="decision")
    kind = models.CharField("决定类型", max_length=16, choices=DecisionKind.choices)
    reasons = models.TextField("事实和理由")
    requirements = models.TextField("决定事项")
    issued_on = models.DateField("印发日期")
    due = models.DateField("报告期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    mirrored_deadline_rule = RECTIFICATION_RULE  # due / due_provisional copy this tracked deadline
    doc_number = models.CharField("文号", max_length=100, blank=True)
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="公文", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=DecisionState.choices, default=DecisionState.ISSUED)
    fulfilment = models.TextField("履行情况", blank=True)
    fulfilled_on = models.DateField("履行确认日期", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "行政执法监督决定书"
        verbose_name_plural = "行政执法监督决定书"
        ordering = ["-issued_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(doc_number="") | models.Q(document__isnull=False),
                                              name="sup_decision_number_from_document")]

    numbered_by = NumberedBy("doc_number", "document", "issuer", "supervision_decision")

    def __str__(self):
        return self.doc_number or f"监督决定（{self.letter}）"


class NoticeState(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


class Notice(models.Model):
    """通报: a county-wide notice drafted from chosen findings, edited, then issued."""

    org = models.ForeignKey(Organization, verbose_name="发文单位", on_delete=models.PROTECT,
                            related_name="supervision_notices")
    title = models.CharField("标题", max_length=200)
    period_start = models.DateField("通报期间起", null=True, blank=True)
    period_end = models.DateField("通报期间止", null=True, blank=True)
    body = models.TextField("正文")
    findings = models.ManyToManyField(Finding, verbose_name="所涉问题", blank=True, related_name="notices")
    state = models.CharField("状态", max_length=10, choices=NoticeState.choices, default=NoticeState.DRAFT)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="公文", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(doc_number="") | models.Q(document__isnull=False),
                                              name="sup_notice_number_from_document")]

    numbered_by = NumberedBy("doc_number", "document", "org", "notice")

    def __str__(self):
        return self.doc_number or self.title


URGING_RULE = "supervision.urging_reply"


class UrgingState(models.TextChoices):
    OPEN = "open", "待回复"
    REPLIED = "replied", "已回复"


class Urging(models.Model):
    """督办: a supervisor's tracked instruction to the unit handling an overdue case, with its
    own reply deadline (rule `supervision.urging_reply`). It belongs to (org=) the unit
    instructed, so the unit sees it and its supervisors see it through their scope; the
    unit's reply closes it."""

    org = models.ForeignKey(Organization, verbose_name="督办对象（承办单位）", on_delete=models.PROTECT,
                            related_name="supervision_urgings")
    case = models.ForeignKey("enforcement.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="urgings")
    issuer_org = models.ForeignKey(Organization, verbose_name="督办单位", on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT,
                                  related_name="+")
    issued_on = models.DateField("督办日期")
    instruction = models.TextField("督办要求")
    due = models.DateField("回复期限")
    due_provisional = models.BooleanField("期限暂定", default=False)
    state = models.CharField("状态", max_length=10, choices=UrgingState.choices, default=UrgingState.OPEN)
    reply = models.TextField("回复内容", blank=True)
    replied_on = models.DateField("回复日期", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="回复人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["org", "state", "due"], name="sup_urging_org_state_due"),
                   models.Index(fields=["case", "state"], name="sup_urging_case_state")]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(state="open"),
                                               name="sup_one_open_urging_per_case")]

    def __str__(self):
        return f"督办 {self.case.case_no}"
