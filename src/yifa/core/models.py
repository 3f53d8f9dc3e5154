from django.conf import settings
from django.db import models


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Notifications are personal: a user reads only their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)


class Notification(models.Model):
    LEVELS = [("info", "提示"), ("yellow", "临期"), ("red", "超期")]

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    level = models.CharField("级别", max_length=10, choices=LEVELS, default="info")
    # Idempotency: the same event never notifies the same person twice.
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="unique_notification"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


# --- background work: workers, and the sweep split into parts --------------------------------

class JobState(models.TextChoices):
    """The visible state of a background job (a sweep run or one of its parts)."""

    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class WorkerHeartbeat(models.Model):
    """A `yifa worker` process: it reports here while it lives (also while a task runs), so a
    worker on any machine can tell that another one died and recover its tasks."""

    worker_id = models.CharField("工作进程", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=100)
    pid = models.IntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近报到")

    class Meta:
        verbose_name = "后台工作进程"
        verbose_name_plural = "后台工作进程"


class SweepRun(models.Model):
    """One sweep of one interval. The unique `slot` (the interval's start) is the lock:
    however many workers try to schedule the same interval, one insert wins."""

    slot = models.DateTimeField("巡检时段", unique=True)
    today = models.DateField("业务日期")
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    parts_total = models.IntegerField("分片数", default=0)
    parts_finished = models.IntegerField("已结束分片", default=0)
    scheduled_by = models.CharField("调度进程", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)

    class Meta:
        verbose_name = "巡检"
        verbose_name_plural = "巡检"
        ordering = ["-slot"]

    def __str__(self):
        return f"巡检 {self.slot:%Y-%m-%d %H:%M}"


class SweepPart(models.Model):
    """A small task of a sweep run: the per-unit checks for a few units (`org_ids`), or one
    sweep step that works on the whole database at once (`step`)."""

    run = models.ForeignKey(SweepRun, on_delete=models.CASCADE, related_name="parts")
    step = models.CharField("步骤", max_length=80)  # "units" or a registered sweep step's name
    org_ids = models.JSONField("单位", default=list, blank=True)
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.IntegerField("执行次数", default=0)
    worker = models.CharField("工作进程", max_length=64, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "巡检分片"
        verbose_name_plural = "巡检分片"
        indexes = [models.Index(fields=["state", "started_at"], name="sweep_part_state")]
