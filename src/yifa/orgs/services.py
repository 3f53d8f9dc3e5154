"""Every write to organisations and accounts: validated, atomic, audited."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from yifa.audit.services import record
from yifa.core.errors import StaleVersion

from .models import (ALLOWED_CHILDREN, ApiToken, Organization, OrgKind, RevokeReason, Role, RoleAssignment, User,
                     hash_token_key)

ORG_FIELDS = ("name", "short_name", "code", "kind", "parent_id", "head_name", "phone", "is_active", "sort_order")
USER_FIELDS = ("username", "display_name", "org_id", "phone", "post", "email", "is_active")


def _snapshot(obj, fields):
    return {f: getattr(obj, f) for f in fields}


def _require_admin(actor, org):
    """System administrators manage units and accounts within their own scope."""
    if actor is None:  # system processes (demo loader, migrations)
        return
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以管理单位和账号。")
    root = actor.scope_root
    if org is None or not org.path.startswith(root.path):
        raise PermissionDenied("该单位不在您的管理范围内。")


def _check_parent(kind, parent):
    allowed = ALLOWED_CHILDREN.get(OrgKind(parent.kind) if parent else None, set())
    if kind not in allowed:
        parent_label = parent.get_kind_display() if parent else "顶级"
        raise ValidationError({"kind": f"“{OrgKind(kind).label}”不能设在“{parent_label}”之下。"})


def _check_version(obj, expected_version):
    if expected_version is not None and int(expected_version) != obj.version:
        raise StaleVersion("该记录已被他人修改，请刷新后重试。")


@transaction.atomic
def create_organization(*, actor, name, code, kind, parent=None, short_name="", head_name="", phone="",
                        sort_order=0, is_active=True) -> Organization:
    if parent is None and actor is not None:
        raise ValidationError({"parent": "请选择上级单位。"})
    _require_admin(actor, parent)
    if kind not in OrgKind.values:
        raise ValidationError({"kind": "未知的单位类型。"})
    _check_parent(kind, parent)
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": f"单位代码“{code}”已被使用。"})
    org = Organization(
        name=name, code=code, kind=kind, parent=parent, short_name=short_name,
        head_name=head_name, phone=phone, sort_order=sort_order, is_active=is_active,
    )
    org.full_clean(exclude=["path"])
    org.save()
    org.path = (parent.path if parent else "") + org.segment()
    org.depth = parent.depth + 1 if parent else 0
    org.save(update_fields=["path", "depth"])
    record(actor, "org.create", org, after=_snapshot(org, ORG_FIELDS))
    return org


@transaction.atomic
def update_organization(*, actor, org: Organization, expected_version=None, reason="", **changes) -> Organization:
    org = Organization.objects.select_for_update(of=("self",)).get(pk=org.pk)
    _require_admin(actor, org)
    _check_version(org, expected_version)
    before = _snapshot(org, ORG_FIELDS)
    new_parent = changes.pop("parent", org.parent)
    unknown = set(changes) - set(ORG_FIELDS)
    if unknown:
        raise ValidationError({f: "不可修改的字段。" for f in unknown})
    for field, value in changes.items():
        setattr(org, field, value)
    if "code" in changes and Organization.objects.filter(code=org.code).exclude(pk=org.pk).exists():
        raise ValidationError({"code": f"单位代码“{org.code}”已被使用。"})
    moved = (new_parent.pk if new_parent else None) != org.parent_id
    if moved:
        if new_parent is None:
            raise ValidationError({"parent": "请选择上级单位。"})
        if new_parent.path.startswith(org.path):
            raise ValidationError({"parent": "不能把单位移到它自己或它的下级单位之下。"})
        _require_admin(actor, new_parent)
    _check_parent(org.kind, new_parent)
    org.full_clean(exclude=["path", "parent"])
    if moved:
        old_path = org.path
        new_path = new_parent.path + org.segment()
        depth_delta = new_parent.depth + 1 - org.depth
        # One UPDATE rewrites the whole subtree's prefix.
        Organization.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_delta,
        )
        org.refresh_from_db(fields=["path", "depth"])
        org.parent = new_parent
    org.version += 1
    org.save()
    record(actor, "org.move" if moved else "org.update", org, before=before, after=_snapshot(org, ORG_FIELDS),
           reason=reason)
    return org


@transaction.atomic
def create_user(*, actor, username, display_name, org: Organization, roles, password, phone="", post="",
                email="", is_demo=False) -> User:
    _require_admin(actor, org)
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError({"roles": "至少分配一个角色。"})
    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise ValidationError({"roles": f"未知角色：{', '.join(bad)}"})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已存在。"})
    user = User(username=username, display_name=display_name, org=org, phone=phone, post=post, email=email,
                is_demo=is_demo)
    validate_password(password, user)
    user.set_password(password)
    user.is_staff = Role.ADMIN in roles
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles])
    record(actor, "user.create", user, after={**_snapshot(user, USER_FIELDS), "roles": roles})
    return user


@transaction.atomic
def update_user(*, actor, user: User, roles=None, expected_version=None, reason="", **changes) -> User:
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    _require_admin(actor, user.org)
    _check_version(user, expected_version)
    unknown = set(changes) - set(USER_FIELDS) - {"org"}
    if unknown:
        raise ValidationError({f: "不可修改的字段。" for f in unknown})
    before = {**_snapshot(user, USER_FIELDS), "roles": sorted(user.roles)}
    if "org" in changes:
        _require_admin(actor, changes["org"])
    for field, value in changes.items():
        setattr(user, field, value)
    if roles is not None:
        roles = sorted(set(roles))
        if not roles or any(r not in Role.values for r in roles):
            raise ValidationError({"roles": "角色无效或为空。"})
        RoleAssignment.objects.filter(user=user).exclude(role__in=roles).delete()
        existing = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles if r not in existing])
        user.is_staff = Role.ADMIN in roles
        user._roles_cache = None
    user.full_clean(exclude=["password"])
    user.version += 1
    user.save()
    after = {**_snapshot(user, USER_FIELDS), "roles": sorted(roles if roles is not None else before["roles"])}
    record(actor, "user.update", user, before=before, after=after, reason=reason)
    return user


@transaction.atomic
def set_password(*, actor, user: User, password: str) -> None:
    if actor is None or actor.pk != user.pk:
        _require_admin(actor, user.org)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])  # User.save ends the account's API tokens
    record(actor, "user.password", user, reason="修改密码（API 令牌随之作废）")


# --- API tokens -----------------------------------------------------------------------------

TOKEN_FIELDS = ("name", "prefix", "created_at", "expires_at")


@transaction.atomic
def issue_token(*, actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user` (only the user themself, or a system process). Returns the row
    and the key, which is shown once and stored only as a hash."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied("只能为自己的账号申请 API 令牌。")
    if not user.is_active:
        raise PermissionDenied("该账号已停用。")
    name = (name or "").strip()
    if len(name) > 60:
        raise ValidationError({"name": "用途最多 60 个字。"})
    key = ApiToken.new_key()
    now = timezone.now()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token_key(key), prefix=key[:8],
                                    created_at=now, expires_at=now + timedelta(days=settings.YIFA_API_TOKEN_DAYS))
    record(actor or user, "token.issue", user, after={f: getattr(token, f) for f in TOKEN_FIELDS},
           reason=f"申请 API 令牌 {token.prefix}…")
    return token, key


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    """The owner revokes one of their tokens. Another user's token is "not found"."""
    token = ApiToken.objects.select_for_update().filter(pk=token.pk, user=actor).first()
    if token is None:
        raise ApiToken.DoesNotExist("没有找到该令牌。")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = RevokeReason.OWNER
        token.save(update_fields=["revoked_at", "revoked_reason"])
        record(actor, "token.revoke", actor, reason=f"撤销 API 令牌 {token.prefix}…")
    return token
