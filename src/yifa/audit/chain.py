"""The chain's hash: HMAC-SM3 over every column of a row that is shown or relied on.

Pure functions of a row's values (no models), so the re-keying migration uses the same
code as `record()` and `verify_chain()`.
"""

import json

from .keys import sign

GENESIS_HASH = "0" * 64

# Every column except the surrogate id and the hash itself.
HASHED_FIELDS = (
    "created_at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
    "org_id", "before", "after", "reason", "state", "key_id", "prev_hash",
)


def canonical(row: dict) -> bytes:
    payload = {name: row.get(name) for name in HASHED_FIELDS}
    created_at = payload["created_at"]
    payload["created_at"] = created_at.isoformat() if hasattr(created_at, "isoformat") else created_at
    payload["object_id"] = str(payload["object_id"])
    payload["reason"] = payload["reason"] or ""
    payload["actor_name"] = payload["actor_name"] or ""
    payload["object_repr"] = payload["object_repr"] or ""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def row_hash(row: dict, key: bytes | None = None) -> str:
    return sign(canonical(row), key)
