"""Years without a holiday notice (LEGAL_RULES.md): provisional deadlines everywhere, never
a refusal; recomputed, audited and told when the year is entered; administrators reminded
from 1 November.

Dates are built from the seeded calendar (the last complete year, LAST, and the first
missing one, NEXT = LAST + 1) and the clock is frozen with time-machine, so the tests do
not depend on the real date. The NEXT-year "notice" below is a test fixture, not a real
State Council notice.
"""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.clock import frozen, last_complete_year
from yifa.audit.models import AuditEvent
from yifa.core.models import Notification
from yifa.deadlines import engine, services
from yifa.deadlines.models import HolidayYear, TrackedDeadline

pytestmark = pytest.mark.django_db


def fixture_notice(year: int) -> str:
    """A made-up notice for `year` (test fixture): 元旦, two extra days off on 4–5 January
    and a make-up working Saturday on 9 January."""
    jan9 = date(year, 1, 9)
    assert jan9.weekday() == 5, "the fixture assumes 9 January is a Saturday (true for 2027)"
    return (f"date,kind,name,source\n{year}-01-01,holiday,元旦,测试通知（非真实放假安排）\n"
            f"{year}-01-04,holiday,测试假日,测试通知（非真实放假安排）\n"
            f"{year}-01-05,holiday,测试假日,测试通知（非真实放假安排）\n"
            f"{year}-01-09,makeup_workday,测试调休上班,测试通知（非真实放假安排）\n")


@pytest.fixture
def years():
    last = last_complete_year()
    assert not HolidayYear.objects.filter(year=last + 1, complete=True).exists()
    if date(last + 1, 1, 9).weekday() != 5:
        pytest.skip("fixture notice is written for a year whose 9 January is a Saturday")
    return last, last + 1


# --- the provisional calendar -----------------------------------------------------------------

def test_statutory_holidays_of_2027_follow_the_2024_amendment():
    days = engine.statutory_holidays(2027)
    expected = {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节（除夕）", date(2027, 2, 6): "春节", date(2027, 2, 7): "春节", date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节", date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节", date(2027, 10, 2): "国庆节", date(2027, 10, 3): "国庆节",
    }
    assert {d: name for d, (_, name) in days.items()} == expected
    # no observed (补休) and no bridging days: 2027-02-09/10, 05-03/04, 10-04/05 are working days
    cal = engine.Calendar(lambda y: None)
    for d in (date(2027, 2, 9), date(2027, 2, 10), date(2027, 5, 3), date(2027, 10, 4), date(2027, 10, 8)):
        assert cal.is_working_day(d), d
    assert not cal.is_working_day(date(2027, 2, 6)) and not cal.is_working_day(date(2027, 2, 13))  # 初二, a Saturday


def test_statutory_holidays_overlapping_in_one_day_are_named_once():
    assert engine.statutory_holidays(2028)[date(2028, 10, 3)] == ("holiday", "中秋节、国庆节")


def test_every_statutory_day_is_a_day_off_in_the_entered_notices():
    """Cross-check with the State Council notices in the table (2025–LAST, after the 2024
    amendment): each statutory holiday the provisional calendar assumes was a day off."""
    cal = engine.db_calendar(strict=True)
    for year in range(2025, last_complete_year() + 1):
        for d in engine.statutory_holidays(year):
            assert not cal.is_working_day(d), d


def test_provisional_year_keeps_days_already_entered(years):
    _, nxt = years
    services.add_holiday_days(actor=None, rows=[{"date": date(nxt, 3, 3), "kind": "holiday", "name": "本地节日",
                                                 "source": "本地"}])
    cal = engine.db_calendar()
    assert not cal.is_working_day(date(nxt, 3, 3)) and cal.is_provisional(nxt)
    assert not cal.is_working_day(date(nxt, 1, 1))


def test_out_of_range_years_are_a_clear_error():
    with pytest.raises(engine.DomainError):
        engine.statutory_holidays(2300)


# --- starting deadlines -------------------------------------------------------------------------

def test_start_deadline_reaching_a_missing_year_is_stored_provisional(world, client_for, years):
    last, nxt = years
    d = services.start_deadline(actor=None, owner=("test.thing", "1"), rule_code="supervision.rectification",
                                start=date(last, 12, 10), org=world.dept_a, handler=world.officer_a, title="整改")
    # 30 CD → 9 January (a Saturday): rolled to Monday 11 January, provisionally
    assert (d.due, d.provisional, d.waiting_for_year) == (date(nxt, 1, 11), True, nxt)
    assert d.yellow_from < d.due
    event = AuditEvent.objects.filter(action="deadline.start", object_id=str(d.pk)).get()
    assert event.after["provisional"] is True and event.after["waiting_for_year"] == nxt
    api = client_for(world.admin).get(f"/api/v1/deadlines/tracked/{d.pk}/").json()
    assert (api["provisional"], api["waiting_for_year"], api["due"]) == (True, nxt, f"{nxt}-01-11")
    page = client_for(world.admin).get(f"/deadlines/tracked/{d.pk}/").content.decode()
    assert "暂定" in page and f"{nxt} 年放假安排尚未录入" in page
    listing = client_for(world.admin).get("/deadlines/tracked/").content.decode()
    assert "暂定" in listing
    inside = services.start_deadline(actor=None, owner=("test.thing", "2"), rule_code="penalty.payment",
                                     start=date(last, 12, 1), org=world.dept_a, title="缴纳罚款")
    assert not inside.provisional and inside.waiting_for_year is None


def test_warnings_run_on_the_provisional_date(world, years):
    from yifa.deadlines.sweep import sweep_deadlines

    last, nxt = years
    d = services.start_deadline(actor=None, owner=("test.thing", "1"), rule_code="supervision.rectification",
                                start=date(last, 12, 10), org=world.dept_a, handler=world.officer_a, title="整改")
    sweep_deadlines(date(nxt, 1, 8))
    assert list(d.warnings.values_list("level", flat=True)) == ["yellow"]  # due (provisionally) on the 11th
    sweep_deadlines(date(nxt, 1, 12))
    assert set(d.warnings.values_list("level", flat=True)) == {"yellow", "red"}


# --- when the year arrives ----------------------------------------------------------------------

def _start_three(world, last):
    with_handler = services.start_deadline(actor=None, owner=("test.thing", "1"), rule_code="permit.decision",
                                           start=date(last, 12, 20), org=world.dept_a, handler=world.officer_a,
                                           title="许可决定")
    no_handler = services.start_deadline(actor=None, owner=("test.thing", "2"), rule_code="supervision.rectification",
                                         start=date(last, 12, 10), org=world.dept_a, title="整改")
    two_years = services.start_deadline(actor=None, owner=("test.thing", "3"), rule_code="permit.decision",
                                        start=date(last + 1, 12, 20), org=world.dept_a, handler=world.officer_a,
                                        title="许可决定（跨两年）")
    return with_handler, no_handler, two_years


def test_marking_the_year_complete_recomputes_audits_and_tells_the_handler(world, years, tmp_path):
    last, nxt = years
    a, b, c = _start_three(world, last)
    assert (a.due, b.due, c.waiting_for_year) == (date(nxt, 1, 18), date(nxt, 1, 11), nxt)
    csv_file = tmp_path / "notice.csv"
    csv_file.write_text(fixture_notice(nxt), encoding="utf-8")
    out = StringIO()
    call_command("holidays", "import", str(csv_file), "--complete", stdout=out)
    assert "重新计算暂定期限 3 个" in out.getvalue() and "届满日变化 2 个" in out.getvalue()
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    # 20 WD: 1, 4, 5 January off, Saturday 9 January worked → 19 January
    assert (a.due, a.provisional, a.waiting_for_year) == (date(nxt, 1, 19), False, None)
    # 30 CD ends on Saturday 9 January, now a working day
    assert (b.due, b.provisional) == (date(nxt, 1, 9), False)
    # counting through the end of NEXT into the year after: still provisional, now waiting for that year
    assert (c.provisional, c.waiting_for_year) == (True, nxt + 1)
    events = AuditEvent.objects.filter(action="deadline.recompute")
    assert events.count() == 3
    moved = events.get(object_id=str(a.pk))
    assert moved.before["due"] == f"{nxt}-01-18" and moved.after["due"] == f"{nxt}-01-19"
    note = Notification.objects.get(recipient=world.officer_a, dedupe_key__startswith=f"deadline:{a.pk}:recomputed")
    assert f"{nxt}-01-18" in note.body and f"{nxt}-01-19" in note.body
    # no handler: the unit's supervision contacts are told
    assert Notification.objects.filter(dedupe_key__startswith=f"deadline:{b.pk}:recomputed").exists()
    # the unmoved one is not notified
    assert not Notification.objects.filter(dedupe_key__startswith=f"deadline:{c.pk}:recomputed").exists()

    # a second pass changes nothing
    counts_before = (AuditEvent.objects.count(), Notification.objects.count())
    assert services.recompute_provisional(actor=None)["recomputed"] == 0
    call_command("holidays", "complete", str(nxt), stdout=StringIO())
    assert (AuditEvent.objects.filter(action="deadline.recompute").count()) == 3
    assert Notification.objects.count() == counts_before[1]


def test_closed_provisional_deadline_is_judged_again(world, years):
    last, nxt = years
    d = services.start_deadline(actor=None, owner=("test.thing", "1"), rule_code="permit.decision",
                                start=date(last, 12, 20), org=world.dept_a, title="许可决定")
    services.close_deadline(actor=None, deadline=d, met_on=date(nxt, 1, 19))
    d.refresh_from_db()
    assert d.state == "missed"  # one day after the provisional 18 January
    services.import_holiday_csv(actor=None, text=fixture_notice(nxt), complete=True)
    d.refresh_from_db()
    assert (d.due, d.state, d.provisional) == (date(nxt, 1, 19), "met", False)


def test_owners_mirroring_a_due_date_follow_the_recomputation(world, years):
    from yifa.supervision import services as supervision_services

    last, nxt = years
    with frozen(date(last, 12, 10)):
        finding = supervision_services.raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure",
                                                     description="未告知听证权利")
    assert (finding.due, finding.due_provisional) == (date(nxt, 1, 11), True)
    services.import_holiday_csv(actor=None, text=fixture_notice(nxt), complete=True)
    finding.refresh_from_db()
    assert (finding.due, finding.due_provisional) == (date(nxt, 1, 9), False)


def test_refused_import_leaves_provisional_deadlines_as_they_were(world, years):
    last, nxt = years
    a, b, c = _start_three(world, last)
    bad = fixture_notice(nxt) + f"{nxt}-01-04,holiday,重复\n"
    with pytest.raises(services.HolidayImportError):
        services.import_holiday_csv(actor=None, text=bad, complete=True)
    for d in (a, b, c):
        again = TrackedDeadline.objects.get(pk=d.pk)
        assert (again.due, again.provisional, again.waiting_for_year) == (d.due, True, nxt)
    assert not AuditEvent.objects.filter(action="deadline.recompute").exists()
    assert not HolidayYear.objects.filter(year=nxt).exists()


def test_a_year_without_make_up_days_is_warned_before_it_is_marked(world, years):
    last, nxt = years
    a, _, _ = _start_three(world, last)
    only_days_off = f"{nxt}-01-01,holiday,元旦\n{nxt}-01-04,holiday,测试假日\n"
    with pytest.raises(services.NoMakeupDaysWarning, match="没有任何调休上班日"):
        services.import_holiday_csv(actor=world.admin, text=only_days_off, complete=True)
    assert not HolidayYear.objects.filter(year=nxt).exists()
    services.import_holiday_csv(actor=world.admin, text=only_days_off, complete=False)
    with pytest.raises(CommandError, match="没有任何调休上班日"):
        call_command("holidays", "complete", str(nxt), stdout=StringIO())
    a.refresh_from_db()
    assert a.provisional
    call_command("holidays", "complete", str(nxt), "--confirm-no-makeup", stdout=StringIO())
    a.refresh_from_db()
    assert not a.provisional and a.due == date(nxt, 1, 19)  # 1 and 4 January off, no make-up Saturday


# --- reminders ----------------------------------------------------------------------------------

def test_administrators_are_reminded_from_1_november(world, client_for, years):
    last, nxt = years
    _start_three(world, last)
    text = f"{nxt} 年放假安排尚未录入：3 个期限为暂定"
    with frozen(date(last, 10, 31)):  # (a session idles out across frozen days: log in inside each)
        home = client_for(world.admin).get("/").content.decode()
        assert "home-banner" not in home
    with frozen(date(last, 11, 1)):
        admin, officer = client_for(world.admin), client_for(world.officer_a)
        home = admin.get("/").content.decode()
        assert text in home and "home-banner" in home and f"/deadlines/holidays/?year={nxt}" in home
        assert f"录入国务院办公厅 {nxt} 年放假安排" in home  # the to-do
        assert text not in officer.get("/").content.decode()
        assert text in admin.get("/deadlines/holidays/").content.decode()
    services.import_holiday_csv(actor=world.admin, text=fixture_notice(nxt), complete=True)
    with frozen(date(last, 11, 2)):
        home = client_for(world.admin).get("/").content.decode()
        assert "我的待办" in home and f"{nxt} 年放假安排尚未录入" not in home


def test_status_command_lists_waiting_deadlines(world, years):
    last, nxt = years
    _start_three(world, last)
    out = StringIO()
    call_command("holidays", "status", stdout=out)
    assert f"{nxt}\t未录入\t\t3 个暂定期限" in out.getvalue()


def test_calculator_json_reports_provisional(years):
    last, nxt = years
    out = StringIO()
    call_command("deadline", "supervision.rectification", f"{last}-12-10", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["due"], data["provisional"], data["waiting_for_year"]) == (f"{nxt}-01-11", True, nxt)


def test_provisional_counts_stay_within_the_users_scope(world, years):
    from yifa.deadlines.selectors import missing_notice_years, provisional_counts

    last, nxt = years
    _start_three(world, last)  # all three in dept_a
    assert provisional_counts()[nxt] == 3
    assert provisional_counts(world.dept_a_legal).get(nxt) == 3
    assert provisional_counts(world.town_b_legal).get(nxt) is None
    assert missing_notice_years(date(last, 11, 1), world.town_b_legal) == [(nxt, 0)]
