"""Text as it enters yifa: control characters removed once, at the input boundary.

Every form value, query value and JSON string a request carries passes through
`clean_text` (core.middleware.CleanInput and core.parsers.JSONParser); importers clean each
cell the same way. Tab, line feed and carriage return stay; other C0 controls, DEL and the
C1 controls go: they print as nothing, break Excel exports (openpyxl refuses them) and
can hide text in official documents."""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def clean_data(data):
    """`data` (parsed JSON) with every string, key included, cleaned."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, list):
        return [clean_data(v) for v in data]
    if isinstance(data, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean_data(v) for k, v in data.items()}
    return data
