from datetime import date

import pytest

from yifa.core import sweep as core_sweep
from yifa.core.models import Notification
from yifa.enforcement.models import Officer
from yifa.training.services import warn_certificates

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


def test_sweep_warns_once_per_threshold(world, officers):
    o = officers
    Officer.objects.filter(pk=o["a1"].pk).update(valid_to=date(2026, 12, 20))   # within 30 days (officer_a's profile)
    Officer.objects.filter(pk=o["a2"].pk).update(valid_to=date(2027, 2, 10))    # within 90 days
    Officer.objects.filter(pk=o["b1"].pk).update(valid_to=date(2026, 10, 1))    # expired
    Officer.objects.filter(pk=o["b2"].pk).update(valid_to=date(2027, 2, 10), status="revoked")  # not in post: silent
    before = Notification.objects.count()
    first = warn_certificates(TODAY)
    assert first == {"expiring_90": 1, "expiring_30": 2, "expired": 1}  # a1 → dept A legal officer + the officer
    new = Notification.objects.filter(dedupe_key__startswith="training.cert.")
    assert Notification.objects.count() - before == 4 == new.count()
    assert set(new.filter(dedupe_key__contains=f".{o['a1'].pk}.").values_list("recipient", flat=True)) == {
        world.dept_a_legal.pk, world.officer_a.pk}
    assert new.get(recipient=world.dept_b_legal).level == "red"
    assert "不能被指派" in new.get(recipient=world.dept_b_legal).body
    # second run: nothing new
    assert warn_certificates(TODAY) == {"expiring_90": 0, "expiring_30": 0, "expired": 0}
    assert new.count() == 4
    # a2 crosses into the 30-day window later: one new warning
    assert warn_certificates(date(2027, 1, 15))["expiring_30"] == 1
    # renewed certificate (new validity): warned afresh when it nears expiry again
    Officer.objects.filter(pk=o["a2"].pk).update(valid_to=date(2027, 3, 1))
    assert warn_certificates(date(2027, 1, 15)) == {"expiring_90": 1, "expiring_30": 0, "expired": 0}
    assert warn_certificates(date(2027, 1, 15)) == {"expiring_90": 0, "expiring_30": 0, "expired": 0}


def test_registered_sweep_task_is_idempotent(world, officers):
    Officer.objects.filter(pk=officers["a2"].pk).update(valid_to=date(2027, 1, 5))
    first = core_sweep.run_all(TODAY)["training"]
    assert first["expiring_90"] == 1
    assert core_sweep.run_all(TODAY)["training"] == {"expiring_90": 0, "expiring_30": 0, "expired": 0}


def test_recipients_for_many_units_in_two_queries(world, django_assert_max_num_queries):
    """The sweep's recipients per unit are read for all units at once (not two queries per
    unit): a unit's legal officers under it, else anyone active in it."""
    from yifa.training.services import unit_recipients_many

    units = [world.dept_a, world.dept_b, world.town_a, world.town_b, world.county, world.dept_a_unit]
    with django_assert_max_num_queries(2):
        got = unit_recipients_many(units)
    assert set(got[world.dept_a.pk]) == {world.dept_a_legal}
    assert set(got[world.dept_b.pk]) == {world.dept_b_legal}
    assert world.town_a_legal in got[world.town_a.pk] and world.town_b_legal not in got[world.town_a.pk]
    assert {world.dept_a_legal, world.dept_b_legal, world.town_a_legal} <= set(got[world.county.pk])
    world.dept_b_legal.is_active = False
    world.dept_b_legal.save()
    # no legal officer left under dept B: everyone active at or under it (nobody here) — an empty list, no error
    assert unit_recipients_many([world.dept_b])[world.dept_b.pk] == []
