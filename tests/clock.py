"""Freezing the one clock (`yifa.core.clock.today()`) in tests: a test that needs a
particular "today" says so, so the suite passes on any real date."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


def frozen(day: date, *, tick: bool = False):
    """Context manager / decorator: the clock at 10:00 Asia/Shanghai on `day`."""
    return time_machine.travel(datetime.combine(day, time(10, 0), tzinfo=SHANGHAI), tick=tick)


def last_complete_year() -> int:
    """The last year the holiday table holds complete (the seeded calendar): tests about
    "next year's notice not entered yet" are built on it, not on the real date."""
    from yifa.deadlines.models import HolidayYear

    return max(HolidayYear.objects.filter(complete=True).values_list("year", flat=True))
