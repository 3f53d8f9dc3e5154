"""合法性审查 (legality review): legal advisors, their duty rota and evaluations; review
items with their rounds, three-tier assignments, structured opinions, clause-level
suggestions and the submitting unit's adoption answers; pre-review hints.

Scoping: every model has `org` (the owning unit). Review items use a custom
`visible_to`: the submitting unit's subtree sees its items, the advisor office (a unit
of kind `advisor_office`) and the supervision office see the county's, and a lawyer sees
only the items currently or previously assigned to them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from yifa.core.scoping import ScopedQuerySet
from yifa.documents.types import NumberedBy
from yifa.orgs.models import OrgKind, Role

LAWYER_ROLES = {Role.DUTY_LAWYER, Role.EXPERT_LAWYER}


def is_lawyer_only(user) -> bool:
    """Lawyers (duty/expert) without any other role see only their assigned items."""
    roles = set(user.roles)
    return bool(roles) and roles <= {str(r) for r in LAWYER_ROLES}


def county_root(user):
    """The advisor office reads the whole county's (its government's) review work."""
    org = user.org
    if org is not None and org.kind == OrgKind.ADVISOR_OFFICE:
        return org.government()
    return user.scope_root


# --- legal advisors ------------------------------------------------------------------------

class AdvisorType(models.TextChoices):
    PRACTISING_LAWYER = "practising_lawyer", "执业律师"
    LAW_SCHOLAR = "law_scholar", "法学专家"
    GOVERNMENT_LAWYER = "government_lawyer", "公职律师"


class AdvisorStatus(models.TextChoices):
    ACTIVE = "active", "在聘"
    EXPIRED = "expired", "合同期满"
    TERMINATED = "terminated", "已解聘"


class AdvisorQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False) or user.scope_root is None:
            return self.none()
        return self.filter(org__path__startswith=county_root(user).path)


class LegalAdvisor(models.Model):
    """A legal advisor (法律顾问) of a unit. `org` is the unit served; the county team
    (县政府法律顾问团) belongs to the advisor office."""

    org = models.ForeignKey("orgs.Organization", verbose_name="服务单位", on_delete=models.PROTECT,
                            related_name="legal_advisors")
    name = models.CharField("姓名", max_length=40)
    advisor_type = models.CharField("类型", max_length=24, choices=AdvisorType.choices)
    firm = models.CharField("律师事务所/院校", max_length=100, blank=True)
    license_no = models.CharField("执业证号", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    specialties = models.CharField("专业领域", max_length=200, blank=True, help_text="多个领域用“、”分隔")
    county_team = models.BooleanField("县政府法律顾问团成员", default=False)
    contract_start = models.DateField("聘期开始", null=True, blank=True)
    contract_end = models.DateField("聘期结束", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=AdvisorStatus.choices, default=AdvisorStatus.ACTIVE)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="系统账号", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="legal_advisor")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(AdvisorQuerySet)()

    class Meta:
        verbose_name = "法律顾问"
        verbose_name_plural = "法律顾问"
        ordering = ["org__path", "name", "id"]
        indexes = [
            models.Index(fields=["org", "status"], name="advisor_org_status"),
            models.Index(fields=["county_team", "status"], name="advisor_team_status"),
        ]

    def __str__(self):
        return self.name

    def specialty_list(self) -> list[str]:
        return [s.strip() for s in self.specialties.replace(",", "、").replace("，", "、").split("、") if s.strip()]


class DutyRota(models.Model):
    """坐班: which lawyer sits in the advisor office on which working day."""

    org = models.ForeignKey("orgs.Organization", verbose_name="法律顾问室", on_delete=models.PROTECT,
                            related_name="+")
    advisor = models.ForeignKey(LegalAdvisor, verbose_name="坐班律师", on_delete=models.CASCADE,
                                related_name="duties")
    date = models.DateField("坐班日期")
    note = models.CharField("备注", max_length=100, blank=True)

    objects = models.Manager.from_queryset(AdvisorQuerySet)()

    class Meta:
        verbose_name = "坐班安排"
        verbose_name_plural = "坐班安排"
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["advisor", "date"], name="unique_duty_day")]
        indexes = [models.Index(fields=["org", "date"], name="duty_org_date")]

    def __str__(self):
        return f"{self.date} {self.advisor}"


class EvaluationGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class AdvisorEvaluation(models.Model):
    """Annual evaluation of an advisor; feeds the renewal decision."""

    org = models.ForeignKey("orgs.Organization", verbose_name="服务单位", on_delete=models.PROTECT,
                            related_name="+")
    advisor = models.ForeignKey(LegalAdvisor, verbose_name="法律顾问", on_delete=models.CASCADE,
                                related_name="evaluations")
    year = models.PositiveSmallIntegerField("年度")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1)
    grade = models.CharField("等次", max_length=12, choices=EvaluationGrade.choices)
    renew = models.BooleanField("建议续聘", default=True)
    comment = models.CharField("评价意见", max_length=300, blank=True)

    objects = models.Manager.from_queryset(AdvisorQuerySet)()

    class Meta:
        verbose_name = "法律顾问年度考评"
        verbose_name_plural = "法律顾问年度考评"
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["advisor", "year"], name="unique_advisor_year")]

    def __str__(self):
        return f"{self.advisor} {self.year} {self.get_grade_display()}"


# --- review items ------------------------------------------------------------------------------

class ItemType(models.TextChoices):
    NORMATIVE_DOCUMENT = "normative_document", "行政规范性文件"
    MAJOR_DECISION = "major_decision", "重大行政决策"
    ADMINISTRATIVE_CONTRACT = "administrative_contract", "行政协议"
    OTHER = "other", "其他"


class Tier(models.TextChoices):
    FIRST = "first_review", "初审（坐班律师）"
    SECOND = "second_review", "复审（专家律师）"
    FINAL = "final_review", "终审（法律顾问室）"


TIER_ORDER = [Tier.FIRST, Tier.SECOND, Tier.FINAL]
TIER_ROLE = {Tier.FIRST: Role.DUTY_LAWYER, Tier.SECOND: Role.EXPERT_LAWYER, Tier.FINAL: Role.ADVISOR_OFFICE}
TIER_RULE = {Tier.FIRST: "review.first_review", Tier.SECOND: "review.second_review",
             Tier.FINAL: "review.final_review"}


class ItemState(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    RETURNED = "returned", "退回补正/修改"
    FIRST_REVIEW = "first_review", "初审中"
    SECOND_REVIEW = "second_review", "复审中"
    FINAL_REVIEW = "final_review", "终审中"
    OPINION_ISSUED = "opinion_issued", "已出具意见书"
    ADOPTION_RECORDED = "adoption_recorded", "已反馈采纳情况"
    CLEARED = "cleared", "准予提交集体讨论/印发"
    FILED = "filed", "已备案"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_REVIEW_STATES = (ItemState.FIRST_REVIEW, ItemState.SECOND_REVIEW, ItemState.FINAL_REVIEW)


class Conclusion(models.TextChoices):
    AGREE = "agree", "同意"
    AGREE_MODIFIED = "agree_modified", "修改后同意"
    DISAGREE = "disagree", "不同意"


class ReviewItemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False) or user.scope_root is None:
            return self.none()
        mine = Q(pk__in=Assignment.objects.filter(reviewer=user).values("item_id"))
        if is_lawyer_only(user):
            return self.filter(mine)
        return self.filter(Q(org__path__startswith=county_root(user).path) | mine)


class ItemChildQuerySet(ScopedQuerySet):
    """Rows that belong to a review item are visible exactly when the item is."""

    def visible_to(self, user):
        return self.filter(item__in=ReviewItem.objects.visible_to(user).values("pk"))


ItemChildManager = models.Manager.from_queryset(ItemChildQuerySet)


class ReviewItem(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="报送单位", on_delete=models.PROTECT,
                            related_name="review_items")
    number = models.CharField("审查编号", max_length=40, unique=True)
    title = models.CharField("事项名称", max_length=200)
    item_type = models.CharField("类型", max_length=32, choices=ItemType.choices)
    state = models.CharField("状态", max_length=24, choices=ItemState.choices, default=ItemState.SUBMITTED,
                             db_index=True)
    round = models.PositiveSmallIntegerField("审查轮次", default=1)
    specialty = models.CharField("涉及领域", max_length=40, blank=True, help_text="用于按专业选择专家律师")
    draft_text = models.TextField("送审稿文本")
    drafting_explanation = models.TextField("起草说明", blank=True)
    legal_basis = models.TextField("制定依据", blank=True)
    # materials required by the type (重大行政决策程序暂行条例 arts. 14–22, 29)
    public_participation = models.TextField("公众参与情况", blank=True)
    comment_start = models.DateField("征求意见开始日", null=True, blank=True)
    comment_end = models.DateField("征求意见截止日", null=True, blank=True)
    expert_argumentation = models.TextField("专家论证意见", blank=True)
    risk_assessment = models.TextField("风险评估报告", blank=True)
    counterparty = models.CharField("协议相对人", max_length=100, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_on = models.DateField("报送日期")
    advisor_office = models.ForeignKey("orgs.Organization", verbose_name="审查机构", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    intake_problems = models.JSONField("受理审查问题", default=list, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    issued_on = models.DateField("意见书出具日期", null=True, blank=True)
    short_review_reason = models.CharField("少于最短审查时间的理由", max_length=300, blank=True)
    needed_by = models.DateField("拟提请审议/印发日期", null=True, blank=True,
                                 help_text="重大行政决策送审时应为合法性审查留出不少于七个工作日")
    urgent_reason = models.CharField("审查时间不足七个工作日的理由（送审单位填写）", max_length=300, blank=True)
    final_conclusion = models.CharField("审查结论", max_length=16, choices=Conclusion.choices, blank=True)
    letter_number = models.CharField("意见书文号", max_length=60, blank=True)
    letter_document_id = models.IntegerField("意见书公文编号", null=True, blank=True)
    cleared_on = models.DateField("准予提交日期", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filing_number = models.CharField("备案号", max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(ReviewItemQuerySet)()

    class Meta:
        verbose_name = "合法性审查事项"
        verbose_name_plural = "合法性审查事项"
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["org", "state"], name="review_item_org_state"),
            models.Index(fields=["item_type", "submitted_on"], name="review_item_type_day"),
            models.Index(fields=["submitted_on"], name="review_item_day"),
        ]
        constraints = [models.CheckConstraint(condition=Q(letter_number="") | Q(letter_document_id__isnull=False),
                                              name="review_item_number_from_document")]

    # the 意见书 is issued by the advisor office (else the unit's government)
    numbered_by = NumberedBy("letter_number", "letter_document_id", "advisor_office", "review_opinion_letter")

    def __str__(self):
        return self.title

    @property
    def current_tier(self):
        return self.state if self.state in OPEN_REVIEW_STATES else None

    def current_assignment(self):
        tier = self.current_tier
        if tier is None:
            return None
        return self.assignments.filter(tier=tier, round=self.round, active=True).select_related("reviewer").first()

    @property
    def handler(self):
        a = self.current_assignment()
        return a.reviewer if a else None


class ReviewDraft(models.Model):
    """The draft of each round (earlier rounds stay readable)."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="drafts")
    round = models.PositiveSmallIntegerField("轮次")
    file = models.FileField("送审稿文件", upload_to="review/drafts/%Y/%m/", blank=True)
    file_name = models.CharField("原文件名", max_length=200, blank=True)
    file_kind = models.CharField("文件格式", max_length=8, blank=True)
    text = models.TextField("文本")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemChildManager()

    class Meta:
        verbose_name = "送审稿"
        verbose_name_plural = "送审稿"
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "round"], name="unique_draft_round")]


class Assignment(models.Model):
    """Who reviews a tier of a round. Recusal deactivates it and a new one is made."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="assignments")
    round = models.PositiveSmallIntegerField("轮次")
    tier = models.CharField("审级", max_length=16, choices=Tier.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人", on_delete=models.PROTECT,
                                 related_name="review_assignments")
    assigned_on = models.DateField("分配日期")
    active = models.BooleanField("有效", default=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    recused = models.BooleanField("已回避", default=False)
    recusal_reason = models.CharField("回避理由", max_length=300, blank=True)
    how = models.CharField("分配方式", max_length=40, blank=True)

    objects = ItemChildManager()

    class Meta:
        verbose_name = "审查分配"
        verbose_name_plural = "审查分配"
        ordering = ["round", "id"]
        indexes = [
            models.Index(fields=["reviewer", "active"], name="assignment_reviewer_active"),
            models.Index(fields=["item", "round", "tier"], name="assignment_item_tier"),
        ]

    def __str__(self):
        return f"{self.item} {self.get_tier_display()} {self.reviewer}"


class ReviewOpinion(models.Model):
    """One tier's structured opinion in one round."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="opinions")
    round = models.PositiveSmallIntegerField("轮次")
    tier = models.CharField("审级", max_length=16, choices=Tier.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人", on_delete=models.PROTECT,
                                 related_name="+")
    authority = models.TextField("主体权限")
    procedure = models.TextField("程序")
    content = models.TextField("内容")
    conclusion = models.CharField("结论", max_length=16, choices=Conclusion.choices)
    submitted_on = models.DateField("提出日期")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemChildManager()

    class Meta:
        verbose_name = "审查意见"
        verbose_name_plural = "审查意见"
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "round", "tier"], name="unique_opinion_tier")]

    def __str__(self):
        return f"{self.item} 第{self.round}轮 {self.get_tier_display()}：{self.get_conclusion_display()}"


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTIAL = "partial", "部分采纳"
    REJECTED = "rejected", "未采纳"


class Disposition(models.TextChoices):
    """What a later tier did with an earlier tier's suggestion."""

    KEPT = "kept", "保留"
    CHANGED = "changed", "修改"
    DROPPED = "dropped", "删除"


LIVE_DISPOSITIONS = ("", Disposition.KEPT)


class SuggestionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(opinion__item__in=ReviewItem.objects.visible_to(user).values("pk"))

    def live(self):
        """Suggestions that stand: not changed or dropped by a later tier. These, once each,
        are the 意见书's suggestions and what the unit answers."""
        return self.filter(disposition__in=LIVE_DISPOSITIONS)


SuggestionManager = models.Manager.from_queryset(SuggestionQuerySet)


class Suggestion(models.Model):
    """A clause-level suggestion (quote + suggestion + basis) and its adoption answer."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    opinion = models.ForeignKey(ReviewOpinion, on_delete=models.CASCADE, related_name="suggestions")
    clause = models.CharField("条款", max_length=60, blank=True, help_text="如 第二条第一款")
    quote = models.TextField("原文条款")
    suggestion = models.TextField("修改建议")
    basis = models.CharField("依据", max_length=300, blank=True)
    adoption = models.CharField("采纳情况", max_length=12, choices=Adoption.choices, blank=True)
    adoption_reason = models.CharField("说明/未采纳理由", max_length=300, blank=True)
    answered_on = models.DateField("反馈日期", null=True, blank=True)
    carried_from = models.ForeignKey("self", verbose_name="修改自", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="changed_into")
    disposition = models.CharField("后续审级处理", max_length=8, choices=Disposition.choices, blank=True)
    disposition_tier = models.CharField("处理审级", max_length=16, choices=Tier.choices, blank=True)

    objects = SuggestionManager()

    class Meta:
        verbose_name = "修改建议"
        verbose_name_plural = "修改建议"
        ordering = ["id"]

    def __str__(self):
        return self.suggestion[:60]


class PrecheckHint(models.Model):
    """A pre-review assistant hint, shown to the first reviewer, who can dismiss it."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="hints")
    round = models.PositiveSmallIntegerField("轮次")
    rule_code = models.CharField("规则", max_length=40)
    category = models.CharField("类别", max_length=40)
    quote = models.TextField("原文")
    explanation = models.CharField("说明", max_length=300)
    basis = models.CharField("依据", max_length=300)
    dismissed = models.BooleanField("已排除", default=False)
    dismiss_reason = models.CharField("排除理由", max_length=300, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    objects = ItemChildManager()

    class Meta:
        verbose_name = "预审提示"
        verbose_name_plural = "预审提示"
        ordering = ["round", "id"]

    def __str__(self):
        return f"{self.category}：{self.quote[:40]}"


class PrecheckCategory(models.TextChoices):
    """The pre-review corpus's labels (precheck_corpus/corpus.csv)."""

    PERMIT = "permit", "设定行政许可"
    PENALTY = "penalty", "设定行政处罚"
    COERCION = "coercion", "设定行政强制"
    FEE = "fee", "违法设定收费"
    BUSINESS = "business", "指定或限制特定经营者"
    OBLIGATION = "obligation", "减损权利或增加义务"
    DUTY = "duty", "增加权力或减少法定职责"
    NONE = "none", "合法（无问题）"


class ExampleSource(models.TextChoices):
    DISMISSAL = "dismissal", "审查人排除提示"
    REVIEWER_FINDING = "reviewer_finding", "审查人补充发现"


class PrecheckExample(models.Model):
    """A labelled clause from the reviewer's loop, to grow the pre-review corpus: a dismissed
    hint (label `none`, the dismissed category kept in `dismissed_category`) or a problem a
    reviewer found that the assistant did not flag. Visible exactly when its item is."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ReviewItem, verbose_name="审查事项", on_delete=models.CASCADE,
                             related_name="precheck_examples")
    hint = models.OneToOneField(PrecheckHint, verbose_name="预审提示", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="example")
    text = models.TextField("条款原文")
    label = models.CharField("类别", max_length=12, choices=PrecheckCategory.choices)
    dismissed_category = models.CharField("被排除的提示类别", max_length=12, choices=PrecheckCategory.choices,
                                          blank=True)
    source = models.CharField("来源", max_length=20, choices=ExampleSource.choices)
    reason = models.CharField("理由/说明", max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_on = models.DateField("日期")

    objects = ItemChildManager()

    class Meta:
        verbose_name = "预审样本"
        verbose_name_plural = "预审样本"
        ordering = ["-id"]
        indexes = [models.Index(fields=["org", "-id"], name="precheck_example_org")]

    def __str__(self):
        return f"{self.get_label_display()}：{self.text[:40]}"
