"""The home page's 待办: the user's own open deadlines that are yellow or red; for
administrators, a year whose holiday notice is awaited (to-do, banner and a line of the
system health panel)."""

from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import Banner, Health, Todo, register, register_banner, register_health
from yifa.orgs.models import Role

from .models import HolidayYear
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
                 module="系统管理", kind="节假日日历", level="red" if year <= today.year else "yellow")
            for year, n in missing_notice_years(today, user)]


@register_banner
def missing_holiday_notice_banner(user) -> list[Banner]:
    if not user.has_role(Role.ADMIN):
        return []
    today = clock.today()
    return [Banner(text=notice_text(year, n), url=_holiday_url(year), link_text="录入放假安排",
                   level="danger" if year <= today.year else "warning")
            for year, n in missing_notice_years(today, user)]


@register_health
def calendar_health(user) -> list[Health]:
    """This year and next: is the holiday calendar complete (deadlines computed exactly)?"""
    if not user.has_role(Role.ADMIN):
        return []
    today = clock.today()
    years = [today.year, today.year + 1]
    complete = set(HolidayYear.objects.filter(year__in=years, complete=True).values_list("year", flat=True))
    out = []
    for year in years:
        if year in complete:
            out.append(Health(label=f"{year} 年节假日日历", value="已录入完整", url=_holiday_url(year)))
        else:
            # this year incomplete is an error; next year's notice usually comes in Nov./Dec.
            out.append(Health(label=f"{year} 年节假日日历", value="未录入完整，跨入该年的期限为暂定",
                              level="danger" if year == today.year else "warning", url=_holiday_url(year)))
    return out


@register
def due_deadlines(user) -> list[Todo]:
    """Bare deadlines: each names its owner record, so a record some app already lists
    (an enforcement case, a review item) is shown once, in that app's words."""
    today = clock.today()
    return [
        Todo(title=f"{d.title}（{d.rule.name}）", url=reverse("deadlines:tracked_detail", args=[d.pk]),
             module="法定期限", kind="法定期限", key=f"{d.owner_type}:{d.owner_id}", deadline_only=True,
             due=d.due, due_provisional=d.provisional, level="red" if d.due < today else "yellow")
        for d in my_due_deadlines(user, today)
    ]
