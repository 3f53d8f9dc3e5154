"""Organisations (a tree with an indexed materialised path), people and their roles."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone

from yifa.core.scoping import ScopedManager, ScopedQuerySet

PATH_SEGMENT = 8  # digits of the id in each path segment: "00000001.00000007."


class OrgKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县(区)人民政府"
    JUSTICE_BUREAU = "justice_bureau", "县司法局"
    SUPERVISION_OFFICE = "supervision_office", "行政执法监督办公室"
    DEPARTMENT = "department", "行政执法部门"
    INTERNAL_SUPERVISION_UNIT = "internal_supervision_unit", "内设监督机构"
    TOWNSHIP = "township", "乡镇(街道)"
    TOWNSHIP_LEGAL_OFFICE = "township_legal_office", "法制办公室"
    ADVISOR_OFFICE = "advisor_office", "法律顾问室"
    OTHER = "other", "其他单位"


# Which kinds may sit directly under which: the tree is province → city → county → units.
ALLOWED_CHILDREN = {
    None: {OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY},
    OrgKind.PROVINCE: {OrgKind.CITY, OrgKind.COUNTY, OrgKind.DEPARTMENT, OrgKind.JUSTICE_BUREAU, OrgKind.OTHER},
    OrgKind.CITY: {OrgKind.COUNTY, OrgKind.DEPARTMENT, OrgKind.JUSTICE_BUREAU, OrgKind.OTHER},
    OrgKind.COUNTY: {
        OrgKind.JUSTICE_BUREAU,
        OrgKind.DEPARTMENT,
        OrgKind.TOWNSHIP,
        OrgKind.ADVISOR_OFFICE,
        OrgKind.OTHER,
    },
    OrgKind.JUSTICE_BUREAU: {
        OrgKind.SUPERVISION_OFFICE,
        OrgKind.ADVISOR_OFFICE,
        OrgKind.INTERNAL_SUPERVISION_UNIT,
        OrgKind.OTHER,
    },
    OrgKind.DEPARTMENT: {OrgKind.INTERNAL_SUPERVISION_UNIT, OrgKind.OTHER},
    OrgKind.TOWNSHIP: {OrgKind.TOWNSHIP_LEGAL_OFFICE, OrgKind.OTHER},
    OrgKind.SUPERVISION_OFFICE: set(),
    OrgKind.INTERNAL_SUPERVISION_UNIT: set(),
    OrgKind.TOWNSHIP_LEGAL_OFFICE: set(),
    OrgKind.ADVISOR_OFFICE: set(),
    OrgKind.OTHER: {OrgKind.OTHER},
}

# A unit that supervises on behalf of a larger one reads that larger one's subtree:
# a department's internal supervision unit supervises the department, a township legal
# office the township, and the county supervision office the whole county.
SCOPE_LIFT = {
    OrgKind.INTERNAL_SUPERVISION_UNIT: "parent",
    OrgKind.TOWNSHIP_LEGAL_OFFICE: "parent",
    OrgKind.SUPERVISION_OFFICE: "government",
}
GOVERNMENT_KINDS = (OrgKind.COUNTY, OrgKind.CITY, OrgKind.PROVINCE)


class Organization(models.Model):
    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    code = models.CharField("单位代码", max_length=32, unique=True, help_text="统一社会信用代码或内部编码")
    kind = models.CharField("单位类型", max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    head_name = models.CharField("负责人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.IntegerField("排序", default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path")]

    def __str__(self):
        return self.name

    @property
    def org(self):
        return self

    def segment(self) -> str:
        return f"{self.pk:0{PATH_SEGMENT}d}."

    def ancestors(self):
        ids = [int(s) for s in self.path.split(".") if s][:-1]
        by_id = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def descendants(self, include_self=True):
        qs = Organization.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_descendant_of(self, other) -> bool:
        return self.path.startswith(other.path)

    def government(self):
        """The nearest county/city/province node at or above this unit."""
        if self.kind in GOVERNMENT_KINDS:
            return self
        for org in reversed(self.ancestors()):
            if org.kind in GOVERNMENT_KINDS:
                return org
        return self

    def scope_root(self):
        lift = SCOPE_LIFT.get(self.kind)
        if lift == "parent" and self.parent_id:
            return self.parent
        if lift == "government":
            return self.government()
        return self


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    SUPERVISOR = "supervisor", "监督员"
    DEPARTMENT_LEGAL_OFFICER = "department_legal_officer", "部门法制员"
    TOWNSHIP_LEGAL_OFFICER = "township_legal_officer", "乡镇法制员"
    OFFICER = "officer", "执法人员"
    DUTY_LAWYER = "duty_lawyer", "坐班律师"
    EXPERT_LAWYER = "expert_lawyer", "专家律师"
    ADVISOR_OFFICE = "advisor_office", "法律顾问室"
    LEADER = "leader", "领导"


class UserQuerySet(ScopedQuerySet):
    def with_role(self, role):
        return self.filter(role_assignments__role=role)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=40)
    org = models.ForeignKey(Organization, verbose_name="所属单位", on_delete=models.PROTECT, related_name="users")
    phone = models.CharField("手机号", max_length=20, blank=True)
    post = models.CharField("职务", max_length=40, blank=True)
    is_demo = models.BooleanField("演示账号", default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = UserManager()
    # changes at every sign-in, which is not an audited act (yifa.audit.services.state_fields)
    audit_untracked_fields = ("last_login",)
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["org__path", "username"]

    def __str__(self):
        return f"{self.display_name or self.username}"

    @property
    def roles(self) -> set[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = {ra.role for ra in self.role_assignments.all()}
            self._roles_cache = cached
        return cached

    def has_role(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in Role.values if r in self.roles]

    def save(self, *args, **kwargs):
        # Every way a password changes (the services, the admin, `changepassword`, Django's
        # forms) goes through set_password() + save(); every way an account is disabled sets
        # is_active. Both end the account's API tokens here, once, whatever the path.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.revoke_for(self, RevokeReason.PASSWORD)
        if not self.is_active and self.pk is not None:
            ApiToken.objects.revoke_for(self, RevokeReason.DISABLED)

    @property
    def scope_root(self):
        cached = getattr(self, "_scope_root_cache", None)
        if cached is None and self.org_id:
            cached = self.org.scope_root()
            self._scope_root_cache = cached
        return cached


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]
        indexes = [models.Index(fields=["role", "user"], name="role_user")]

    def __str__(self):
        return self.get_role_display()


class RevokeReason(models.TextChoices):
    OWNER = "owner", "本人撤销"
    PASSWORD = "password", "密码已修改"
    DISABLED = "disabled", "账号已停用"


def hash_token_key(key: str) -> str:
    """Tokens are stored as their SHA-256: a copy of the table signs no one in."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def revoke_for(self, user, reason) -> int:
        return self.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_reason=reason)


class ApiToken(models.Model):
    """An API token (Authorization: Token …). A user may hold several (one per script or
    system); each expires after YIFA_API_TOKEN_DAYS and ends when the password changes or the
    account is disabled. Only the hash of the key is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="账号")
    name = models.CharField("用途", max_length=60, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("令牌开头", max_length=8, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=16, choices=RevokeReason.choices, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_revoked")]

    def __str__(self):
        return f"{self.prefix}…（{self.name or '未命名'}）"

    @staticmethod
    def new_key() -> str:
        return secrets.token_hex(20)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return f"已撤销（{self.get_revoked_reason_display()}）"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "有效"
