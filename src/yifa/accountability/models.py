"""错案问责追责: litigation and reconsideration cases against the county's units, wrong
cases opened from their outcomes (or from a major supervision finding), the backtrack with
the four checks, accountability decisions with their impact periods, notices and
warning-education sessions.

Wrong cases, backtracks and registry rows belong to (org=) the unit concerned: the unit
sees its own, supervisors the county. An individual's record (`Person` and what hangs on
it) is narrower: supervisors, the unit's leaders and the person only (`PersonScopedQuerySet`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from yifa.core.scoping import ScopedManager, ScopedQuerySet
from yifa.documents.types import NumberedBy
from yifa.orgs.models import Organization

BACKTRACK_RULE = "accountability.backtrack"
DEFENCE_RULES = {"litigation": "litigation.defence", "reconsideration": "reconsideration.answer"}
OPINION_REPLY_RULE = "reconsideration.opinion_reply"
# 简易程序 (行政复议法 arts. 53, 54, 62 ¶2): answer in 5 working days, decision in 30 days
SIMPLE_ANSWER_RULE = "reconsideration.simple_answer"
SIMPLE_DECISION_RULE = "reconsideration.simple_decision"


def answer_rule(challenge) -> str:
    """The rule of the unit's answer/defence: the simplified procedure's own for a
    reconsideration heard under it."""
    if getattr(challenge, "simplified", False):
        return SIMPLE_ANSWER_RULE
    return DEFENCE_RULES[challenge.kind]
# 《行政诉讼法》第八十五条: 15 days to appeal a judgment, 10 days a ruling (seeded by the
# deadlines app); the first-instance outcome becomes effective when the period passes unappealed.
APPEAL_RULES = {"judgment": "judgment.appeal", "ruling": "ruling.appeal"}


# --- registry ---------------------------------------------------------------------------------

class Outcome(models.TextChoices):
    PENDING = "pending", "审理中"
    UPHELD = "upheld", "维持"
    DISMISSED = "dismissed", "驳回"
    WITHDRAWN = "withdrawn", "撤诉/撤回申请"
    REVOKED = "revoked", "撤销"
    CHANGED = "changed", "变更"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
    CONFIRMED_INVALID = "confirmed_invalid", "确认无效"
    ORDERED_PERFORM = "ordered_perform", "责令履行"


class OutcomeForm(models.TextChoices):
    JUDGMENT = "judgment", "判决"
    RULING = "ruling", "裁定"


class AppealState(models.TextChoices):
    NONE = "none", "尚无裁判结果"
    AWAITING = "awaiting", "上诉期内（未生效）"
    APPEALED = "appealed", "已上诉，二审审理中"
    EFFECTIVE = "effective", "已生效"


LOST_OUTCOMES = (Outcome.REVOKED, Outcome.CHANGED, Outcome.CONFIRMED_ILLEGAL, Outcome.CONFIRMED_INVALID,
                 Outcome.ORDERED_PERFORM)


class ChallengeBase(models.Model):
    org = models.ForeignKey(Organization, verbose_name="被告/被申请人单位", on_delete=models.PROTECT,
                            related_name="+")
    case_number = models.CharField("案号", max_length=80)
    claimant = models.CharField("原告/申请人", max_length=200)
    third_parties = models.CharField("第三人", max_length=300, blank=True)
    enforcement_case = models.ForeignKey("enforcement.Case", verbose_name="关联执法案件", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    challenged_act = models.CharField("被诉/被申请行政行为", max_length=300)
    filed_on = models.DateField("立案/受理日期")
    # the claimant's own time limit (行政复议法 art. 20, 行政诉讼法 arts. 45, 46, 行诉法解释 art. 64):
    # from the day they knew of the act; one year at most when the unit did not tell them of the
    # right and the period; after a reconsideration, 15 days from its decision
    applied_on = models.DateField("起诉/申请复议日期", null=True, blank=True)
    known_on = models.DateField("原告/申请人知道或应当知道行政行为之日", null=True, blank=True)
    remedy_notified = models.BooleanField("行政行为告知了申请复议/起诉的权利和期限", default=True)
    served_on = models.DateField("收到起诉状/申请书副本日期", null=True, blank=True)
    defence_submitted_on = models.DateField("提交答辩/答复日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField("裁判/决定日期", null=True, blank=True)
    outcome_number = models.CharField("裁判/决定文书号", max_length=100, blank=True)
    act_changed = models.BooleanField("被告改变被诉行政行为后撤诉/撤回申请", default=False)
    effective_outcome = models.CharField("生效结果", max_length=20, choices=Outcome.choices, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        abstract = True
        ordering = ["-filed_on", "-id"]

    def __str__(self):
        return self.case_number

    @property
    def is_lost(self) -> bool:
        return self.outcome in LOST_OUTCOMES


class Litigation(ChallengeBase):
    """行政诉讼 against a county unit."""

    court = models.CharField("受理法院", max_length=120)
    instance = models.CharField("审级", max_length=10, choices=[("first", "一审"), ("second", "二审"),
                                                               ("retrial", "再审")], default="first")
    reconsideration_decision_on = models.DateField("收到复议决定书日期（经复议后起诉的）", null=True, blank=True)
    hearing_on = models.DateField("开庭日期", null=True, blank=True)
    head_appeared = models.BooleanField("负责人出庭应诉", null=True, blank=True)
    head_name = models.CharField("出庭负责人姓名", max_length=40, blank=True)
    head_post = models.CharField("出庭负责人职务", max_length=60, blank=True)
    head_absence_reason = models.CharField("负责人未出庭的正当理由", max_length=300, blank=True)
    outcome_form = models.CharField("一审裁判形式", max_length=10, choices=OutcomeForm.choices,
                                    default=OutcomeForm.JUDGMENT)
    outcome_served_on = models.DateField("一审裁判文书送达日期", null=True, blank=True)
    appeal_state = models.CharField("上诉/生效状态", max_length=10, choices=AppealState.choices,
                                    default=AppealState.NONE)
    appealed_on = models.DateField("提起上诉日期", null=True, blank=True)
    appellant = models.CharField("上诉人", max_length=200, blank=True)
    second_outcome = models.CharField("二审结果", max_length=20, choices=Outcome.choices, blank=True)
    second_outcome_on = models.DateField("二审裁判日期", null=True, blank=True)
    second_outcome_number = models.CharField("二审裁判文书号", max_length=100, blank=True)

    class Meta(ChallengeBase.Meta):
        verbose_name = "行政诉讼案件"
        verbose_name_plural = "行政诉讼案件"
        indexes = [models.Index(fields=["org", "outcome"], name="acc_lit_org_outcome"),
                   models.Index(fields=["appeal_state"], name="acc_lit_appeal_state")]

    kind = "litigation"
    kind_label = "行政诉讼"


class Reconsideration(ChallengeBase):
    """行政复议 against a county unit."""

    organ = models.CharField("复议机关", max_length=120)
    opinion_received_on = models.DateField("收到行政复议意见书日期", null=True, blank=True)
    simplified = models.BooleanField("适用简易程序", default=False,
                                     help_text="《行政复议法》第五十三条：答复期限五个工作日，三十日内作出复议决定")

    class Meta(ChallengeBase.Meta):
        verbose_name = "行政复议案件"
        verbose_name_plural = "行政复议案件"
        indexes = [models.Index(fields=["org", "outcome"], name="acc_rec_org_outcome")]

    kind = "reconsideration"
    kind_label = "行政复议"


# --- catalogues (data, editable) ----------------------------------------------------------------

class CircumstanceCategory(models.Model):
    name = models.CharField("类别", max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_local_default = models.BooleanField("本地默认", default=True)
    global_reference = True

    class Meta:
        verbose_name = "问责情形类别"
        verbose_name_plural = "问责情形类别"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Circumstance(models.Model):
    category = models.ForeignKey(CircumstanceCategory, verbose_name="类别", on_delete=models.PROTECT,
                                 related_name="items")
    code = models.CharField("编号", max_length=10, unique=True)
    name = models.CharField("问责情形", max_length=200)
    is_local_default = models.BooleanField("本地默认", default=True)
    is_active = models.BooleanField("启用", default=True)
    global_reference = True

    class Meta:
        verbose_name = "问责情形"
        verbose_name_plural = "问责情形"
        ordering = ["category__sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Method(models.Model):
    """问责方式, with the impact period the law attaches (months) and its citation."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("问责方式", max_length=40)
    group = models.CharField("类别", max_length=20)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    impact_months = models.PositiveSmallIntegerField("影响期（月）", null=True, blank=True)
    impact_citation = models.CharField("影响期依据", max_length=300, blank=True)
    custom_impact = models.BooleanField("影响期由决定机关依其规定填写", default=False)
    impact_editable = models.BooleanField("影响期可调整（预填，决定机关可依规另定并说明依据）", default=False)
    impact_is_local_default = models.BooleanField("影响期为本地默认值（未经核实）", default=False)
    restricts_promotion = models.BooleanField("影响期内不得晋升职务职级", default=False)
    restricts_title = models.BooleanField("影响期内不得晋升职称", default=False)
    restricts_commendation = models.BooleanField("影响期内不得评先评优", default=False)
    restriction_basis = models.CharField("限制依据", max_length=300, blank=True)
    global_reference = True

    class Meta:
        verbose_name = "问责方式"
        verbose_name_plural = "问责方式"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def needs_impact(self) -> bool:
        return self.impact_months is not None


class ExemptionReason(models.Model):
    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("免责情形", max_length=100)
    is_local_default = models.BooleanField("本地默认", default=True)
    global_reference = True

    class Meta:
        verbose_name = "免责情形"
        verbose_name_plural = "免责情形"
        ordering = ["id"]

    def __str__(self):
        return self.name


# --- wrong cases and backtracks ------------------------------------------------------------------

class Trigger(models.TextChoices):
    LITIGATION_LOST = "litigation_lost", "行政诉讼败诉"
    RECONSIDERATION_CORRECTED = "reconsideration_corrected", "行政复议纠错"
    SUPERVISION_FOUND = "supervision_found", "监督发现重大错案"
    HEAD_ABSENT = "head_absent", "负责人未出庭应诉"
    HIDDEN_LOSS = "hidden_loss", "隐性败诉（改变行为后撤诉）"


class WrongCaseState(models.TextChoices):
    BACKTRACKING = "backtracking", "倒查中"
    BACKTRACKED = "backtracked", "已倒查待问责"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤销认定"


class WrongCase(models.Model):
    org = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT,
                            related_name="accountability_wrong_cases")
    trigger = models.CharField("来源", max_length=30, choices=Trigger.choices)
    source_key = models.CharField("来源记录", max_length=60)
    litigation = models.ForeignKey(Litigation, verbose_name="行政诉讼", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="wrong_cases")
    reconsideration = models.ForeignKey(Reconsideration, verbose_name="行政复议", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="wrong_cases")
    finding = models.ForeignKey("supervision.Finding", verbose_name="监督发现问题", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="wrong_cases")
    major_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认为重大问题的监督员",
                                           null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enforcement_case = models.ForeignKey("enforcement.Case", verbose_name="关联执法案件", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    title = models.CharField("错案名称", max_length=300)
    opened_on = models.DateField("认定日期")
    state = models.CharField("状态", max_length=14, choices=WrongCaseState.choices,
                             default=WrongCaseState.BACKTRACKING)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    withdrawn_on = models.DateField("撤销认定日期", null=True, blank=True)
    withdrawn_reason = models.CharField("撤销认定理由", max_length=300, blank=True)
    is_typical = models.BooleanField("典型案例", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "错案"
        verbose_name_plural = "错案"
        ordering = ["-opened_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["trigger", "source_key"], name="acc_wrongcase_once")]
        indexes = [models.Index(fields=["org", "state"], name="acc_wc_org_state"),
                   models.Index(fields=["opened_on"], name="acc_wc_opened")]

    def __str__(self):
        return self.title


class BacktrackState(models.TextChoices):
    IN_PROGRESS = "in_progress", "倒查中"
    COMPLETED = "completed", "已完成"


class Backtrack(models.Model):
    org = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    wrong_case = models.OneToOneField(WrongCase, verbose_name="错案", on_delete=models.CASCADE,
                                      related_name="backtrack")
    started_on = models.DateField("开始日期")
    due = models.DateField("倒查期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    mirrored_deadline_rule = BACKTRACK_RULE  # due / due_provisional copy this tracked deadline
    completed_on = models.DateField("完成日期", null=True, blank=True)
    state = models.CharField("状态", max_length=12, choices=BacktrackState.choices,
                             default=BacktrackState.IN_PROGRESS)
    summary = models.TextField("倒查结论", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "错案倒查"
        verbose_name_plural = "错案倒查"
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return f"倒查：{self.wrong_case.title}"


class CheckKind(models.TextChoices):
    DECISION_PROCEDURE = "decision_procedure", "决策程序是否合法"
    ENFORCEMENT_BASIS = "enforcement_basis", "执法依据是否准确"
    EVIDENCE = "evidence", "证据是否充分"
    LAW_APPLICATION = "law_application", "适用法律是否正确"


class ProblemCategory(models.TextChoices):
    PROCEDURE = "procedure", "程序违法"
    AUTHORITY = "authority", "超越职权/主体不适格"
    BASIS = "basis", "依据错误"
    FACTS = "facts", "事实不清"
    EVIDENCE = "evidence", "证据不足"
    LAW = "law", "适用法律错误"
    DISCRETION = "discretion", "裁量不当"
    DOCUMENT = "document", "文书不规范"
    OTHER = "other", "其他"


class Check(models.Model):
    backtrack = models.ForeignKey(Backtrack, verbose_name="倒查", on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField("四查", max_length=20, choices=CheckKind.choices)
    has_problem = models.BooleanField("发现问题", default=False)
    finding = models.TextField("核查结论")
    checked_on = models.DateField("核查日期")

    class Meta:
        verbose_name = "四查结论"
        verbose_name_plural = "四查结论"
        ordering = ["backtrack", "kind"]
        constraints = [models.UniqueConstraint(fields=["backtrack", "kind"], name="acc_check_once")]


class Problem(models.Model):
    org = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    check_item = models.ForeignKey(Check, verbose_name="四查", on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField("四查", max_length=20, choices=CheckKind.choices)
    category = models.CharField("问题类别", max_length=12, choices=ProblemCategory.choices)
    description = models.CharField("问题描述", max_length=500)
    found_on = models.DateField("发现日期")

    objects = ScopedManager()

    class Meta:
        verbose_name = "倒查发现问题"
        verbose_name_plural = "倒查发现问题"
        ordering = ["check_item", "id"]
        indexes = [models.Index(fields=["org", "kind"], name="acc_problem_org_kind")]


# --- persons --------------------------------------------------------------------------------------

class PersonScopedQuerySet(ScopedQuerySet):
    """An individual's record: supervisors (county scope) and leaders see the persons of their
    scope; everyone else only their own record."""

    person_path = "org__path"
    self_lookups = ("user", "officer__user")

    def visible_to(self, user):
        from yifa.orgs.models import Role

        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        root = user.scope_root
        own = Q()
        prefix = getattr(self.model, "person_prefix", "")
        for lookup in self.self_lookups:
            own |= Q(**{prefix + lookup: user})
        if root is not None and user.has_role(Role.SUPERVISOR, Role.LEADER):
            return self.filter(Q(**{prefix + self.person_path + "__startswith": root.path}) | own)
        return self.filter(own)


class PersonManager(models.Manager.from_queryset(PersonScopedQuerySet)):
    pass


class Person(models.Model):
    """A cadre or officer with an accountability record: an enforcement Officer, an orgs
    User, or both (one record per officer and per user)."""

    org = models.ForeignKey(Organization, verbose_name="所在单位", on_delete=models.PROTECT,
                            related_name="accountability_persons")
    name = models.CharField("姓名", max_length=40)
    post = models.CharField("职务", max_length=60, blank=True)
    officer = models.OneToOneField("enforcement.Officer", verbose_name="执法人员", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="accountability_person")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="系统账号", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="accountability_person")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonManager()
    person_prefix = ""

    class Meta:
        verbose_name = "问责对象"
        verbose_name_plural = "问责对象"
        ordering = ["org__path", "name"]

    def __str__(self):
        return self.name


class PersonRole(models.TextChoices):
    HANDLER = "handler", "承办人"
    OFFICER = "officer", "执法人员"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人"
    APPROVER = "approver", "审批负责人"
    HEAD = "head", "单位负责人"
    OTHER = "other", "其他"


class FaultShare(models.TextChoices):
    DIRECT = "direct", "直接责任"
    PRIMARY = "primary", "主要责任"
    IMPORTANT = "important", "重要责任"
    SECONDARY = "secondary", "次要责任"


class Involvement(models.Model):
    """A person involved in the wrong case: suggested from the case record, then confirmed
    with the share of fault and reasons."""

    org = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    backtrack = models.ForeignKey(Backtrack, verbose_name="倒查", on_delete=models.CASCADE,
                                  related_name="involvements")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField("在案件中的角色", max_length=16, choices=PersonRole.choices)
    suggested = models.BooleanField("由案件记录提示", default=False)
    confirmed = models.BooleanField("已确认", default=False)
    fault_share = models.CharField("责任划分", max_length=10, choices=FaultShare.choices, blank=True)
    reasons = models.TextField("认定理由", blank=True)
    circumstance = models.ForeignKey(Circumstance, verbose_name="问责情形", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    proposed_method = models.ForeignKey(Method, verbose_name="建议问责方式", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    # 移除 keeps the row: the page goes on showing who was removed, by whom, when and why.
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="移除人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    removed_reason = models.CharField("移除理由", max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "倒查涉及人员"
        verbose_name_plural = "倒查涉及人员"
        ordering = ["backtrack", "id"]
        constraints = [models.UniqueConstraint(fields=["backtrack", "person"], name="acc_involvement_once",
                                               condition=models.Q(removed_at__isnull=True))]

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


# --- recommendation, decision, exemption ----------------------------------------------------------

class Recommendation(models.Model):
    """错案问责建议书 to the competent authority."""

    org = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(Organization, verbose_name="发文单位", on_delete=models.PROTECT, related_name="+")
    wrong_case = models.ForeignKey(WrongCase, verbose_name="错案", on_delete=models.PROTECT,
                                   related_name="recommendations")
    authority = models.CharField("有权机关", max_length=120)
    issued_on = models.DateField("印发日期")
    feedback_due = models.DateField("反馈期限")
    doc_number = models.CharField("文号", max_length=100, blank=True)
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="公文", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "错案问责建议书"
        verbose_name_plural = "错案问责建议书"
        ordering = ["-issued_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(doc_number="") | models.Q(document__isnull=False),
                                              name="acc_recommendation_number_from_document")]

    numbered_by = NumberedBy("doc_number", "document", "issuer", "accountability_recommendation")

    def __str__(self):
        return self.doc_number or f"建议书 {self.pk}"


class Decision(models.Model):
    """The competent authority's accountability decision on one person."""

    org = models.ForeignKey(Organization, verbose_name="所在单位", on_delete=models.PROTECT, related_name="+")
    wrong_case = models.ForeignKey(WrongCase, verbose_name="错案", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="decisions")
    person = models.ForeignKey(Person, verbose_name="被问责人", on_delete=models.PROTECT, related_name="decisions")
    recommendation = models.ForeignKey(Recommendation, verbose_name="问责建议书", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="decisions")
    circumstance = models.ForeignKey(Circumstance, verbose_name="问责情形", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    method = models.ForeignKey(Method, verbose_name="问责方式", on_delete=models.PROTECT, related_name="+")
    authority = models.CharField("决定机关", max_length=120)
    decided_on = models.DateField("决定日期")
    doc_number = models.CharField("决定文号", max_length=100)
    impact_from = models.DateField("影响期起", null=True, blank=True)
    impact_until = models.DateField("影响期至", null=True, blank=True)
    impact_basis = models.CharField("影响期依据", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonManager()
    person_prefix = "person__"

    class Meta:
        verbose_name = "问责决定"
        verbose_name_plural = "问责决定"
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["impact_until"], name="acc_decision_impact")]

    def __str__(self):
        return f"{self.person} {self.method}"


class Exemption(models.Model):
    org = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    wrong_case = models.OneToOneField(WrongCase, verbose_name="错案", on_delete=models.CASCADE,
                                      related_name="exemption")
    reason = models.ForeignKey(ExemptionReason, verbose_name="免责情形", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("免责说明")
    decided_on = models.DateField("认定日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = "免责认定"
        verbose_name_plural = "免责认定"


class AssessmentGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class AssessmentMark(models.Model):
    """年度考核等次 recorded as a result of accountability."""

    org = models.ForeignKey(Organization, verbose_name="所在单位", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="assessment_marks")
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("考核等次", max_length=12, choices=AssessmentGrade.choices)
    reason = models.CharField("依据/理由", max_length=300)
    wrong_case = models.ForeignKey(WrongCase, verbose_name="错案", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = PersonManager()
    person_prefix = "person__"

    class Meta:
        verbose_name = "年度考核等次"
        verbose_name_plural = "年度考核等次"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="acc_mark_once")]


class TitleEligibilityLoss(models.Model):
    """取消职称评审资格."""

    org = models.ForeignKey(Organization, verbose_name="所在单位", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="title_losses")
    from_date = models.DateField("起始日期")
    until = models.DateField("截止日期")
    reason = models.CharField("依据/理由", max_length=300)
    wrong_case = models.ForeignKey(WrongCase, verbose_name="错案", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = PersonManager()
    person_prefix = "person__"

    class Meta:
        verbose_name = "取消职称评审资格"
        verbose_name_plural = "取消职称评审资格"
        ordering = ["-from_date"]


# --- notices and education ----------------------------------------------------------------------

class Notice(models.Model):
    """季度错案通报."""

    org = models.ForeignKey(Organization, verbose_name="发文单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    title = models.CharField("标题", max_length=200)
    figures = models.JSONField("数据", default=dict)
    typical_cases = models.ManyToManyField(WrongCase, verbose_name="典型案例", blank=True, related_name="notices")
    requirements = models.TextField("工作要求")
    issued_on = models.DateField("印发日期")
    doc_number = models.CharField("文号", max_length=100, blank=True)
    document = models.ForeignKey("documents.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "错案通报"
        verbose_name_plural = "错案通报"
        ordering = ["-year", "-quarter", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(doc_number="") | models.Q(document__isnull=False),
                                              name="acc_notice_number_from_document")]

    numbered_by = NumberedBy("doc_number", "document", "org", "notice")

    def __str__(self):
        return self.title


class EducationSession(models.Model):
    """错案警示教育 (or the training ordered as a result)."""

    org = models.ForeignKey(Organization, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=[("warning", "警示教育"), ("training", "专题培训")],
                            default="warning")
    held_on = models.DateField("日期")
    units = models.ManyToManyField(Organization, verbose_name="参加单位", blank=True, related_name="+")
    attendance = models.PositiveIntegerField("参加人次")
    wrong_cases = models.ManyToManyField(WrongCase, verbose_name="相关错案", blank=True, related_name="sessions")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "警示教育"
        verbose_name_plural = "警示教育"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title
