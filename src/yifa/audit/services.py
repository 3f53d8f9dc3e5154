"""Writing and verifying the audit chain.

- `record()` appends a row signed with HMAC-SM3 (key outside the database) over all its
  columns and the previous row's hash. For scoped domain records the row also holds the
  record's full state; the state written is the one *committed*: a pre-commit hook
  (yifa.core.db) re-reads every record audited in the transaction just before the commit
  and, when a service saved it again after `record()`, updates the row's state and re-signs
  the rows this transaction appended (the chain lock is held until the commit, so they
  are all its own).
- `write_checkpoint()` appends a signed copy of the chain's head (row count, last id, head
  hash) to a file outside the database and to the log; `verify_chain()` compares the table
  with the latest checkpoint, so a truncated tail or an emptied table is caught.
- `verify_records()` compares every audited record's current row with the state its last
  audit row recorded (changes or deletions made without an audit row).
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from yifa.core.db import register_pre_commit
from yifa.core.db.bulk import JsonText, insert_rows
from yifa.core.scoping import ScopedQuerySet

from .chain import GENESIS_HASH, dump_json, row_hash
from .keys import audit_key, key_id, sign
from .models import AuditEvent

logger = logging.getLogger("yifa.audit")

_PG_LOCK_KEY = 0x79696661  # "yifa": serialises chain appends across processes on PostgreSQL
_CHUNK = 500


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)


def normalise(data):
    """JSON-safe copy (dates as ISO strings, models as ids) so hashes are reproducible."""
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


_SCALARS = (str, int, float, bool, type(None))


def normalise_flat(data: dict) -> dict:
    """`normalise()` of a dict of column values, without the JSON round trip for the
    scalars (the same result: dates as ISO strings, decimals as strings)."""
    return {k: v if type(v) in _SCALARS else (normalise(v) if isinstance(v, (dict, list, tuple)) else _default(v))
            for k, v in data.items()}


def object_type_of(obj) -> str:
    return obj._meta.label_lower


# --- tracked state -------------------------------------------------------------------

def tracks_state(model) -> bool:
    """Scoped domain records (a default manager over ScopedQuerySet: ScopedManager or an
    app's own manager built on it) carry their full state in their audit rows, except
    derived data a model declares untracked (`audit_tracks_state = False`: rollups, counters
    and snapshots the sweep or a computation rebuilds from the records)."""
    manager = model._default_manager
    return (model is not AuditEvent and getattr(model, "audit_tracks_state", True)
            and issubclass(getattr(manager, "_queryset_class", object), ScopedQuerySet))


def state_fields(model) -> list:
    """All concrete non-binary columns, except those a model declares as changing without
    an audited act (`audit_untracked_fields`, e.g. a user's last_login)."""
    skip = set(getattr(model, "audit_untracked_fields", ()))
    return [f for f in model._meta.concrete_fields
            if not isinstance(f, models.BinaryField) and f.name not in skip and f.attname not in skip]


def _state_from_row(model, row: dict) -> dict:
    return {"exists": True, "fields": normalise({f.attname: row[f.attname] for f in state_fields(model)})}


ABSENT = {"exists": False}


def current_states(model, pks, *, using="default") -> dict[str, dict]:
    """{str(pk): state} for the given primary keys as the database holds them now."""
    names = [f.attname for f in state_fields(model)]
    pk_name = model._meta.pk.attname
    out = {}
    pks = list(pks)
    for i in range(0, len(pks), _CHUNK):
        chunk = [model._meta.pk.to_python(pk) for pk in pks[i:i + _CHUNK]]
        for row in model._base_manager.using(using).filter(pk__in=chunk).values(*names):
            out[str(row[pk_name])] = _state_from_row(model, row)
    return out


def _pending(conn) -> dict:
    pending = getattr(conn, "_yifa_audit_pending", None)
    if pending is None:
        pending = conn._yifa_audit_pending = {}
    return pending


def _sign_fields(fields: dict) -> str:
    return row_hash(fields, audit_key())


def record(actor, action: str, obj, before=None, after=None, reason: str = "") -> AuditEvent:
    """Append one event for `obj`. Must be called inside the service's transaction."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the service's transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    model = obj._meta.model  # not type(obj): request.user is a lazy proxy
    state = None
    if tracks_state(model) and obj.pk is not None:
        state = current_states(model, [obj.pk]).get(str(obj.pk), ABSENT)
    org = getattr(obj, "org", None)
    fields = dict(
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=((getattr(actor, "display_name", "") or getattr(actor, "username", "")) if actor else "系统")[:80],
        action=action,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        org_id=getattr(org, "pk", None),
        before=normalise(before),
        after=normalise(after),
        reason=reason or "",
        state=state,
        key_id=key_id(),
        prev_hash=last or GENESIS_HASH,
    )
    event = AuditEvent.objects.create(**fields, hash=_sign_fields(fields))
    if state is not None:
        _pending(conn).setdefault((model._meta.label_lower, str(obj.pk)), []).append(event.pk)
    return event


def record_many(actor, action: str, model, entries: list[dict], *, states: dict | None = None,
                plain: bool = False) -> int:
    """Append one event per entry for records of `model`, set-based: the chain lock is
    taken once, the chain's head read once, every row's HMAC-SM3 computed here in chain
    order (each over the previous row's hash, exactly as `record()` does) and the rows
    inserted in one statement. Must run inside the caller's transaction,
    after the records are written and not changed again in it (their `state` is the one
    given in `states` — {str(pk): values row of `state_fields(model)`} — or read here).
    Each row's JSON (before, after, state) is serialised once, canonically, and the same
    text is signed and stored. `plain=True`: before/after hold JSON types only (str keys,
    no dates), so they skip `normalise()`.

    Entry keys: object_id, object_repr, org_id, before, after, reason (optional)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the caller's transaction")
    if not entries:
        return 0
    tracked = tracks_state(model)
    if tracked and states is None:
        states = current_states(model, [e["object_id"] for e in entries])
    elif tracked:
        names = [f.attname for f in state_fields(model)]
        states = {k: (v if "exists" in v else {"exists": True, "fields": normalise_flat({n: v[n] for n in names})})
                  for k, v in states.items()}

    def text(value):
        if value is None:
            return None
        return dump_json(value if plain else normalise(value))

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_name = ((getattr(actor, "display_name", "") or getattr(actor, "username", "")) if actor else "系统")[:80]
    kid, key = key_id(), audit_key()
    otype = model._meta.label_lower
    rows = []
    for e in entries:
        dumped = {"before": text(e.get("before")), "after": text(e.get("after")),
                  "state": dump_json(states.get(str(e["object_id"]), ABSENT)) if tracked else None}
        dumped = {k: v for k, v in dumped.items() if v is not None}
        fields = dict(
            created_at=now, actor_id=actor_id, actor_name=actor_name, action=action, object_type=otype,
            object_id=str(e["object_id"]), object_repr=str(e.get("object_repr") or "")[:200], org_id=e.get("org_id"),
            before=None, after=None, reason=e.get("reason") or "", state=None, key_id=kid, prev_hash=prev,
        )
        fields["hash"] = prev = row_hash(fields, key, dumped)
        fields.update({k: JsonText(v) for k, v in dumped.items()})
        rows.append(tuple(fields[n] for n in _ROW_NAMES))
    # ids follow the chain: one statement (COPY on PostgreSQL) inserting in list order
    return insert_rows(AuditEvent, list(_ROW_NAMES), rows)


_ROW_NAMES = ("created_at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
              "org_id", "before", "after", "reason", "state", "key_id", "prev_hash", "hash")


def _resign_from(first_id: int, *, using: str) -> None:
    """Re-sign the rows from `first_id` to the head (all appended by this transaction)."""
    events = AuditEvent.objects.using(using)
    prev = events.filter(id__lt=first_id).order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
    names = ["id", *[f.attname for f in AuditEvent._meta.concrete_fields if f.attname not in ("id", "hash")]]
    for row in events.filter(id__gte=first_id).order_by("id").values(*names):
        row["prev_hash"] = prev
        digest = _sign_fields(row)
        events.filter(id=row["id"]).update(prev_hash=prev, hash=digest, state=row["state"])
        prev = digest


def flush_pending_states(conn) -> int:
    """Pre-commit hook: give the last audit row of every record audited in this
    transaction the record's state as committed. Returns the number of rows corrected."""
    pending = getattr(conn, "_yifa_audit_pending", None)
    if not pending:
        return 0
    conn._yifa_audit_pending = {}
    using = conn.alias
    all_ids = [i for ids in pending.values() for i in ids]
    existing: dict[int, dict] = {}
    for i in range(0, len(all_ids), _CHUNK):
        # rows written inside a savepoint that was rolled back are gone: skip them
        existing.update(AuditEvent.objects.using(using).filter(id__in=all_ids[i:i + _CHUNK]).values_list("id", "state"))
    by_model: dict[str, dict[str, int]] = {}
    for (label, pk), ids in pending.items():
        alive = [i for i in ids if i in existing]
        if alive:
            by_model.setdefault(label, {})[pk] = max(alive)
    corrected: dict[int, dict] = {}
    for label, latest in by_model.items():
        model = apps.get_model(label)
        now = current_states(model, latest.keys(), using=using)
        for pk, event_id in latest.items():
            committed = now.get(pk, ABSENT)
            if existing[event_id] != committed:
                corrected[event_id] = committed
    if not corrected:
        return 0
    for event_id, state in corrected.items():
        AuditEvent.objects.using(using).filter(id=event_id).update(state=state)
    _resign_from(min(corrected), using=using)
    return len(corrected)


def _forget_pending(conn) -> None:
    conn._yifa_audit_pending = {}


register_pre_commit(flush_pending_states, on_rollback=_forget_pending)


# --- checkpoints -----------------------------------------------------------------------

def _checkpoint_path() -> Path:
    return Path(settings.YIFA_AUDIT_CHECKPOINT_FILE)


def _checkpoint_payload(cp: dict) -> bytes:
    body = {k: cp[k] for k in ("created_at", "rows", "last_id", "head_hash", "key_id")}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def chain_head() -> dict:
    agg = AuditEvent.objects.aggregate(last_id=Max("id"))
    last_id = agg["last_id"]
    return {
        "rows": AuditEvent.objects.count(),
        "last_id": last_id,
        "head_hash": AuditEvent.objects.filter(id=last_id).values_list("hash", flat=True).first() if last_id else GENESIS_HASH,
    }


def read_checkpoints(path: Path | None = None) -> list[dict]:
    path = path or _checkpoint_path()
    if not path.exists():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cp = json.loads(line)
            except json.JSONDecodeError:
                cp = {"_bad": True}
            cp["_line"] = n
            out.append(cp)
    return out


def latest_checkpoint(path: Path | None = None) -> dict | None:
    cps = read_checkpoints(path)
    return cps[-1] if cps else None


def checkpoint_is_genuine(cp: dict) -> bool:
    try:
        return cp.get("sig") == sign(_checkpoint_payload(cp))
    except (KeyError, TypeError):
        return False


def write_checkpoint(*, only_if_changed: bool = False) -> dict | None:
    """Append a signed checkpoint of the chain's head to the checkpoint file and the log.
    With `only_if_changed`, nothing is written when the head is the latest checkpoint's."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:  # a head no record() is moving right now
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        head = chain_head()
    if only_if_changed:
        last = latest_checkpoint()
        if last and checkpoint_is_genuine(last) and (last.get("rows"), last.get("last_id"), last.get("head_hash")) == (
            head["rows"], head["last_id"], head["head_hash"]
        ):
            return None
    cp = {"created_at": timezone.now().isoformat(), **head, "key_id": key_id()}
    cp["sig"] = sign(_checkpoint_payload(cp))
    path = _checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(cp, ensure_ascii=False) + "\n")
        fh.flush()
    logger.info("audit checkpoint %s", json.dumps(cp, ensure_ascii=False))
    return cp


# --- verification ----------------------------------------------------------------------

@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str = ""
    checkpoint: str = ""  # what was compared with the latest checkpoint, in words
    problems: list[str] = field(default_factory=list)


def _check_against_checkpoint(cp: dict | None) -> tuple[bool, str]:
    if cp is None:
        return True, "尚无检查点（yifa audit checkpoint 或巡检会写入），末尾删除无法比对"
    if cp.get("_bad") or not checkpoint_is_genuine(cp):
        return False, f"检查点文件第 {cp.get('_line')} 行签名不符（检查点被篡改或由其他密钥签发）"
    rows, last_id, head_hash = cp["rows"], cp["last_id"], cp["head_hash"]
    when = cp["created_at"]
    if last_id is None:
        return True, f"与检查点（{when}，0 条）一致"
    now_rows = AuditEvent.objects.filter(id__lte=last_id).count()
    at = AuditEvent.objects.filter(id=last_id).values_list("hash", flat=True).first()
    if now_rows == 0 and rows > 0:
        return False, f"审计记录被全部删除：检查点（{when}）记录了 {rows} 条，最后一条为第 {last_id} 号，现在表中第 {last_id} 号及以前没有任何记录"
    if at is None:
        return False, (f"末尾记录被删除：检查点（{when}）记录了 {rows} 条、最后一条为第 {last_id} 号，"
                       f"现在第 {last_id} 号记录不存在，第 {last_id} 号及以前只有 {now_rows} 条")
    if now_rows != rows:
        return False, f"记录条数不符：检查点（{when}）时第 {last_id} 号及以前有 {rows} 条，现在有 {now_rows} 条"
    if at != head_hash:
        return False, f"第 {last_id} 号记录的哈希与检查点（{when}）不符（该记录或之前的链被重写）"
    return True, f"与最新检查点（{when}，{rows} 条，最后一条第 {last_id} 号）一致"


def verify_chain(chunk_size: int = 2000, *, checkpoint_path: Path | None = None) -> VerifyResult:
    """Walk the chain in id order; report the first row whose signature, key or link is
    wrong; then compare the table with the latest checkpoint."""
    key = audit_key()
    kid = key_id(key)
    prev_hash = GENESIS_HASH
    checked = 0
    names = [f.attname for f in AuditEvent._meta.concrete_fields]
    result = None
    for row in AuditEvent.objects.order_by("id").values(*names).iterator(chunk_size=chunk_size):
        if row["key_id"] != kid:
            result = VerifyResult(False, checked, row["id"],
                                  f"由其他密钥签名（密钥编号 {row['key_id'] or '无（未加密钥的旧记录）'}，当前 {kid}）")
            break
        if row["prev_hash"] != prev_hash:
            result = VerifyResult(False, checked, row["id"], "与上一条记录的链接不符（记录被删除或插入）")
            break
        if row_hash(row, key) != row["hash"]:
            result = VerifyResult(False, checked, row["id"], "签名不符（记录被篡改或伪造）")
            break
        prev_hash = row["hash"]
        checked += 1
    if result is None:
        result = VerifyResult(True, checked)
    if result.problem:
        result.problems.append(f"第 {result.broken_id} 号记录：{result.problem}")
    cp_ok, cp_text = _check_against_checkpoint(latest_checkpoint(checkpoint_path))
    result.checkpoint = cp_text
    if not cp_ok:
        result.ok = False
        result.problems.append(cp_text)
    return result


@dataclass
class RecordProblem:
    object_type: str
    object_id: str
    label: str  # the model's Chinese name
    event_id: int
    kind: str  # "changed" | "deleted" | "present"
    fields: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.kind == "deleted":
            return f"{self.label} 第 {self.object_id} 号：记录已被删除，但没有删除的审计记录（最后一条审计记录为第 {self.event_id} 号）"
        if self.kind == "present":
            return f"{self.label} 第 {self.object_id} 号：审计记录（第 {self.event_id} 号）表明已删除，但记录仍存在"
        return (f"{self.label} 第 {self.object_id} 号：与最后一条审计记录（第 {self.event_id} 号）不符，"
                f"字段 {'、'.join(self.fields)} 被改动且没有审计记录")


@dataclass
class RecordsResult:
    problems: list[RecordProblem] = field(default_factory=list)
    checked: int = 0  # records compared with their last audit row
    unaudited: dict[str, int] = field(default_factory=dict)  # model label -> rows with no state-bearing audit row

    @property
    def ok(self) -> bool:
        return not self.problems


def tracked_models() -> list:
    return [m for m in apps.get_models() if tracks_state(m)]


def _latest_states(label: str, chunk_size: int):
    """Yield (object_id, event_id, state) for each record of `label`: its last audit row
    that carries a state, streaming over the (object_type, object_id, id) index."""
    qs = (AuditEvent.objects.filter(object_type=label, state__isnull=False)
          .order_by("object_id", "id").values_list("object_id", "id", "state"))
    current = None
    for object_id, event_id, state in qs.iterator(chunk_size=chunk_size):
        if current is not None and current[0] != object_id:
            yield current
        current = (object_id, event_id, state)
    if current is not None:
        yield current


def _diff_fields(model, recorded: dict, now: dict) -> list[str]:
    names = []
    by_attname = {f.attname: f for f in state_fields(model)}
    for attname in sorted(set(recorded) | set(now)):
        if recorded.get(attname) != now.get(attname):
            f = by_attname.get(attname)
            names.append(f"{f.verbose_name}（{attname}）" if f is not None else attname)
    return names


def _compare_batch(model, batch, result: "RecordsResult") -> int:
    """Compare one batch of (object_id, event_id, state); return how many records exist."""
    label, name = model._meta.label_lower, str(model._meta.verbose_name)
    present = 0
    now = current_states(model, [b[0] for b in batch])
    for object_id, event_id, state in batch:
        result.checked += 1
        cur = now.get(object_id)
        if cur is not None:
            present += 1
        if not state.get("exists"):
            if cur is not None:
                result.problems.append(RecordProblem(label, object_id, name, event_id, "present"))
            continue
        if cur is None:
            result.problems.append(RecordProblem(label, object_id, name, event_id, "deleted"))
        elif cur["fields"] != state.get("fields"):
            result.problems.append(RecordProblem(
                label, object_id, name, event_id, "changed",
                _diff_fields(model, state.get("fields") or {}, cur["fields"])))
    return present


def verify_records(chunk_size: int = 1000) -> RecordsResult:
    """Compare every tracked record with the state its last audit row recorded. Streams
    the audit rows of one model at a time and looks the records up `chunk_size` at a time."""
    result = RecordsResult()
    for model in tracked_models():
        audited_present = 0
        batch = []
        for item in _latest_states(model._meta.label_lower, chunk_size):
            batch.append(item)
            if len(batch) >= chunk_size:
                audited_present += _compare_batch(model, batch, result)
                batch = []
        if batch:
            audited_present += _compare_batch(model, batch, result)
        unaudited = model._base_manager.count() - audited_present
        if unaudited:
            result.unaudited[str(model._meta.verbose_name)] = unaudited
    return result


# --- baseline ----------------------------------------------------------------------------

BASELINE_ACTION = "audit.baseline"


def _org_id_of(obj):
    if any(f.attname == "org_id" for f in obj._meta.concrete_fields):
        return obj.org_id
    org = getattr(obj, "org", None)
    return getattr(org, "pk", None)


def baseline(*, chunk_size: int = 1000, progress=None) -> dict[str, int]:
    """Take every tracked record that has no audit row carrying its state under watch:
    append one `audit.baseline` row (actor 系统) holding its current state. Run once after
    the upgrade that introduced state tracking, and by the demo after its bulk loaders;
    from then on `verify --records` catches any unaudited change of those records.
    Streams each table by primary key, one transaction (and chain lock) per chunk."""
    out: dict[str, int] = {}
    kid = key_id()
    for model in tracked_models():
        label = model._meta.label_lower
        added = 0
        last_pk = None
        # object_repr is str(obj): join the records it usually names instead of N+1 queries
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        while True:
            qs = model._base_manager.select_related(*related).order_by("pk")
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            objs = list(qs[:chunk_size])
            if not objs:
                break
            last_pk = objs[-1].pk
            ids = [str(o.pk) for o in objs]
            watched = set(AuditEvent.objects.filter(object_type=label, object_id__in=ids, state__isnull=False)
                          .values_list("object_id", flat=True))
            todo = [o for o in objs if str(o.pk) not in watched]
            if not todo:
                continue
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cur:
                        cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
                states = current_states(model, [o.pk for o in todo])
                prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
                now = timezone.now()
                rows = []
                for o in todo:
                    fields = dict(
                        created_at=now, actor_id=None, actor_name="系统", action=BASELINE_ACTION,
                        object_type=label, object_id=str(o.pk), object_repr=str(o)[:200], org_id=_org_id_of(o),
                        before=None, after=None, reason="纳入审计比对的基准状态", state=states.get(str(o.pk), ABSENT),
                        key_id=kid, prev_hash=prev,
                    )
                    fields["hash"] = prev = _sign_fields(fields)
                    rows.append(AuditEvent(**fields))
                # one by one in chain order (ids must follow the chain); bulk_create keeps order
                AuditEvent.objects.bulk_create(rows, batch_size=500)
            added += len(rows)
        if added:
            out[str(model._meta.verbose_name)] = added
            if progress:
                progress(f"{model._meta.verbose_name}：{added} 条")
    return out
