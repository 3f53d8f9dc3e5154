"""The one registry of Chinese labels for the codes a person may see (ARCHITECTURE.md, *Words*).

Kinds of code (`KINDS`):
- ``state``   a workflow state (``served`` → 送达), also each app's other status codes;
- ``action``  a workflow action (``decide`` → 作出决定);
- ``audit``   an audit action (``penalty.decide``, ``review.submit``);
- ``rule``    a deadline rule, an online supervision rule or a precheck rule code;
- ``setting`` a setting named in the UI (``YIFA_RECTIFICATION_MAX_UPLOAD_MB``);
- ``field``   a key of an audit row's before/after that is not a model field (``on``);
- ``role``    a role (``duty_lawyer`` → 坐班律师);
- ``import``  a bulk import's kind of data and its state (``cases`` → 执法案件, ``failed``).

Workflows need no registration: every state label and transition label of every `Workflow`
is read from the workflow registry, and each transition is the audit action
``<workflow>.<action>``. Apps add the rest in their own ``labels.py`` (imported on first
use, the way `testing.py` is found), calling `register(kind, {code: label})` for fixed
codes or `register_source(kind, fn)` for codes kept as data (deadline rules in the
database: ``fn()`` returns ``{code: label}``, read again after `invalidate()`).

`label(code, kind)` never returns the bare code silently: an unknown code is logged on the
``yifa.labels`` logger (the no-internal-codes test fails on such a log line) and said as
readable words (未登记的审计操作, 未登记的状态, …)."""

import importlib
import logging
from collections.abc import Callable

from django.apps import apps

logger = logging.getLogger("yifa.labels")

KINDS = {
    "state": "状态",
    "action": "操作",
    "audit": "审计操作",
    "rule": "规则",
    "setting": "设置项",
    "field": "字段",
    "role": "角色",
    "import": "导入",
}

_STATIC: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
_SOURCES: dict[str, list[Callable[[], dict]]] = {kind: [] for kind in KINDS}
_CACHE: dict[str, dict[str, str]] = {}
_DISCOVERED = False


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown label kind {kind!r}; one of {sorted(KINDS)}")


def register(kind: str, mapping: dict) -> None:
    """Add fixed labels. A code registered twice with different labels is a mistake."""
    _check_kind(kind)
    table = _STATIC[kind]
    for code, text in mapping.items():
        code, text = str(code), str(text)
        if code in table and table[code] != text:
            raise ValueError(f"label {kind}:{code} registered twice: {table[code]!r} and {text!r}")
        table[code] = text
    _CACHE.pop(kind, None)


def register_source(kind: str, fn: Callable[[], dict] | None = None):
    """Add labels read from data; `fn()` → {code: label}, read once until `invalidate()`.
    Also a decorator: `@register_source("rule")`."""
    _check_kind(kind)
    if fn is None:
        return lambda f: register_source(kind, f)
    if fn not in _SOURCES[kind]:
        _SOURCES[kind].append(fn)
    _CACHE.pop(kind, None)
    return fn


def invalidate(kind: str | None = None) -> None:
    """Forget what sources returned (call when the data behind a source changes)."""
    if kind is None:
        _CACHE.clear()
    else:
        _CACHE.pop(kind, None)


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    _DISCOVERED = True
    for config in apps.get_app_configs():
        if config.name.startswith("yifa."):
            try:
                importlib.import_module(f"{config.name}.labels")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.labels":
                    raise


def _from_workflows(kind: str) -> dict[str, str]:
    from .workflows import registry

    out: dict[str, str] = {}
    for wf in registry().values():
        if kind == "state":
            for code, text in wf.state_labels.items():
                out.setdefault(str(code), str(text))
        for t in wf.transitions:
            if kind == "action":
                out.setdefault(t.action, t.label)
            elif kind == "audit":
                out.setdefault(f"{wf.name}.{t.action}", t.label)
    return out


def labels(kind: str) -> dict[str, str]:
    """Every known {code: label} of a kind."""
    _check_kind(kind)
    cached = _CACHE.get(kind)
    if cached is not None:
        return cached
    _discover()
    out = dict(_from_workflows(kind))
    for fn in _SOURCES[kind]:
        for code, text in (fn() or {}).items():
            out.setdefault(str(code), str(text))
    out.update(_STATIC[kind])  # an app's own words win over a workflow's default
    _CACHE[kind] = out
    return out


def known(code, kind: str) -> bool:
    return str(code) in labels(kind)


def label(code, kind: str) -> str:
    """The Chinese label of `code`; for an unknown code, readable words and a log line."""
    if code is None or code == "":
        return "—"
    code = str(code)
    table = labels(kind)
    text = table.get(code)
    if text is not None:
        return text
    logger.warning("no Chinese label for %s code %r", kind, code)
    return f"未登记的{KINDS[kind]}"


def all_codes() -> dict[str, set[str]]:
    """{kind: codes} over every registry (the no-internal-codes test forbids them on pages)."""
    return {kind: set(labels(kind)) for kind in KINDS}


def _model_states() -> dict[str, str]:
    """The choices of every yifa model's status fields (state, *_state, status, *_status)."""
    out: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("yifa."):
            continue
        for f in model._meta.concrete_fields:
            name = f.name
            if f.choices and (name in ("state", "status") or name.endswith(("_state", "_status"))):
                for code, text in f.flatchoices:
                    out.setdefault(str(code), str(text))
    return out


register_source("state", _model_states)

# keys an audit row's before/after may carry that are not fields of the record's model
register("field", {
    "on": "日期",
    "reason": "理由",
    "note": "说明",
    "count": "数量",
    "rules": "规则",
    "codes": "代码",
    "rule_code": "规则",
})
