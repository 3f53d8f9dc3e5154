"""Small input checks every service uses: a required/limited text field and the optimistic
version check (a stale version is a 409 conflict, a malformed one a 400)."""

from .errors import DomainError, StaleVersion


def text_field(value, field: str, label: str, max_len: int | None = None, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"请填写{label}。", {field: [f"请填写{label}"]})
    if max_len and len(value) > max_len:
        raise DomainError(f"{label}不能超过 {max_len} 字。", {field: [f"不能超过 {max_len} 字"]})
    return value


def check_version(obj, expected_version) -> None:
    """Refuse a write based on an older version of `obj` (None/"" means: not checked)."""
    if expected_version in (None, ""):
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError) as exc:
        raise DomainError("版本号应为整数。", {"version": ["应为整数"]}) from exc
    if expected != obj.version:
        raise StaleVersion("该记录已被他人修改，请刷新后重试。", {"version": ["版本已变化"]})
