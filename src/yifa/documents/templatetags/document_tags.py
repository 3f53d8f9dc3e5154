"""Filters for official-document templates."""

import datetime

from django import template

from yifa.documents.content import chinese_date

register = template.Library()


@register.filter
def gb_date(value) -> str:
    """A date as GB/T 9704-2012 writes it (2027年1月4日: Arabic numerals, no leading
    zeros); empty for no date, so a document never shows “None”."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str) and value:
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return ""
    if not isinstance(value, datetime.date):
        return ""
    return chinese_date(value)
