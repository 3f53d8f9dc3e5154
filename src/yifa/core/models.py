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


class SweepRun(models.Model):
    """One run of the periodic sweep (`yifa sweep`): when, for which day, and whether every
    task finished — the administrator's home shows the last one."""

    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间")
    today = models.DateField("巡检日期")
    ok = models.BooleanField("全部完成", default=True)
    error = models.CharField("失败原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "巡检记录"
        verbose_name_plural = "巡检记录"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["-started_at"], name="sweep_run_started")]

    def __str__(self):
        return f"巡检 {self.today}"
