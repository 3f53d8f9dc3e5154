"""Writing and verifying the audit chain."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from .hashing import sm3_hex
from .models import GENESIS_HASH, AuditEvent

_PG_LOCK_KEY = 0x79696661  # "yifa": serialises chain appends across processes on PostgreSQL


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def normalise(data):
    """JSON-safe copy (dates as ISO strings, models as ids) so hashes are reproducible."""
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def content_hash(*, created_at, actor_id, action, object_type, object_id, org_id, before, after, reason, prev_hash):
    payload = json.dumps(
        {
            "created_at": created_at.isoformat(),
            "actor_id": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "org_id": org_id,
            "before": before,
            "after": after,
            "reason": reason or "",
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return sm3_hex(payload.encode("utf-8"))


def object_type_of(obj) -> str:
    return obj._meta.label_lower


def record(actor, action: str, obj, before=None, after=None, reason: str = "") -> AuditEvent:
    """Append one event for `obj`. Must be called inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the service's transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    prev_hash = last or GENESIS_HASH
    org = getattr(obj, "org", None)
    fields = dict(
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        org_id=getattr(org, "pk", None),
        before=normalise(before),
        after=normalise(after),
        reason=reason or "",
        prev_hash=prev_hash,
    )
    digest = content_hash(**fields)
    return AuditEvent.objects.create(
        **fields,
        actor_name=(getattr(actor, "display_name", "") or getattr(actor, "username", "")) if actor else "系统",
        object_repr=str(obj)[:200],
        hash=digest,
    )


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str = ""


def verify_chain(chunk_size: int = 2000) -> VerifyResult:
    """Walk the chain in id order; report the first row whose hash or link is wrong."""
    prev_hash = GENESIS_HASH
    checked = 0
    qs = AuditEvent.objects.order_by("id").values(
        "id", "created_at", "actor_id", "action", "object_type", "object_id", "org_id",
        "before", "after", "reason", "prev_hash", "hash",
    )
    for row in qs.iterator(chunk_size=chunk_size):
        if row["prev_hash"] != prev_hash:
            return VerifyResult(False, checked, row["id"], "与上一条记录的链接不符（记录被删除或插入）")
        expected = content_hash(
            created_at=row["created_at"], actor_id=row["actor_id"], action=row["action"],
            object_type=row["object_type"], object_id=row["object_id"], org_id=row["org_id"],
            before=row["before"], after=row["after"], reason=row["reason"], prev_hash=row["prev_hash"],
        )
        if expected != row["hash"]:
            return VerifyResult(False, checked, row["id"], "内容哈希不符（记录被篡改）")
        prev_hash = row["hash"]
        checked += 1
    return VerifyResult(True, checked)
