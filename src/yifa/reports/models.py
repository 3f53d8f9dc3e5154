"""Rollups the leader dashboard reads (never the source tables)."""

from django.db import models

from yifa.core.scoping import ScopedManager
from yifa.orgs.models import Organization


class FigureRollup(models.Model):
    """One figure's value for one unit and month (snapshot figures: as of the rollup day,
    stamped with that day's month). Rebuilt by the sweep (trailing months) and by
    `yifa rollups`; see `reports.figures`."""

    org = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    code = models.CharField("指标", max_length=48)
    month = models.DateField("月份")
    value = models.DecimalField("数值", max_digits=14, decimal_places=1, default=0)

    objects = ScopedManager()
    # derived data, not a record of an act: no state in audit rows (a rollup the sweep rebuilds from the records)
    audit_tracks_state = False

    class Meta:
        verbose_name = "指标月度汇总"
        verbose_name_plural = "指标月度汇总"
        constraints = [models.UniqueConstraint(fields=["org", "code", "month"], name="rep_rollup_once")]
        indexes = [models.Index(fields=["code", "month"], name="rep_rollup_code_month")]

    def __str__(self):
        return f"{self.org_id} {self.code} {self.month:%Y-%m} = {self.value}"


class RollupRun(models.Model):
    """When the rollups were last rebuilt and over which months (shown on the dashboard)."""

    ran_at = models.DateTimeField("汇总时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    full = models.BooleanField("全量重建", default=True)
    as_of = models.DateField("统计日")
    months_from = models.DateField("起始月份")
    months_to = models.DateField("截止月份")
    rows = models.PositiveIntegerField("汇总行数", default=0)
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = "汇总记录"
        verbose_name_plural = "汇总记录"
        ordering = ["-ran_at"]
