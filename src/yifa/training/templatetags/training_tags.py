from django import template

from ..tables import cert_badge as _cert_badge

register = template.Library()


@register.simple_tag
def cert_badge(state):
    return _cert_badge(state)
