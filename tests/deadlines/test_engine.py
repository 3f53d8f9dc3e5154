"""The engine: properties over the seeded 2024–2026 calendar, real holiday periods, and
the missing-year error."""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from yifa.deadlines import engine
from yifa.deadlines.engine import Calendar, MissingHolidayData, add_months, due_date

# The property tests read an in-memory calendar, but its session fixture loads it from
# the test database, which pytest-django only creates for sessions with django_db tests.
pytestmark = pytest.mark.django_db

D = date
starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 9, 30))
wd_n = st.integers(min_value=1, max_value=40)
cd_n = st.integers(min_value=0, max_value=60)


def working_days_between(cal, start, end):
    """Working days in (start, end]."""
    return sum(1 for i in range(1, (end - start).days + 1) if cal.is_working_day(start + timedelta(days=i)))


# --- properties -------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(start=starts, n=wd_n)
def test_wd_due_is_a_working_day_with_exactly_n_working_days_after_start(seeded_calendar, start, n):
    due = due_date(seeded_calendar, start=start, n=n, unit="WD")
    assert due > start
    assert seeded_calendar.is_working_day(due)
    assert working_days_between(seeded_calendar, start, due) == n


@settings(max_examples=300, deadline=None)
@given(start=starts, n=cd_n)
def test_cd_due_is_never_a_non_working_day_and_is_the_first_working_day_from_start_plus_n(seeded_calendar, start, n):
    due = due_date(seeded_calendar, start=start, n=n, unit="CD")
    raw = start + timedelta(days=n)
    assert seeded_calendar.is_working_day(due)
    assert due >= raw
    assert all(not seeded_calendar.is_working_day(raw + timedelta(days=i)) for i in range((due - raw).days))


@settings(max_examples=200, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=3))
def test_month_due_is_a_working_day_not_before_the_same_day_n_months_later(seeded_calendar, start, n):
    due = due_date(seeded_calendar, start=start, n=n, unit="months")
    assert seeded_calendar.is_working_day(due)
    assert due >= add_months(start, n)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=wd_n, unit=st.sampled_from(["WD", "CD"]))
def test_monotonic_in_n(seeded_calendar, start, n, unit):
    assert due_date(seeded_calendar, start=start, n=n, unit=unit) <= due_date(seeded_calendar, start=start, n=n + 1,
                                                                             unit=unit)
    if unit == "WD":
        assert due_date(seeded_calendar, start=start, n=n, unit=unit) < due_date(seeded_calendar, start=start,
                                                                                n=n + 1, unit=unit)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=wd_n, unit=st.sampled_from(["WD", "CD", "months"]), step=st.integers(1, 20))
def test_monotonic_in_start(seeded_calendar, start, n, unit, step):
    n = min(n, 3) if unit == "months" else n
    assume(unit != "months" or start <= D(2026, 6, 30))
    later = start + timedelta(days=step)
    assert due_date(seeded_calendar, start=start, n=n, unit=unit) <= due_date(seeded_calendar, start=later, n=n,
                                                                             unit=unit)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=wd_n)
def test_before_is_the_nth_working_day_before(seeded_calendar, start, n):
    start = start + timedelta(days=90)
    latest = due_date(seeded_calendar, start=start, n=n, unit="WD", direction="before")
    assert seeded_calendar.is_working_day(latest)
    # exactly n working days in [latest, start)
    assert working_days_between(seeded_calendar, latest - timedelta(days=1), start - timedelta(days=1)) == n


@settings(max_examples=150, deadline=None)
@given(start=starts, n=wd_n, s_offset=st.integers(1, 30), s_len=st.integers(1, 15))
def test_suspended_days_are_not_counted(seeded_calendar, start, n, s_offset, s_len):
    first = start + timedelta(days=s_offset)
    last = first + timedelta(days=s_len - 1)
    plain = due_date(seeded_calendar, start=start, n=n, unit="WD")
    due = due_date(seeded_calendar, start=start, n=n, unit="WD", suspensions=[(first, last)])
    assert due >= plain
    counted = sum(1 for i in range(1, (due - start).days + 1)
                  if seeded_calendar.is_working_day(start + timedelta(days=i))
                  and not first <= start + timedelta(days=i) <= last)
    assert counted == n


def test_the_table_matches_the_package_it_was_seeded_from(seeded_calendar):
    """Cross-check (tests only): every day of 2023–2026 agrees with chinese-calendar."""
    import chinese_calendar

    d = D(2023, 1, 1)
    while d <= D(2026, 12, 31):
        assert seeded_calendar.is_working_day(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


# --- real holiday periods -------------------------------------------------------------------

CASES = [
    # rule, start, due — national day 2025 (Oct 1–8 off; Sun Sep 28 and Sat Oct 11 are working days)
    ("permit.materials_notice", D(2025, 9, 26), D(2025, 10, 10)),   # 5 WD: 9/28 makeup, 9/29, 9/30, 10/9, 10/10
    ("penalty.publicity_withdraw", D(2025, 9, 30), D(2025, 10, 11)),  # 3 WD ends on make-up Saturday
    ("permit.decision", D(2025, 9, 25), D(2025, 10, 29)),             # 20 WD across national day
    ("review.major_decision.min", D(2025, 9, 30), D(2025, 10, 16)),   # min rule, 7 WD
    ("penalty.payment", D(2025, 9, 16), D(2025, 10, 9)),              # 15 CD lands on 10/1 → 10/9
    ("penalty.payment", D(2025, 9, 13), D(2025, 9, 28)),              # 15 CD lands on make-up Sunday
    ("litigation.after_reconsideration", D(2025, 9, 26), D(2025, 10, 11)),  # lands on make-up Saturday
    ("decision.public_comment.min", D(2025, 9, 1), D(2025, 10, 9)),  # min rule 30 CD → 10/1 → 10/9
    ("litigation.filing", D(2025, 4, 1), D(2025, 10, 9)),             # 6 months → 10/1 → 10/9
    ("penalty.hearing_notice", D(2025, 10, 10), D(2025, 9, 24)),      # 7 WD before the hearing
    # spring festival 2025 (Jan 28–Feb 4 off; Sun Jan 26 and Sat Feb 8 are working days)
    ("penalty.service", D(2025, 1, 24), D(2025, 2, 10)),              # 7 WD: 1/26, 1/27, 2/5, 2/6, 2/7, 2/8, 2/10
    ("permit.materials_notice", D(2025, 1, 24), D(2025, 2, 7)),
    ("penalty.payment", D(2025, 1, 13), D(2025, 2, 5)),               # 1/28 holiday → 2/5
    ("penalty.payment", D(2025, 1, 11), D(2025, 1, 26)),              # make-up Sunday
    ("litigation.filing", D(2024, 7, 28), D(2025, 2, 5)),             # 6 months → 1/28 → 2/5
    # spring festival 2026 per chinese-calendar 1.11 (Feb 15–23 off; Sat Feb 14 and Sat Feb 28 working)
    ("permit.materials_notice", D(2026, 2, 13), D(2026, 2, 27)),      # 2/14 makeup, 2/24..2/27
    ("penalty.service", D(2026, 2, 13), D(2026, 3, 2)),               # + 2/28 makeup, 3/2
    ("penalty.payment", D(2026, 2, 1), D(2026, 2, 24)),               # 2/16 holiday → 2/24
    ("penalty.payment", D(2026, 1, 30), D(2026, 2, 14)),              # make-up Saturday
    ("litigation.filing", D(2025, 8, 31), D(2026, 2, 28)),            # no Feb 31 → 2/28, a make-up Saturday
    ("litigation.filing", D(2025, 8, 16), D(2026, 2, 24)),            # 2/16 holiday → 2/24
    ("litigation.filing", D(2025, 7, 31), D(2026, 2, 2)),             # 1/31 Sat → Mon 2/2
    # national day 2026 (Oct 1–7 off; Sun Sep 20 and Sat Oct 10 working)
    ("litigation.filing", D(2026, 4, 1), D(2026, 10, 8)),
    ("permit.materials_notice", D(2026, 9, 30), D(2026, 10, 13)),     # 10/8, 10/9, 10/10 makeup, 10/12, 10/13
    ("penalty.decision", D(2026, 7, 3), D(2026, 10, 8)),              # 90 CD → 10/1 → 10/8
]


@pytest.mark.parametrize("rule,start,due", CASES, ids=[f"{r}-{s}" for r, s, _ in CASES])
def test_real_holiday_periods(rule, start, due):
    assert engine.compute(rule, start).due == due


def test_skipped_days_are_named():
    result = engine.compute("permit.materials_notice", D(2025, 9, 26))
    names = {s.date: s.name for s in result.skipped_days}
    assert names[D(2025, 9, 27)] == "周六"
    assert names[D(2025, 10, 1)] == "国庆节"
    assert names[D(2025, 10, 6)] == "中秋节"
    assert D(2025, 9, 28) not in names  # make-up working day counted
    assert result.as_dict() == {"rule": "permit.materials_notice", "start": "2025-09-26", "due": "2025-10-10",
                                "unit": "WD", "n": 5, "basis": result.basis, "provisional": False,
                                "waiting_for_year": None}


def test_add_months_uses_the_last_day_when_the_month_is_short():
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)


# --- missing holiday data ---------------------------------------------------------------------

def test_missing_year_strict_raises_naming_the_year():
    with pytest.raises(MissingHolidayData) as exc:
        engine.compute("penalty.decision", D(2026, 12, 1), strict=True)  # 90 CD → 2027-03-01
    assert exc.value.year == 2027
    assert "2027" in exc.value.message
    with pytest.raises(MissingHolidayData, match="2027"):
        engine.compute("permit.decision", D(2026, 12, 20), strict=True)  # counts into January 2027


def test_missing_year_is_provisional_by_default():
    result = engine.compute("penalty.decision", D(2026, 12, 1))
    assert (result.due, result.provisional, result.waiting_for_year) == (D(2027, 3, 1), True, 2027)
    # 20 WD from 2026-12-20: 元旦 2027-01-01 (a statutory holiday) is skipped, no make-up day assumed
    result = engine.compute("permit.decision", D(2026, 12, 20))
    assert result.provisional and result.due == D(2027, 1, 18)
    assert any(s.date == D(2027, 1, 1) and s.name == "元旦" for s in result.skipped_days)
    # a span that stays inside a complete year is not provisional
    assert not engine.compute("penalty.payment", D(2026, 12, 1)).provisional


def test_strict_calendar_never_guesses():
    cal = Calendar.from_days({}, [2025], strict=True)
    assert cal.is_working_day(D(2025, 3, 3))
    with pytest.raises(MissingHolidayData, match="2026"):
        cal.is_working_day(D(2026, 1, 5))
    incomplete = Calendar(lambda y: engine.YearData({}, complete=False), strict=True)
    with pytest.raises(MissingHolidayData, match="2030"):
        incomplete.is_working_day(D(2030, 1, 5))
