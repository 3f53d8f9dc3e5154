"""联席会议 (joint meetings with resolutions tracked as action items) and 制度建设
(rules a unit adopts because of supervision or accountability).

A meeting belongs to (org=) the convening unit; an action item to its owner unit, so the
owner sees and completes its own items; an adopted rule to the unit that adopted it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from yifa.core import clock
from yifa.core.scoping import ScopedManager
from yifa.orgs.models import Organization


class JointMeeting(models.Model):
    org = models.ForeignKey(Organization, verbose_name="召集单位", on_delete=models.PROTECT,
                            related_name="joint_meetings")
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    location = models.CharField("地点", max_length=200, blank=True)
    participants = models.ManyToManyField(Organization, verbose_name="参会单位", blank=True,
                                          related_name="joint_meetings_attended")
    topics = models.TextField("议题", help_text="每行一项")
    minutes = models.TextField("会议纪要", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["year", "quarter"], name="meeting_year_quarter")]

    def __str__(self):
        return self.title

    def topic_items(self):
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class ActionState(models.TextChoices):
    OPEN = "open", "落实中"
    DONE = "done", "已落实"


class ActionItem(models.Model):
    """A resolution of a meeting, owned by a unit (org=) with a deadline."""

    meeting = models.ForeignKey(JointMeeting, verbose_name="联席会议", on_delete=models.CASCADE,
                                related_name="action_items")
    org = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT,
                            related_name="meeting_action_items")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="meeting_action_items")
    title = models.CharField("议定事项", max_length=300)
    due = models.DateField("完成期限")
    state = models.CharField("状态", max_length=8, choices=ActionState.choices, default=ActionState.OPEN)
    completion_note = models.TextField("落实情况", blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "会议议定事项"
        verbose_name_plural = "会议议定事项"
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["org", "state", "due"], name="meeting_action_org_state")]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        today = today or clock.today()
        if self.state == ActionState.DONE:
            return bool(self.done_on and self.done_on > self.due)
        return self.due < today


class AdoptedRule(models.Model):
    """制度建设: a rule or regulation a unit adopts because of a finding, a case, or (through
    the generic source) any other record such as an accountability wrong case."""

    org = models.ForeignKey(Organization, verbose_name="制定单位", on_delete=models.PROTECT,
                            related_name="adopted_rules")
    title = models.CharField("制度名称", max_length=200)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    adopted_on = models.DateField("印发日期")
    text = models.TextField("制度内容", blank=True)
    attachment = models.FileField("附件", upload_to="meetings/rules/%Y/", blank=True, max_length=300)
    attachment_name = models.CharField("附件原名", max_length=200, blank=True)
    finding = models.ForeignKey("supervision.Finding", verbose_name="起因问题", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="adopted_rules")
    case = models.ForeignKey("enforcement.Case", verbose_name="起因案件", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="adopted_rules")
    source_type = models.ForeignKey(ContentType, verbose_name="起因记录类型", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField("起因记录编号", null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    cause = models.CharField("起因说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "制度建设"
        verbose_name_plural = "制度建设"
        ordering = ["-adopted_on", "-id"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="adopted_rule_source")]

    def __str__(self):
        return self.title
