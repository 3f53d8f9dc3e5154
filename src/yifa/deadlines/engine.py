"""The deadline engine: pure functions over a calendar object.

Counting policy (LEGAL_RULES.md "How periods are counted"):
1. the start day is not counted;
2. WD: the N-th working day after the start;
3. CD: start + N days, rolled forward to the next working day;
4. months: the same day-of-month N months later (or that month's last day, 民法典 202),
   then rolled forward;
5. suspended days are not counted; extensions add the rule's extension period.
`before` rules count N working days backward from the start (the latest allowed day);
`min` rules give the earliest allowed day, computed the same way as `max` rules — so a
minimum period never ends on a rest day (it rolls forward);
`duration` rules are the longest a measure may last (查封、扣押, 冻结): counted like `max`
rules but NOT rolled forward — the agency must lift the measure by the day the period
ends, holiday or not, rather than keep it longer because a holiday intervened.

A working day is (Monday–Friday and not a statutory holiday) or a make-up working day.

Years without a notice (LEGAL_RULES.md): a day in a year whose holiday data is missing or
not marked complete is answered from what the law fixes in advance — Saturdays, Sundays
and the statutory holidays of 《全国年节及纪念日放假办法》 on their dates (lunar ones from
the `holidays` package's China calendar), no make-up or bridging days — and the calendar
records that year as *provisional*. A strict calendar (`strict=True`, the calculator's
strict mode) raises `MissingHolidayData` instead.
"""

from __future__ import annotations

import calendar as _stdcal
import functools
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from yifa.core.errors import DomainError

WEEKDAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
ONE_DAY = timedelta(days=1)


class MissingHolidayData(DomainError):
    code = "missing_holiday_data"

    def __init__(self, year: int, *, incomplete: bool = False):
        self.year = year
        if incomplete:
            message = (f"{year} 年节假日数据尚未录入完整，请管理员按国务院办公厅通知补全并标记完整后再计算。"
                       f"(holiday data for {year} is incomplete)")
        else:
            message = (f"缺少 {year} 年节假日数据，请先由管理员录入国务院办公厅通知后再计算。"
                       f"(no holiday data for {year})")
        super().__init__(message, fields={"year": str(year)})


class UnknownRule(DomainError):
    code = "unknown_rule"

    def __init__(self, code: str):
        self.rule_code = code
        super().__init__(f"未知的期限规则：{code}", fields={"rule": f"未知的期限规则：{code}"})


# --- the calendar ------------------------------------------------------------------

@dataclass(frozen=True)
class YearData:
    """The days of one year that differ from the Monday–Friday pattern: {date: (kind, name)}.
    `provisional`: built from the statutory holidays because the year's notice is missing."""

    days: dict
    complete: bool = True
    provisional: bool = False


# 《全国年节及纪念日放假办法》(国务院令第798号, 2024 年修订) art. 2: the holidays of all
# citizens. Names as the `holidays` package spells them in zh_CN; anything else it lists
# (substituted days off of a known notice, observed days) is not fixed by the law in advance.
STATUTORY_HOLIDAY_NAMES = {"元旦": "元旦", "农历除夕": "春节（除夕）", "春节": "春节", "清明节": "清明节",
                           "劳动节": "劳动节", "端午节": "端午节", "中秋节": "中秋节", "国庆节": "国庆节"}
PROVISIONAL_YEARS = (1950, 2199)  # outside: no calendar to speak of, a clear error
PROVISIONAL_SOURCE = "《全国年节及纪念日放假办法》法定节日（暂定，未含调休）"


@functools.lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict:
    """{date: ("holiday", name)}: the statutory holidays of `year` on their own dates (lunar
    dates and 清明 computed by the `holidays` package), without make-up or bridging days."""
    import holidays as _holidays

    if not PROVISIONAL_YEARS[0] <= year <= PROVISIONAL_YEARS[1]:
        raise DomainError(f"日期超出可计算范围：{year} 年", fields={"start": "日期超出范围"})
    out = {}
    for day, names in _holidays.China(years=year, observed=False, language="zh_CN").items():
        kept = [STATUTORY_HOLIDAY_NAMES[n.strip()] for n in names.split(";") if n.strip() in STATUTORY_HOLIDAY_NAMES]
        if kept:
            out[day] = ("holiday", "、".join(dict.fromkeys(kept)))
    return out


def provisional_year(year: int, entered: YearData | None = None) -> YearData:
    """A year without a complete notice: the statutory holidays, with whatever days an
    administrator has already entered for it taking precedence."""
    days = dict(statutory_holidays(year))
    if entered is not None:
        days.update(entered.days)
    return YearData(days, complete=False, provisional=True)


class Calendar:
    """Working-day calendar. `loader(year)` returns a `YearData` or None (no data).

    A year that is missing or incomplete is answered provisionally (see the module
    docstring) unless `strict`, in which case it raises `MissingHolidayData`. The years
    answered provisionally are collected by `recording()`."""

    def __init__(self, loader: Callable[[int], YearData | None], *, strict: bool = False):
        self._loader = loader
        self._years: dict[int, YearData] = {}
        self.strict = strict
        self._recorders: list[set[int]] = []

    @classmethod
    def from_days(cls, days: dict, years: Iterable[int], *, strict: bool = False) -> Calendar:
        """An in-memory calendar (tests, previews): `days` maps date → (kind, name)."""
        years = set(years)
        by_year: dict[int, dict] = {y: {} for y in years}
        for d, v in days.items():
            if d.year in by_year:
                by_year[d.year][d] = v
        return cls(lambda y: YearData(by_year[y]) if y in by_year else None, strict=strict)

    @contextmanager
    def recording(self):
        """Collect the years answered provisionally inside the block."""
        used: set[int] = set()
        self._recorders.append(used)
        try:
            yield used
        finally:
            self._recorders.remove(used)

    def year(self, year: int) -> YearData:
        data = self._years.get(year)
        if data is None:
            data = self._loader(year)
            if data is None or not data.complete:
                if self.strict:
                    raise MissingHolidayData(year, incomplete=data is not None)
                data = provisional_year(year, data)
            self._years[year] = data
        if data.provisional:
            for used in self._recorders:
                used.add(year)
        return data

    def is_provisional(self, year: int) -> bool:
        return self.year(year).provisional

    def entry(self, d: date):
        return self.year(d.year).days.get(d)

    def is_working_day(self, d: date) -> bool:
        entry = self.entry(d)
        if entry is not None:
            return entry[0] == "makeup_workday"
        return d.weekday() < 5

    def day_name(self, d: date) -> str:
        entry = self.entry(d)
        if entry is not None and entry[1]:
            return entry[1]
        return WEEKDAY_NAMES[d.weekday()]


# DB-backed calendar with a per-process, per-year cache --------------------------------
_CACHE: dict[int, tuple[float, YearData]] = {}
CACHE_SECONDS = 300


def invalidate_calendar_cache() -> None:
    _CACHE.clear()


def _load_year_from_db(year: int) -> YearData | None:
    hit = _CACHE.get(year)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    from .models import HolidayDay, HolidayYear

    meta = HolidayYear.objects.filter(year=year).values_list("complete", flat=True).first()
    if meta is None:
        return None  # never cache a miss: the year may be entered at any moment
    days = {d: (k, n) for d, k, n in HolidayDay.objects.filter(year=year).values_list("date", "kind", "name")}
    data = YearData(days, complete=bool(meta))
    if data.complete:
        _CACHE[year] = (now + CACHE_SECONDS, data)
    return data


def db_calendar(*, strict: bool = False) -> Calendar:
    return Calendar(_load_year_from_db, strict=strict)


# --- counting ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SkippedDay:
    date: date
    name: str
    reason: str = "non_working"  # non_working / suspended


def _suspended_set(suspensions) -> set[date]:
    days: set[date] = set()
    for first, last in suspensions or ():
        d = first
        while d <= last:
            days.add(d)
            d += ONE_DAY
    return days


def add_months(d: date, months: int) -> date:
    """Same day-of-month `months` later, else that month's last day (民法典 art. 202)."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, _stdcal.monthrange(y, m)[1]))


def count_working_days(cal: Calendar, start: date, n: int, *, suspended: set[date] = frozenset(),
                       skipped: list | None = None) -> date:
    """The n-th working day after `start` (n ≥ 1), not counting suspended days."""
    d, counted = start, 0
    while counted < n:
        d += ONE_DAY
        if d in suspended:
            if skipped is not None:
                skipped.append(SkippedDay(d, "中止期间", "suspended"))
            continue
        if cal.is_working_day(d):
            counted += 1
        elif skipped is not None:
            skipped.append(SkippedDay(d, cal.day_name(d)))
    if n <= 0:
        cal.year(start.year)
    return d


def count_working_days_back(cal: Calendar, start: date, n: int, *, skipped: list | None = None) -> date:
    """The n-th working day before `start` (start excluded)."""
    d, counted = start, 0
    while counted < n:
        d -= ONE_DAY
        if cal.is_working_day(d):
            counted += 1
        elif skipped is not None:
            skipped.append(SkippedDay(d, cal.day_name(d)))
    return d


def roll_forward(cal: Calendar, d: date, *, suspended: set[date] = frozenset(), skipped: list | None = None) -> date:
    while d in suspended or not cal.is_working_day(d):
        if skipped is not None:
            skipped.append(SkippedDay(d, "中止期间" if d in suspended else cal.day_name(d),
                                      "suspended" if d in suspended else "non_working"))
        d += ONE_DAY
    return d


def _add_calendar_days(start: date, n: int, suspended: set[date], skipped: list | None) -> date:
    d, counted = start, 0
    while counted < n:
        d += ONE_DAY
        if d in suspended:
            if skipped is not None:
                skipped.append(SkippedDay(d, "中止期间", "suspended"))
            continue
        counted += 1
    return d


def due_date(cal: Calendar, *, start: date, n: int, unit: str, direction: str = "max",
             suspensions=(), skipped: list | None = None) -> date:
    """The core computation. `suspensions`: inclusive (first, last) date ranges not counted."""
    try:
        return _due_date(cal, start=start, n=n, unit=unit, direction=direction, suspensions=suspensions,
                         skipped=skipped)
    except (OverflowError, ValueError) as exc:
        raise DomainError(f"日期超出可计算范围：{start.isoformat()}", fields={"start": "日期超出范围"}) from exc


@dataclass(frozen=True)
class Due:
    """A computed due date and the first year it waits for when provisional."""

    due: date
    yellow_from: date | None = None
    waiting_for_year: int | None = None

    @property
    def provisional(self) -> bool:
        return self.waiting_for_year is not None


def compute_due(cal: Calendar, *, start: date, n: int, unit: str, direction: str = "max", suspensions=(),
                skipped: list | None = None, yellow_working_days: int | None = None) -> Due:
    """`due_date` (and, when `yellow_working_days` is given, `yellow_from`) with the first
    year answered provisionally, if any."""
    with cal.recording() as used:
        due = due_date(cal, start=start, n=n, unit=unit, direction=direction, suspensions=suspensions,
                       skipped=skipped)
        yellow = yellow_from(cal, due, yellow_working_days) if yellow_working_days is not None else None
    return Due(due, yellow, min(used) if used else None)


def _due_date(cal, *, start, n, unit, direction, suspensions, skipped) -> date:
    if n < 0:
        raise DomainError("期限不能为负数。")
    if direction == "before":
        if unit != "WD":
            d = start - timedelta(days=n) if unit == "CD" else add_months(start, -n)
            # backward calendar periods: roll back to the previous working day
            while not cal.is_working_day(d):
                if skipped is not None:
                    skipped.append(SkippedDay(d, cal.day_name(d)))
                d -= ONE_DAY
            return d
        return count_working_days_back(cal, start, n, skipped=skipped)
    suspended = _suspended_set(suspensions)
    if unit == "WD":
        return count_working_days(cal, start, n, suspended=suspended, skipped=skipped)
    if unit == "CD":
        raw = _add_calendar_days(start, n, suspended, skipped)
    elif unit == "months":
        raw = add_months(start, n)
        extra = sum(1 for s in suspended if start < s <= raw)
        raw = _add_calendar_days(raw, extra, suspended, skipped) if extra else raw
        if skipped is not None:
            skipped.extend(SkippedDay(s, "中止期间", "suspended") for s in sorted(suspended) if start < s <= raw
                           and not any(x.date == s for x in skipped))
    else:
        raise DomainError(f"未知的期限单位：{unit}")
    if direction == "duration":
        return raw
    return roll_forward(cal, raw, suspended=suspended, skipped=skipped)


def yellow_from(cal: Calendar, due: date, working_days: int) -> date:
    """The day from which a deadline is 临期: `working_days` working days before `due`."""
    if working_days <= 0:
        return due
    return count_working_days_back(cal, due, working_days)


# --- rules ----------------------------------------------------------------------------------

@dataclass
class DeadlineResult:
    rule: str
    name: str
    start: date
    due: date
    unit: str
    n: int
    basis: str
    direction: str = "max"
    is_override: bool = False
    is_local_default: bool = False
    extensions: int = 0
    skipped_days: list[SkippedDay] = field(default_factory=list)
    waiting_for_year: int | None = None

    @property
    def provisional(self) -> bool:
        return self.waiting_for_year is not None

    def as_dict(self, *, with_skipped: bool = False) -> dict:
        out = {"rule": self.rule, "start": self.start.isoformat(), "due": self.due.isoformat(),
               "unit": self.unit, "n": self.n, "basis": self.basis, "provisional": self.provisional,
               "waiting_for_year": self.waiting_for_year}
        if with_skipped:
            out["skipped_days"] = [{"date": s.date.isoformat(), "name": s.name, "reason": s.reason}
                                   for s in sorted(self.skipped_days, key=lambda s: s.date)]
        return out


@dataclass(frozen=True)
class EffectiveRule:
    code: str
    name: str
    n: int
    unit: str
    direction: str
    basis: str
    extension_n: int
    extensions_allowed: int
    suspensions_apply: bool
    is_local_default: bool
    is_override: bool


def get_rule(code: str):
    from .models import DeadlineRule

    rule = DeadlineRule.objects.filter(code=code).first()
    if rule is None:
        raise UnknownRule(code)
    return rule


def effective_rule(rule, org=None) -> EffectiveRule:
    """The rule as it applies to `org`: the override of the nearest unit at or above it."""
    from .models import DeadlineRuleOverride

    n, basis, is_override = rule.n, rule.basis, False
    if org is not None:
        ids = [int(s) for s in (org.path or "").split(".") if s] or [org.pk]
        override = (DeadlineRuleOverride.objects.filter(rule=rule, org_id__in=ids)
                    .order_by("-org__depth").first())
        if override is not None:
            n, basis, is_override = override.n, override.basis, True
    return EffectiveRule(rule.code, rule.name, n, rule.unit, rule.direction, basis, rule.extension_n,
                         rule.extensions_allowed, rule.suspensions_apply, rule.is_local_default, is_override)


def compute(rule_code: str, start: date, *, org=None, suspensions=(), extensions: int = 0,
            calendar: Calendar | None = None, strict: bool = False) -> DeadlineResult:
    """Compute the due date of rule `rule_code` started on `start` for unit `org`. A span
    into a year without a complete notice gives a provisional date (`waiting_for_year`),
    or `MissingHolidayData` when `strict`."""
    rule = effective_rule(get_rule(rule_code), org)
    cal = calendar or db_calendar(strict=strict)
    if extensions and extensions > rule.extensions_allowed:
        raise DomainError(f"规则 {rule.code} 最多可延长 {rule.extensions_allowed} 次。")
    n = rule.n + extensions * rule.extension_n
    skipped: list[SkippedDay] = []
    result = compute_due(cal, start=start, n=n, unit=rule.unit, direction=rule.direction,
                         suspensions=suspensions if rule.suspensions_apply else (), skipped=skipped)
    due = result.due
    seen, unique = set(), []
    for s in skipped:
        if s.date not in seen:
            seen.add(s.date)
            unique.append(s)
    return DeadlineResult(rule=rule.code, name=rule.name, start=start, due=due, unit=rule.unit, n=n,
                          basis=rule.basis, direction=rule.direction, is_override=rule.is_override,
                          is_local_default=rule.is_local_default, extensions=extensions, skipped_days=unique,
                          waiting_for_year=result.waiting_for_year)
