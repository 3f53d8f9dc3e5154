"""Quarterly duties (每季度一次): the speech has the county hold a 联席会议 and issue a
错案通报 every quarter. A quarter's duty falls due on its last working day: a quarter that
ends on a weekend or a public holiday (2023's third quarter ends in the Mid-Autumn/National
Day break) must be done by the working day before, so the reminder counts back over rest
days with the holiday table, never forward into the next quarter."""

from dataclasses import dataclass
from datetime import date, timedelta

# The current quarter is reminded of from this many days before its last working day.
REMIND_DAYS_BEFORE = 30


def quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def previous(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def last_working_day(year: int, quarter: int, cal=None) -> date:
    """The quarter's last working day (rest days and holidays at its end counted back)."""
    from .engine import db_calendar

    cal = cal or db_calendar()
    start, d = bounds(year, quarter)
    while d > start and not cal.is_working_day(d):
        d -= timedelta(days=1)
    return d


def label(year: int, quarter: int) -> str:
    return f"{year}年第{'一二三四'[quarter - 1]}季度"


@dataclass(frozen=True)
class MissingQuarter:
    year: int
    quarter: int
    due: date  # the quarter's last working day
    past: bool  # the quarter is over

    @property
    def label(self) -> str:
        return label(self.year, self.quarter)


def missing(today: date, held: set[tuple[int, int]], cal=None) -> list[MissingQuarter]:
    """The quarters whose duty is not done as of `today`: the last complete quarter, and the
    current one once its last working day is REMIND_DAYS_BEFORE days away or less. `held`:
    the (year, quarter) pairs in which the duty was done."""
    out = []
    cur = quarter_of(today)
    prev = previous(*cur)
    if prev not in held:
        out.append(MissingQuarter(*prev, due=last_working_day(*prev, cal=cal), past=True))
    due = last_working_day(*cur, cal=cal)
    if cur not in held and (due - today).days <= REMIND_DAYS_BEFORE:
        out.append(MissingQuarter(*cur, due=due, past=False))
    return out


def office_missing(user, records, today: date) -> tuple[object, list[MissingQuarter]]:
    """A quarterly duty of a county's supervision office (a joint meeting, a wrong-case
    notice): for a user of that office, the county and the quarters `missing` finds among
    `records` (a queryset of a model with `org`, `year` and `quarter`) in the county;
    (None, []) for anyone else."""
    from yifa.orgs.models import OrgKind

    if not user.is_authenticated or user.org is None or user.org.kind != OrgKind.SUPERVISION_OFFICE:
        return None, []
    county = user.scope_root
    if county is None:
        return None, []
    cur = quarter_of(today)
    held = set(records.filter(org__path__startswith=county.path, year__in={cur[0], previous(*cur)[0]})
               .values_list("year", "quarter").distinct())
    return county, missing(today, held)
