from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError
from yifa.enforcement.models import Officer
from yifa.training import selectors, services
from yifa.training.models import Attendance, HoursRequirement, Training

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


def hours_of(world, officer, year=2026):
    return selectors.officers_for(world.supervisor, year=year, today=TODAY).get(pk=officer.pk)


def test_create_training_validates_and_audits(world, make_training):
    t = make_training(kind="warning", location="县司法局会议室", targets=[world.dept_a, world.town_a])
    assert t.org == world.supervision_office and t.hours == Decimal("8.0")
    assert set(t.targets.all()) == {world.dept_a, world.town_a}
    assert AuditEvent.objects.filter(action="training.create", object_id=str(t.pk)).exists()
    with pytest.raises(DomainError) as e:
        make_training(hours="0")
    assert "hours" in e.value.fields
    with pytest.raises(DomainError):
        make_training(title="  ")
    with pytest.raises(DomainError):
        make_training(kind="party")
    with pytest.raises(DomainError):
        make_training(hours="2.25")


def test_only_managers_in_scope_create(world, make_training):
    with pytest.raises(PermissionDenied):
        make_training(actor=world.officer_a, org=world.dept_a)
    with pytest.raises(PermissionDenied):  # department B's legal officer cannot organise for department A
        make_training(actor=world.dept_b_legal, org=world.dept_a)
    with pytest.raises(DomainError):  # targets outside the scope
        make_training(actor=world.dept_a_legal, org=world.dept_a, targets=[world.dept_b])
    t = make_training(actor=world.dept_a_legal, org=world.dept_a)
    assert t.org == world.dept_a


def test_bulk_attendance_defaults_and_updates(world, officers, make_training):
    t = make_training(hours="6")
    res = services.record_attendance(actor=world.supervisor, training=t, entries=[
        {"officer": officers["a1"]}, {"officer": officers["a2"], "hours": "3"},
        {"officer": officers["b1"], "status": "absent"}, {"user": world.dept_a_legal}])
    assert res == {"created": 4, "updated": 0}
    rows = {(a.officer_id, a.user_id): a for a in Attendance.objects.filter(training=t)}
    assert rows[(officers["a1"].pk, None)].hours_credited == Decimal("6.0")
    assert rows[(officers["a1"].pk, None)].org == world.dept_a and rows[(officers["a1"].pk, None)].held_on == t.held_on
    assert rows[(officers["a2"].pk, None)].hours_credited == Decimal("3.0")
    assert rows[(officers["b1"].pk, None)].hours_credited == 0
    assert rows[(None, world.dept_a_legal.pk)].org == world.dept_a_unit
    # correcting: absent → attended updates the row, no duplicate
    res = services.record_attendance(actor=world.supervisor, training=t, entries=[{"officer": officers["b1"]}])
    assert res == {"created": 0, "updated": 1}
    assert Attendance.objects.get(training=t, officer=officers["b1"]).hours_credited == Decimal("6.0")
    assert AuditEvent.objects.filter(action="training.attendance.record", object_id=str(t.pk)).count() == 2


def test_staff_account_with_officer_profile_counts_as_officer(world, officers, make_training):
    t = make_training()
    services.record_attendance(actor=world.supervisor, training=t, entries=[{"user": world.officer_a}])
    a = Attendance.objects.get(training=t)
    assert a.officer == officers["a1"] and a.user is None


@pytest.mark.parametrize("entry,field,text", [
    ({"status": "absent", "hours": "2"}, "hours", "缺席"),
    ({"hours": "9"}, "hours", "不能超过"),
    ({"hours": "-1"}, "hours", "大于"),
    ({"status": "late"}, "status", "出席"),
])
def test_bad_entries_refuse_the_whole_batch(world, officers, make_training, entry, field, text):
    t = make_training(hours="8")
    with pytest.raises(DomainError) as e:
        services.record_attendance(actor=world.supervisor, training=t,
                                   entries=[{"officer": officers["a2"]}, dict(entry, officer=officers["a1"])])
    rows = e.value.fields["rows"]
    assert rows[0]["row"] == 2 and rows[0]["field"] == field and text in rows[0]["message"]
    assert not Attendance.objects.filter(training=t).exists()


def test_attendance_scope_duplicates_and_future(world, officers, make_training):
    t = make_training(actor=world.dept_a_legal, org=world.dept_a)
    with pytest.raises(DomainError) as e:
        services.record_attendance(actor=world.dept_a_legal, training=t,
                                   entries=[{"officer": officers["a1"]}, {"officer": officers["b1"]},
                                            {"officer": officers["a1"]}])
    messages = [r["message"] for r in e.value.fields["rows"]]
    assert any("不在您的管理范围内" in m for m in messages) and any("重复" in m for m in messages)
    assert not Attendance.objects.filter(training=t).exists()
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=world.dept_b_legal, training=t, entries=[{"officer": officers["b1"]}])
    future = make_training(held_on=date(2099, 1, 1))
    with pytest.raises(DomainError, match="尚未举行"):
        services.record_attendance(actor=world.supervisor, training=future, entries=[{"officer": officers["a1"]}])


def test_hours_per_year_and_requirement(world, officers, make_training, settings):
    t1 = make_training(hours="40", held_on=date(2026, 3, 1))
    t2 = make_training(hours="24", held_on=date(2026, 9, 1))
    t0 = make_training(hours="30", held_on=date(2025, 6, 1))
    for t in (t1, t2, t0):
        services.record_attendance(actor=world.supervisor, training=t, entries=[{"officer": officers["a1"]}])
    services.record_attendance(actor=world.supervisor, training=t1, entries=[{"officer": officers["a2"]}])
    a1, a2 = hours_of(world, officers["a1"]), hours_of(world, officers["a2"])
    assert a1.hours_done == Decimal("64") and a1.hours_required == Decimal("60") and a1.meets
    assert a2.hours_done == Decimal("40") and not a2.meets
    assert hours_of(world, officers["a1"], 2025).hours_done == Decimal("30")
    # the setting changes the default
    settings.YIFA_TRAINING_REQUIRED_HOURS = 80
    assert not hours_of(world, officers["a1"]).meets
    del settings.YIFA_TRAINING_REQUIRED_HOURS
    # a per-year requirement: the nearest unit wins
    services.set_requirement(actor=world.supervisor, org=world.county, year=2026, hours="70")
    assert hours_of(world, officers["a1"]).hours_required == Decimal("70")
    services.set_requirement(actor=world.supervisor, org=world.dept_a, year=2026, hours="40")
    assert hours_of(world, officers["a2"]).hours_required == Decimal("40") and hours_of(world, officers["a2"]).meets
    assert hours_of(world, officers["b1"]).hours_required == Decimal("70")
    assert hours_of(world, officers["b1"], 2025).hours_required == Decimal("60")
    services.set_requirement(actor=world.supervisor, org=world.dept_a, year=2026, hours="45")
    assert HoursRequirement.objects.get(org=world.dept_a, year=2026).hours == Decimal("45")
    with pytest.raises(PermissionDenied):
        services.set_requirement(actor=world.dept_b_legal, org=world.dept_a, year=2026, hours="10")
    with pytest.raises(DomainError):
        services.set_requirement(actor=world.supervisor, org=world.county, year=2026, hours="0")


def test_certificate_states(world, officers):
    o = officers
    Officer.objects.filter(pk=o["a1"].pk).update(valid_to=date(2026, 12, 20))   # 22 days
    Officer.objects.filter(pk=o["a2"].pk).update(valid_to=date(2027, 2, 1))     # 65 days
    Officer.objects.filter(pk=o["a3"].pk).update(valid_to=date(2026, 11, 27))   # expired yesterday
    Officer.objects.filter(pk=o["b1"].pk).update(status="suspended")
    Officer.objects.filter(pk=o["b2"].pk).update(valid_to=date(2027, 2, 26))    # 90 days: still flagged
    states = {x.pk: x.cert_state for x in selectors.officers_for(world.supervisor, year=2026, today=TODAY)}
    assert states[o["a1"].pk] == "expiring_30" and states[o["a2"].pk] == "expiring_90"
    assert states[o["a3"].pk] == "invalid" and states[o["b1"].pk] == "invalid"
    assert states[o["b2"].pk] == "expiring_90" and states[o["t1"].pk] == "valid"
    qs = selectors.officers_for(world.supervisor, year=2026, today=TODAY)
    assert set(selectors.filter_officers(qs, "expiring_90").values_list("pk", flat=True)) == {
        o["a1"].pk, o["a2"].pk, o["b2"].pk}
    assert set(selectors.filter_officers(qs, "expiring_30").values_list("pk", flat=True)) == {o["a1"].pk}


def test_unit_statistics_and_metrics(world, officers, make_training):
    t = make_training(hours="60", org=world.supervision_office)
    services.record_attendance(actor=world.supervisor, training=t, entries=[
        {"officer": officers["a1"]}, {"officer": officers["a2"]}, {"officer": officers["b1"]},
        {"officer": officers["b2"], "status": "absent"}])
    make_training(actor=world.dept_a_legal, org=world.dept_a, hours="2")
    Officer.objects.filter(pk=officers["a3"].pk).update(valid_to=date(2026, 12, 1))
    rows = {r["org"]: r for r in selectors.unit_statistics(world.supervisor, 2026, TODAY)}
    a, b = rows[world.dept_a.pk], rows[world.dept_b.pk]
    assert (a["officers"], a["meeting"], a["completion_rate"], a["sessions"]) == (3, 2, 66.7, 1)
    assert (a["attendances"], a["hours"], a["expiring_30"], a["expiring_90"]) == (2, Decimal("120"), 1, 1)
    assert (b["officers"], b["meeting"], b["absences"], b["completion_rate"]) == (2, 1, 1, 50.0)
    assert rows[world.supervision_office.pk]["sessions"] == 1
    totals = selectors.totals(list(rows.values()))
    assert totals["officers"] == sum(r["officers"] for r in rows.values())
    assert totals["completion_rate"] == round(100 * totals["meeting"] / totals["officers"], 1)
    # a department sees only itself
    own = selectors.unit_statistics(world.dept_a_legal, 2026, TODAY)
    assert [r["org"] for r in own] == [world.dept_a.pk]

    year = (date(2026, 1, 1), date(2026, 12, 31))
    m = selectors.training_metrics(world.dept_a, *year, today=TODAY)
    assert m["officers"] == 3 and m["officers_meeting"] == 2 and m["completion_rate"] == 66.7
    assert m["sessions"] == 1 and m["attendances"] == 2 and m["hours"] == Decimal("120")
    assert m["certificates_expiring_30"] == 1 and m["certificates_invalid"] == 0
    c = selectors.training_metrics(world.county, *year, today=TODAY)
    assert (c["officers"], c["officers_meeting"], c["sessions"]) == (totals["officers"], totals["meeting"],
                                                                       totals["sessions"])
    below = selectors.training_drilldown(world.dept_b, *year, "officers_below", today=TODAY)
    assert list(below.values_list("pk", flat=True)) == [officers["b2"].pk]
    assert selectors.training_drilldown(world.county, *year, "officers_below").count() == c["officers_below"]
    assert selectors.training_drilldown(world.county, *year, "sessions").count() == c["sessions"]
    assert selectors.training_drilldown(world.dept_a, *year, "hours").count() == 2
    # half a year: the requirement is prorated (60 h for the year → about 29.8 h for Jan–Jun)
    half = selectors.training_metrics(world.dept_a, date(2026, 1, 1), date(2026, 6, 30), today=TODAY)
    assert half["officers_meeting"] == 2
    exp = selectors.training_drilldown(world.dept_a, date(2026, 1, 1), date(2026, 6, 30), "officers")
    assert exp.first().hours_required < 30
    with pytest.raises(ValueError):
        selectors.training_drilldown(world.county, *year, "nonsense")


def test_remove_attendance(world, officers, make_training):
    t = make_training()
    services.record_attendance(actor=world.supervisor, training=t, entries=[{"officer": officers["a1"]}])
    a = Attendance.objects.get(training=t)
    with pytest.raises(PermissionDenied):
        services.remove_attendance(actor=world.dept_b_legal, attendance=a)
    services.remove_attendance(actor=world.supervisor, attendance=a)
    assert not Attendance.objects.filter(training=t).exists() and Training.objects.filter(pk=t.pk).exists()


def test_update_training_moves_credits_and_dates(world, officers, make_training):
    from yifa.core.errors import StaleVersion

    t = make_training(hours="8")
    services.record_attendance(actor=world.supervisor, training=t, entries=[
        {"officer": officers["a1"]}, {"officer": officers["a2"], "hours": "3"}, {"officer": officers["a3"],
                                                                                 "status": "absent"}])
    t = services.update_training(actor=world.supervisor, training=t, hours="6", held_on=date(2026, 4, 2),
                                 expected_version=t.version + 1)  # attendance bumped the version once
    got = {a.officer_id: (a.hours_credited, a.held_on) for a in Attendance.objects.filter(training=t)}
    assert got[officers["a1"].pk] == (Decimal("6.0"), date(2026, 4, 2))  # full credit follows
    assert got[officers["a2"].pk] == (Decimal("3.0"), date(2026, 4, 2))  # partial credit kept
    assert got[officers["a3"].pk][0] == 0
    with pytest.raises(DomainError, match="超过新的培训学时"):
        services.update_training(actor=world.supervisor, training=t, hours="2")
    with pytest.raises(StaleVersion):
        services.update_training(actor=world.supervisor, training=t, title="新名称", expected_version=1)
    with pytest.raises(DomainError, match="今天以后"):
        services.update_training(actor=world.supervisor, training=t, held_on=date(2099, 1, 1))
    with pytest.raises(PermissionDenied):
        services.update_training(actor=world.dept_a_legal, training=t, title="越权")
    assert AuditEvent.objects.filter(action="training.update", object_id=str(t.pk)).count() == 1
