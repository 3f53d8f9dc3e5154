"""SM3 (GB/T 32905-2016) and HMAC-SM3: OpenSSL through hashlib when it has it, gmssl otherwise."""

import hashlib
import hmac


def _openssl_has_sm3() -> bool:
    try:
        hashlib.new("sm3")
    except ValueError:
        return False
    return True


_OPENSSL_SM3 = _openssl_has_sm3()


def _openssl_sm3(data: bytes) -> str | None:
    if not _OPENSSL_SM3:
        return None
    return hashlib.new("sm3", data).hexdigest()


def _pure_sm3(data: bytes) -> str:
    from gmssl import func, sm3

    return sm3.sm3_hash(func.bytes_to_list(data))


def sm3_hex(data: bytes) -> str:
    digest = _openssl_sm3(data)
    return digest if digest is not None else _pure_sm3(data)


class _PureSM3:
    """A hashlib-like SM3 object over gmssl, enough for `hmac` (update/digest/copy)."""

    name = "sm3"
    digest_size = 32
    block_size = 64

    def __init__(self, data: bytes = b""):
        self._buf = bytearray(data)

    def update(self, data: bytes) -> None:
        self._buf.extend(data)

    def copy(self):
        return _PureSM3(bytes(self._buf))

    def digest(self) -> bytes:
        return bytes.fromhex(_pure_sm3(bytes(self._buf)))

    def hexdigest(self) -> str:
        return _pure_sm3(bytes(self._buf))


def _digestmod(pure: bool):
    if pure or not _OPENSSL_SM3:
        return _PureSM3
    return "sm3"


def hmac_sm3_hex(key: bytes, data: bytes, *, pure: bool = False) -> str:
    """HMAC (RFC 2104) over SM3, keyed with `key`."""
    return hmac.new(key, data, _digestmod(pure)).hexdigest()
