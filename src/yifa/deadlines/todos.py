"""The home page's 待办: the user's own open deadlines that are yellow or red; for
administrators, a year whose holiday notice is awaited (to-do and banner)."""

from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Banner, Todo, register, register_banner
from yifa.orgs.models import Role

from .selectors import missing_notice_years, my_due_deadlines


def notice_text(year: int, count: int) -> str:
    return f"{year} 年放假安排尚未录入：{count} 个期限为暂定"


def _holiday_url(year: int) -> str:
    return f"{reverse('deadlines:holiday_list')}?year={year}"


@register
def missing_holiday_notice(user) -> list[Todo]:
    if not user.has_role(Role.ADMIN):
        return []
    today = clock.today()
    return [Todo(title=f"录入国务院办公厅 {year} 年放假安排（{n} 个期限为暂定）", url=_holiday_url(year),
                 module="系统管理", level="red" if year <= today.year else "yellow")
            for year, n in missing_notice_years(today, user)]


@register_banner
def missing_holiday_notice_banner(user) -> list[Banner]:
    if not user.has_role(Role.ADMIN):
        return []
    today = clock.today()
    return [Banner(text=notice_text(year, n), url=_holiday_url(year), link_text="录入放假安排",
                   level="danger" if year <= today.year else "warning")
            for year, n in missing_notice_years(today, user)]


@register
def due_deadlines(user) -> list[Todo]:
    today = clock.today()
    return [
        Todo(title=f"{d.title}（{d.rule.name}）", url=reverse("deadlines:tracked_detail", args=[d.pk]),
             module="法定期限", due=d.due, due_provisional=d.provisional, level="red" if d.due < today else "yellow")
        for d in my_due_deadlines(user, today)
    ]
