from django.conf import settings
from django.db import models

from yifa.core.scoping import ScopedManager

from .chain import GENESIS_HASH  # noqa: F401  (re-exported: callers import it from models)


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One audit row. Rows are never updated or deleted; each carries an HMAC-SM3 of all
    its columns and of the previous row's hash, keyed with a secret kept outside the
    database, so an altered, inserted or removed row breaks the chain; signed checkpoints
    of the head, kept outside the table, catch a truncated tail."""

    created_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=80, blank=True)
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="所属单位", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    reason = models.TextField("原因", blank=True)
    # The full tracked state of the record as committed with this event ({"exists": true,
    # "fields": {...}} or {"exists": false}); null for records whose state is not tracked
    # and for rows written before state tracking existed.
    state = models.JSONField("提交后状态", null=True, blank=True)
    # Which key signed this row (a public name of the key, see keys.key_id).
    key_id = models.CharField("密钥编号", max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="audit_object")]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除。")
