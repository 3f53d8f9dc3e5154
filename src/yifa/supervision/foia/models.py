"""政府信息公开申请: the register of requests under the 政府信息公开条例 (2019).

`org` is the agency that received the request (the unit that must answer it); scoping
follows `org`. The requester's name (of a citizen) and phone are masked everywhere except
the detail page. Three tracked deadlines (yifa.deadlines) follow a request:
`foia.reply` (art. 33: 20 WD, +20 with approval, third-party time not counted),
`foia.correction` (art. 30: ask for a correction within 7 WD of receipt) and
`foia.third_party` (art. 32: the third party answers within 15 WD). `due` mirrors the
running reply deadline so lists filter and sort on an indexed column."""

from django.conf import settings
from django.db import models

from yifa.core.scoping import ScopedManager
from yifa.orgs.models import Organization

REPLY_RULE = "foia.reply"
CORRECTION_RULE = "foia.correction"
THIRD_PARTY_RULE = "foia.third_party"


class RequesterKind(models.TextChoices):
    CITIZEN = "citizen", "公民"
    LEGAL_PERSON = "legal_person", "法人"
    OTHER_ORG = "other_org", "其他组织"


class RequestChannel(models.TextChoices):
    """How the request arrived; it fixes the date of receipt (art. 31)."""

    IN_PERSON = "in_person", "当面提交"
    POST = "post", "邮寄"
    ONLINE = "online", "网络"
    FAX = "fax", "传真"


RECEIPT_WORDS = {  # art. 31: which day counts as 收到申请之日
    RequestChannel.IN_PERSON: "提交之日",
    RequestChannel.POST: "签收之日",
    RequestChannel.ONLINE: "双方确认之日",
    RequestChannel.FAX: "双方确认之日",
}


class RequestState(models.TextChoices):
    REGISTERED = "registered", "办理中"
    CORRECTION_REQUESTED = "correction_requested", "待申请人补正"
    CORRECTED = "corrected", "已补正（办理中）"
    CONSULTING = "consulting", "征求第三方意见中"
    REPLIED = "replied", "已答复"
    WITHDRAWN = "withdrawn", "逾期未补正（视为放弃申请）"


OPEN_STATES = (RequestState.REGISTERED, RequestState.CORRECTED, RequestState.CONSULTING,
               RequestState.CORRECTION_REQUESTED)
ANSWERABLE_STATES = (RequestState.REGISTERED, RequestState.CORRECTED)


class ReplyType(models.TextChoices):
    """答复类型 (政府信息公开条例 art. 36)."""

    PUBLISHED = "published", "已主动公开（告知获取方式）"
    DISCLOSED = "disclosed", "予以公开"
    PARTIAL = "partial", "部分公开"
    WITHHELD = "withheld", "不予公开"
    NOT_EXIST = "not_exist", "信息不存在"
    NOT_OURS = "not_ours", "不属于本机关负责公开"
    REPEATED = "repeated", "重复申请不予重复处理"
    NOT_A_REQUEST = "not_a_request", "不属于政府信息公开申请"


NEEDS_BASIS = (ReplyType.PARTIAL, ReplyType.WITHHELD)  # art. 36 (三): 说明理由和依据


class InfoRequest(models.Model):
    org = models.ForeignKey(Organization, verbose_name="受理机关", on_delete=models.PROTECT,
                            related_name="info_requests")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    requester_name = models.CharField("申请人", max_length=100)
    requester_kind = models.CharField("申请人类型", max_length=16, choices=RequesterKind.choices)
    requester_phone = models.CharField("联系电话", max_length=20)
    requester_address = models.CharField("通信地址", max_length=200, blank=True)
    content = models.TextField("申请公开的政府信息")
    channel = models.CharField("申请方式", max_length=12, choices=RequestChannel.choices)
    received_on = models.DateField("收到申请日期")
    state = models.CharField("状态", max_length=24, choices=RequestState.choices, default=RequestState.REGISTERED)
    due = models.DateField("答复期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    mirrored_deadline_rule = REPLY_RULE  # due / due_provisional copy this tracked deadline
    extended = models.BooleanField("已延长答复期限", default=False)
    # art. 30: correction
    correction_notice_on = models.DateField("告知补正日期", null=True, blank=True)
    correction_what = models.CharField("需补正的事项", max_length=500, blank=True)
    correction_due = models.DateField("补正期限", null=True, blank=True)
    corrected_on = models.DateField("收到补正申请日期", null=True, blank=True)
    withdrawn_on = models.DateField("视为放弃申请日期", null=True, blank=True)
    # art. 32: third party
    third_party = models.CharField("第三方", max_length=100, blank=True)
    third_party_asked_on = models.DateField("书面征求意见日期", null=True, blank=True)
    third_party_answered_on = models.DateField("第三方答复日期", null=True, blank=True)
    third_party_opinion = models.CharField("第三方意见", max_length=1000, blank=True)
    # art. 36: the reply
    reply_type = models.CharField("答复类型", max_length=16, choices=ReplyType.choices, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    reply_basis = models.CharField("理由和依据", max_length=1000, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "seq"], name="inforequest_number_unique")]
        indexes = [models.Index(fields=["org", "state"], name="inforequest_org_state"),
                   models.Index(fields=["received_on"], name="inforequest_received"),
                   models.Index(fields=["state", "due"], name="inforequest_state_due")]

    def __str__(self):
        return f"政府信息公开申请 {self.number}"

    @property
    def number(self) -> str:
        """年度编号: 〔2026〕12号 (per receiving unit and year)."""
        return f"〔{self.year}〕{self.seq}号"

    @property
    def masked_name(self):
        from yifa.enforcement.masking import mask_name

        return mask_name(self.requester_name) if self.requester_kind == RequesterKind.CITIZEN else self.requester_name

    @property
    def masked_phone(self):
        from yifa.enforcement.masking import mask_phone

        return mask_phone(self.requester_phone)

    @property
    def on_time(self):
        """Answered within the reply period (None while unanswered or without one)."""
        if self.replied_on is None or self.due is None:
            return None
        return self.replied_on <= self.due
