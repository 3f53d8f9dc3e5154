"""The audit chain key: HMAC-SM3 needs a secret that is not in the database.

Taken from the setting `YIFA_AUDIT_KEY` (env var), else from the key file
`YIFA_AUDIT_KEY_FILE` (default `var/audit.key`). Outside production a missing key file is
created with a random key on first use (the demo and development); in production the
settings refuse to start without one (see settings.py).
"""

import os
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .hashing import hmac_sm3_hex

_lock = threading.Lock()
_file_cache: dict[str, bytes] = {}


def _read_or_create(path: Path) -> bytes:
    cached = _file_cache.get(str(path))
    if cached is not None:
        return cached
    with _lock:
        if not path.exists():
            if getattr(settings, "PRODUCTION", False):
                raise ImproperlyConfigured(f"审计链密钥文件不存在：{path}（生产环境须设置 YIFA_AUDIT_KEY 或 YIFA_AUDIT_KEY_FILE）")
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting together do not overwrite each other's key
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_hex(32) + "\n")
        key = path.read_text(encoding="utf-8").strip().encode("utf-8")
        if len(key) < 32:
            raise ImproperlyConfigured(f"审计链密钥过短（至少 32 个字符）：{path}")
        _file_cache[str(path)] = key
        return key


def audit_key() -> bytes:
    value = getattr(settings, "YIFA_AUDIT_KEY", "") or ""
    if value:
        if len(value) < 32:
            raise ImproperlyConfigured("YIFA_AUDIT_KEY 过短（至少 32 个字符）")
        return value.encode("utf-8")
    return _read_or_create(Path(settings.YIFA_AUDIT_KEY_FILE))


def key_id(key: bytes | None = None) -> str:
    """A short public name of the key (an HMAC of a constant): tells rows signed with
    another key apart without revealing anything about the key."""
    return hmac_sm3_hex(key or audit_key(), b"yifa-audit-key-id")[:16]


def sign(data: bytes, key: bytes | None = None) -> str:
    return hmac_sm3_hex(key or audit_key(), data)
