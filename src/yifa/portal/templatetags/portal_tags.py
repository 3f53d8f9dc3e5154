"""The portal frame for any public page: `{% portal_chrome as portal %}` gives the site
name, the menu links and the footer lines (see selectors.chrome)."""

from django import template

from yifa.portal import selectors

register = template.Library()


@register.simple_tag
def portal_chrome() -> dict:
    return selectors.chrome()
