"""`{{ value|label:"state" }}`: the Chinese label of a code (a builtin library: no `{% load %}`).

Kinds are those of `yifa.core.labels.KINDS` (state, action, audit, rule, setting, field)."""

from django import template

from yifa.core import labels

register = template.Library()


@register.filter(name="label")
def label_filter(code, kind):
    return labels.label(code, kind)
