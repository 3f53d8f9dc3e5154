"""An audit row said in words (ARCHITECTURE.md, *Words*): 谁 · 何时 · 做了什么 · 从…到….

`what(event)` is the action's Chinese label (core.labels, kind ``audit``); `changes(event)`
lists each changed value as (field name, before, after) in words: the model field's
verbose name, a choice's label, a related record's name, 是/否, dates as dates — never a
code, ``None`` or a dict."""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from yifa.core import labels

EMPTY = "（空）"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    has_before: bool  # the row recorded a value before (else it is a value set)

    def __str__(self):
        return f"{self.field}：{self.before} → {self.after}" if self.has_before else f"{self.field}：{self.after}"


def what(event) -> str:
    return labels.label(event.action, "audit")


def who(event) -> str:
    return event.actor_name or (str(event.actor) if event.actor_id else "系统")


def _model(event):
    try:
        return apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        for f in model._meta.concrete_fields:
            if f.attname == key:
                return f
    return None


def field_name(model, key: str) -> str:
    f = _field(model, key)
    if f is not None and getattr(f, "verbose_name", None):
        return str(f.verbose_name)
    return labels.label(key, "field")


def _scalar(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        try:
            if "T" in value and len(value) >= 19:
                moment = datetime.fromisoformat(value)
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return f"{moment:%Y-%m-%d %H:%M}"
            if len(value) == 10:
                return f"{date.fromisoformat(value):%Y-%m-%d}"
        except ValueError:
            pass
    return str(value)


def value_words(model, key: str, value) -> str:
    """One recorded value in words."""
    if key == "roles" and isinstance(value, list):
        return "、".join(labels.label(v, "role") for v in value) or EMPTY
    if isinstance(value, list):
        return "、".join(value_words(model, key, v) for v in value) or EMPTY
    if isinstance(value, dict):
        return "；".join(f"{field_name(model, k)}：{value_words(model, k, v)}" for k, v in value.items()) or EMPTY
    f = _field(model, key)
    if f is not None and value not in (None, ""):
        if getattr(f, "choices", None):  # a reverse relation (ManyToOneRel) has no choices
            choices = {str(k): str(v) for k, v in f.flatchoices}
            if str(value) in choices:
                return choices[str(value)]
        if isinstance(f, models.ForeignKey):
            return _related_words(f, value)
        if isinstance(f, models.BooleanField):
            return "是" if value else "否"
    if isinstance(value, str) and "rule" in key and labels.known(value, "rule"):
        return labels.label(value, "rule")
    if isinstance(value, str) and (key == "state" or key.endswith("_state") or key in ("step", "to", "from")):
        if labels.known(value, "state"):
            return labels.label(value, "state")
    return _scalar(value)


def _related_words(f, value) -> str:
    """A related record by its name (a snapshot may hold its id or, for rules, its code)."""
    related = f.related_model
    manager = related._base_manager
    obj = None
    try:
        obj = manager.filter(pk=value).first()
    except (TypeError, ValueError, ValidationError):
        pass
    if obj is None and isinstance(value, str) and any(x.name == "code" for x in related._meta.fields):
        obj = manager.filter(code=value).first()
    if obj is None:
        return f"（已删除的{related._meta.verbose_name}）"
    return str(getattr(obj, "name", None) or getattr(obj, "display_name", None) or obj)


def changes(event) -> list[Change]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    model = _model(event)
    out = []
    keys = list(after) + [k for k in before if k not in after]
    for key in keys:
        b, a = before.get(key), after.get(key)
        if key in before and key in after and b == a:
            continue
        out.append(Change(field_name(model, key),
                          value_words(model, key, b) if key in before else "",
                          value_words(model, key, a) if key in after else "（已移除）",
                          has_before=key in before))
    for name, raw in (("变更前", event.before), ("变更后", event.after)):
        if raw not in (None, {}, []) and not isinstance(raw, dict):
            out.append(Change(name, "", value_words(model, "", raw), has_before=False))
    return out
