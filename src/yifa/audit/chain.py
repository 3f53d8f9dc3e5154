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


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_encode_str = json.encoder.encode_basestring  # what the encoder above writes for a str (ensure_ascii=False)


def dump_json(value) -> str:
    """The canonical JSON text of a value: sorted keys, no spaces, UTF-8 as is (what
    json.dumps with these options writes; one encoder, not one per call)."""
    return _ENCODER.encode(value)


_SORTED_FIELDS = sorted(HASHED_FIELDS)
_KEY_TEXT = {name: dump_json(name) + ":" for name in HASHED_FIELDS}


def _value_text(value) -> str:
    """dump_json() of one value, with the encoder's own rules for its scalars inlined."""
    if value is None:
        return "null"
    if type(value) is str:
        return _encode_str(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    return _ENCODER.encode(value)


def canonical(row: dict, dumped: dict[str, str] | None = None) -> bytes:
    """The signed bytes of a row. `dumped` may give the canonical JSON text (`dump_json`)
    of some of its values (before/after/state, already serialised for the database): the
    result is byte for byte the same, the payload is assembled around them instead of
    serialising them again (json.dumps with sort_keys writes each key, ":", the value's
    own canonical text, in sorted key order)."""
    payload = {name: row.get(name) for name in HASHED_FIELDS}
    created_at = payload["created_at"]
    payload["created_at"] = created_at.isoformat() if hasattr(created_at, "isoformat") else created_at
    payload["object_id"] = str(payload["object_id"])
    payload["reason"] = payload["reason"] or ""
    payload["actor_name"] = payload["actor_name"] or ""
    payload["object_repr"] = payload["object_repr"] or ""
    if not dumped:
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    parts = [_KEY_TEXT[name] + (dumped[name] if name in dumped else _value_text(payload[name]))
             for name in _SORTED_FIELDS]
    return ("{" + ",".join(parts) + "}").encode("utf-8")


def row_hash(row: dict, key: bytes | None = None, dumped: dict[str, str] | None = None) -> str:
    return sign(canonical(row, dumped), key)
