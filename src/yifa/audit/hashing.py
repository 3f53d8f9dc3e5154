"""SM3 (GB/T 32905-2016): OpenSSL through hashlib when it has it, gmssl otherwise."""

import hashlib


def _openssl_sm3(data: bytes) -> str | None:
    try:
        return hashlib.new("sm3", data).hexdigest()
    except ValueError:
        return None


def _pure_sm3(data: bytes) -> str:
    from gmssl import func, sm3

    return sm3.sm3_hash(func.bytes_to_list(data))


def sm3_hex(data: bytes) -> str:
    digest = _openssl_sm3(data)
    return digest if digest is not None else _pure_sm3(data)
