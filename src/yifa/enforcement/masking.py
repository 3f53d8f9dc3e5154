"""Masking personal data for publicity (公示): names as 张*, ID numbers and phones partly
hidden, addresses truncated. Organisations' names are public and stay as they are."""

import re


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id(value: str) -> str:
    value = (value or "").strip()
    if len(value) <= 4:
        return "*" * len(value)
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_phone(value: str) -> str:
    digits = (value or "").strip()
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_address(value: str, keep: int = 6) -> str:
    value = (value or "").strip()
    if len(value) <= keep:
        return value[:max(0, keep // 2)] + ("…" if value else "")
    return value[:keep] + "…"


ID_RE = re.compile(r"\d{15,17}[\dXx]")
PHONE_RE = re.compile(r"1[3-9]\d{9}")


def mask_text(text: str, *, names=()) -> str:
    """Mask ID numbers, mobile phones and the given names inside free text."""
    text = ID_RE.sub(lambda m: mask_id(m.group(0)), text or "")
    text = PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
    for n in names:
        if n and len(n) >= 2:
            text = text.replace(n, mask_name(n))
    return text


def masked_party(case) -> dict:
    individual = case.party_kind == "individual"
    name = mask_name(case.party_name) if individual else case.party_name
    return {
        "party_name": name,
        "party_id_no": mask_id(case.party_id_no),
        "party_phone": mask_phone(case.party_phone),
        "party_address": mask_address(case.party_address),
        "facts": mask_text(case.facts, names=[case.party_name] if individual else []),
    }
