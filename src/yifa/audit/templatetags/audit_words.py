"""An audit row in words for history panels (a builtin library: no `{% load %}` needed):
`{{ e|audit_who }}`, `{{ e|audit_what }}`, `{% for c in e|audit_changes %}{{ c }}{% endfor %}`."""

from django import template

from yifa.audit import words

register = template.Library()


@register.filter
def audit_who(event):
    return words.who(event)


@register.filter
def audit_what(event):
    return words.what(event)


@register.filter
def audit_changes(event):
    return words.changes(event)
