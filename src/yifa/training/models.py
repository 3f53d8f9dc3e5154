"""队伍建设: training sessions (培训), attendance with the hours credited (学时), and the
required hours per year.

Hours are computed from attendance: an officer's hours in a year are the sum of the
hours credited by the sessions they attended that year. `Attendance` carries denormalised
copies of the attendee's unit (`org`, for scoping: a unit sees its own people's records)
and of the session's date (`held_on`), so that per-officer and per-unit yearly sums are
index range scans.

Certificates (执法证) live on `enforcement.Officer`; their status (valid, expiring within
90 / 30 days, invalid) is computed from `valid_from`, `valid_to` and `status` by the
selectors, never stored here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from yifa.core.scoping import ScopedManager
from yifa.orgs.models import Organization


class TrainingKind(models.TextChoices):
    LAW = "law", "法律知识"
    BUSINESS = "business", "执法业务"
    WARNING = "warning", "警示教育"
    ETHICS = "ethics", "职业道德"
    SKILLS = "skills", "执法技能"
    OTHER = "other", "其他"


class Training(models.Model):
    """培训: one session organised by a unit."""

    org = models.ForeignKey(Organization, verbose_name="组织单位", on_delete=models.PROTECT,
                            related_name="trainings")
    title = models.CharField("培训名称", max_length=200)
    kind = models.CharField("培训类型", max_length=12, choices=TrainingKind.choices, default=TrainingKind.LAW)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    location = models.CharField("地点", max_length=200, blank=True)
    trainer = models.CharField("授课人", max_length=100, blank=True)
    targets = models.ManyToManyField(Organization, verbose_name="参训单位", blank=True,
                                     related_name="trainings_targeted")
    description = models.TextField("培训内容", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "培训"
        verbose_name_plural = "培训"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "held_on"], name="trn_training_org_day")]

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "出席"
    ABSENT = "absent", "缺席"


class Attendance(models.Model):
    """One person's attendance at one session: an enforcement officer or a staff user."""

    training = models.ForeignKey(Training, verbose_name="培训", on_delete=models.CASCADE, related_name="attendances")
    officer = models.ForeignKey("enforcement.Officer", verbose_name="执法人员", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="training_attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="工作人员", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="training_attendances")
    org = models.ForeignKey(Organization, verbose_name="参训人员单位", on_delete=models.PROTECT,
                            related_name="training_attendances")
    status = models.CharField("出勤", max_length=10, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.ATTENDED)
    hours_credited = models.DecimalField("认定学时", max_digits=5, decimal_places=1, default=0)
    held_on = models.DateField("培训日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "培训出勤"
        verbose_name_plural = "培训出勤"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "officer"], condition=Q(officer__isnull=False),
                                    name="trn_att_training_officer"),
            models.UniqueConstraint(fields=["training", "user"], condition=Q(user__isnull=False),
                                    name="trn_att_training_user"),
            models.CheckConstraint(condition=Q(officer__isnull=False, user__isnull=True)
                                   | Q(officer__isnull=True, user__isnull=False), name="trn_att_one_attendee"),
        ]
        indexes = [models.Index(fields=["officer", "held_on"], name="trn_att_officer_day"),
                   models.Index(fields=["org", "held_on"], name="trn_att_org_day")]

    def __str__(self):
        who = self.officer.name if self.officer_id else (self.user.display_name if self.user_id else "?")
        return f"{who}：{self.training}"

    @property
    def attendee_name(self):
        if self.officer_id:
            return self.officer.name
        return self.user.display_name or self.user.username if self.user_id else ""


class HoursRequirement(models.Model):
    """Required training hours per officer for one year, set by a unit for the officers of
    its subtree (the nearest unit's setting wins; without any, YIFA_TRAINING_REQUIRED_HOURS,
    default 60)."""

    org = models.ForeignKey(Organization, verbose_name="设定单位", on_delete=models.PROTECT,
                            related_name="training_requirements")
    year = models.PositiveSmallIntegerField("年度")
    hours = models.DecimalField("年度应修学时", max_digits=5, decimal_places=1)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "年度学时要求"
        verbose_name_plural = "年度学时要求"
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="trn_requirement_org_year")]

    def __str__(self):
        return f"{self.org} {self.year} 年 {self.hours} 学时"
