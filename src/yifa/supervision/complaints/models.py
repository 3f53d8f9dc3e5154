"""投诉举报: complaints and reports from the public, staff entry and 12345 hotline transfers.

`org` is the unit responsible for the complaint: at receipt the unit complained about
(`subject_unit`), after routing the unit the supervisor assigned. Scoping follows `org`.
Personal data (name, phone, ID number) is masked everywhere except the detail page."""

from django.conf import settings
from django.db import models

from yifa.core.scoping import ScopedManager
from yifa.orgs.models import Organization

REPLY_RULE = "complaint.reply"


class ComplaintSource(models.TextChoices):
    ONLINE = "online", "网上"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    PHONE = "phone", "电话"
    HOTLINE = "hotline", "12345热线"


class ComplaintCategory(models.TextChoices):
    INACTION = "inaction", "执法不作为"
    ARBITRARY = "arbitrary", "乱执法、乱作为"
    FINE = "fine", "乱罚款、乱收费"
    PROCEDURE = "procedure", "执法程序违法"
    CONDUCT = "conduct", "执法态度、作风问题"
    OTHER = "other", "其他"


class ComplaintState(models.TextChoices):
    RECEIVED = "received", "已接收"
    ROUTED = "routed", "已转办"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    REJECTED = "rejected", "不予受理"


class Complaint(models.Model):
    org = models.ForeignKey(Organization, verbose_name="承办单位", on_delete=models.PROTECT,
                            related_name="complaints")
    subject_unit = models.ForeignKey(Organization, verbose_name="被投诉单位", on_delete=models.PROTECT,
                                     related_name="complaints_about")
    query_code = models.CharField("查询码", max_length=16, unique=True)
    source = models.CharField("来源", max_length=10, choices=ComplaintSource.choices)
    hotline_ticket = models.CharField("12345工单号", max_length=40, blank=True)
    complainant_name = models.CharField("投诉人姓名", max_length=50)
    complainant_phone = models.CharField("联系电话", max_length=20)
    complainant_id_no = models.CharField("身份证号码", max_length=18, blank=True)
    category = models.CharField("投诉类别", max_length=12, choices=ComplaintCategory.choices)
    content = models.TextField("投诉内容")
    attachment = models.FileField("附件", upload_to="complaints/%Y/%m/", blank=True, max_length=300)
    attachment_name = models.CharField("附件原名", max_length=200, blank=True)
    attachment_type = models.CharField("附件类型", max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField("附件大小", null=True, blank=True)
    received_on = models.DateField("接收日期")
    state = models.CharField("状态", max_length=10, choices=ComplaintState.choices, default=ComplaintState.RECEIVED)
    routed_on = models.DateField("转办日期", null=True, blank=True)
    route_note = models.CharField("转办意见", max_length=500, blank=True)
    due = models.DateField("办理期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    mirrored_deadline_rule = REPLY_RULE  # due / due_provisional copy this tracked deadline
    reply = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    reject_reason = models.CharField("不予受理理由", max_length=500, blank=True)
    finding = models.ForeignKey("supervision.Finding", verbose_name="转为监督问题", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="complaints")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["hotline_ticket"], condition=~models.Q(hotline_ticket=""),
                                               name="complaint_hotline_ticket_unique")]
        indexes = [models.Index(fields=["org", "state"], name="complaint_org_state"),
                   models.Index(fields=["received_on"], name="complaint_received")]

    def __str__(self):
        return f"投诉举报 {self.query_code}"

    @property
    def masked_name(self):
        from yifa.enforcement.masking import mask_name

        return mask_name(self.complainant_name)

    @property
    def masked_phone(self):
        from yifa.enforcement.masking import mask_phone

        return mask_phone(self.complainant_phone)

    @property
    def masked_id_no(self):
        from yifa.enforcement.masking import mask_id

        return mask_id(self.complainant_id_no)
