"""Template filters for due dates (a builtin library: no `{% load %}` needed).

`{{ d|due }}` shows a deadline's (or a mirroring owner's) due date, with a 暂定 badge when
it is provisional; `{{ d|due_plain }}` is the same as text (tables, exports, titles)."""

from django import template
from django.utils.html import format_html

from yifa.deadlines.words import due_text, is_provisional

register = template.Library()

PROVISIONAL_TITLE = "该年度放假安排尚未录入，届满日按法定节日暂定，录入后自动重新计算"


@register.filter
def due(obj):
    value = getattr(obj, "due", None)
    if value is None:
        return "—"
    if is_provisional(obj):
        year = getattr(obj, "waiting_for_year", None)
        title = f"{PROVISIONAL_TITLE}（待 {year} 年）" if year else PROVISIONAL_TITLE
        return format_html('{} <span class="badge text-bg-warning provisional" title="{}">暂定</span>',
                           f"{value:%Y-%m-%d}", title)
    return f"{value:%Y-%m-%d}"


@register.filter
def due_plain(obj):
    return due_text(obj)
