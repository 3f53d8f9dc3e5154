"""Key the audit chain (HMAC-SM3) and hash every column; add `state` and `key_id`.

The existing rows were chained with an unkeyed SM3 over some of their columns. This
migration first verifies that old chain with the old rule and refuses to go on if it is
broken (re-signing a tampered chain would launder the tampering: restore a backup or
investigate first). Then it re-signs every row, in id order, with the installation's key
over all columns. Old rows get `state = null` (their records' state was not tracked).
"""

import json

from django.db import migrations, models

GENESIS_HASH = "0" * 64


def _legacy_hash(row):
    from yifa.audit.hashing import sm3_hex

    payload = json.dumps(
        {
            "created_at": row["created_at"].isoformat(),
            "actor_id": row["actor_id"],
            "action": row["action"],
            "object_type": row["object_type"],
            "object_id": str(row["object_id"]),
            "org_id": row["org_id"],
            "before": row["before"],
            "after": row["after"],
            "reason": row["reason"] or "",
            "prev_hash": row["prev_hash"],
        },
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return sm3_hex(payload.encode("utf-8"))


def rekey(apps, schema_editor):
    from yifa.audit.chain import row_hash
    from yifa.audit.keys import audit_key, key_id

    AuditEvent = apps.get_model("audit", "AuditEvent")
    db = schema_editor.connection.alias
    rows = AuditEvent.objects.using(db)
    if not rows.exists():
        return
    names = ["id", "created_at", "actor_id", "actor_name", "action", "object_type", "object_id",
             "object_repr", "org_id", "before", "after", "reason", "prev_hash", "hash"]
    def pages():
        # keyset pagination, not an open cursor: the second pass updates the table it reads
        last = 0
        while True:
            page = list(rows.filter(id__gt=last).order_by("id").values(*names)[:2000])
            if not page:
                return
            yield from page
            last = page[-1]["id"]

    prev = GENESIS_HASH
    for row in pages():
        if row["prev_hash"] != prev or _legacy_hash(row) != row["hash"]:
            raise RuntimeError(
                f"审计链在第 {row['id']} 号记录处已断裂，拒绝用新密钥重新签名（那会掩盖篡改）。"
                f"请先从备份恢复或查明原因。 (audit chain already broken at row id={row['id']}; "
                "refusing to re-key it)"
            )
        prev = row["hash"]
    key = audit_key()
    kid = key_id(key)
    prev = GENESIS_HASH
    batch = []
    for row in pages():
        row.update(state=None, key_id=kid, prev_hash=prev)
        row["hash"] = row_hash(row, key)
        prev = row["hash"]
        batch.append(AuditEvent(id=row["id"], state=None, key_id=kid, prev_hash=row["prev_hash"], hash=row["hash"]))
        if len(batch) >= 1000:
            AuditEvent.objects.using(db).bulk_update(batch, ["key_id", "prev_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.using(db).bulk_update(batch, ["key_id", "prev_hash", "hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="state",
            field=models.JSONField(blank=True, null=True, verbose_name="提交后状态"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16, verbose_name="密钥编号"),
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
