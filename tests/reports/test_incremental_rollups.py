"""The sweep's rollup pass costs what changed: between full passes, the case figures are
recomputed only for the (unit, month) pairs of cases saved since the last pass; a
full pass every YIFA_ROLLUP_FULL_PASS_HOURS sees everything else (a date moved, a row
deleted)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from yifa.enforcement.models import Case, EnforcementItem
from yifa.reports import selectors
from yifa.reports.models import RollupRun
from yifa.reports.services import rebuild_rollups, sweep_rollups

TODAY = date(2026, 11, 28)

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world):
    return EnforcementItem.objects.create(org=world.dept_a, code="ROLLUP-1", name="汇总增量测试事项",
                                          category="penalty", legal_basis="《产品质量法》第四十九条")


def _case(world, item, n, filed_on):
    return Case.objects.create(org=world.dept_a, case_no=f"测汇〔2026〕{n}号", title=f"汇总增量测试 {n}", item=item,
                               party_name="李四", party_kind="individual", filed_on=filed_on, state="filed",
                               source_case_no=f"ROLLUP-{n}")


def _filed(world, month):
    end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return selectors.figure_values(world.dept_a, month, end)["monitoring.cases_filed"]


def test_between_full_passes_only_changed_months_are_recomputed(world, item, settings):
    settings.YIFA_ROLLUP_FULL_PASS_HOURS = 24
    march, june = date(2026, 3, 1), date(2026, 6, 1)
    _case(world, item, 1, date(2026, 3, 10))
    rebuild_rollups(since=date(2024, 1, 1), today=TODAY)
    assert _filed(world, march) == 1 and _filed(world, june) == 0
    # what the full pass saw was saved days ago (within the pass's look-back it would be seen again)
    Case.objects.update(updated_at=timezone.now() - timedelta(days=3))

    # saved through the ORM: updated_at moves, so its month is recomputed by the next pass
    _case(world, item, 2, date(2026, 6, 15))
    # written behind the model's back (no updated_at): an incremental pass does not look
    hidden = _case(world, item, 3, date(2026, 3, 20))
    Case.objects.filter(pk=hidden.pk).update(updated_at=timezone.now() - timedelta(days=3))
    assert sweep_rollups(TODAY)["rollups_changed"] >= 1
    run = RollupRun.objects.order_by("-started_at").first()
    assert run.full is False
    assert _filed(world, june) == 1
    assert _filed(world, march) == 1  # not seen yet: March had no case saved since the last pass

    # the next full pass (the last one is older than the setting) sees it
    RollupRun.objects.update(started_at=timezone.now() - timedelta(hours=25))
    sweep_rollups(TODAY)
    assert RollupRun.objects.order_by("-started_at").first().full is True
    assert _filed(world, march) == 2


def test_zero_hours_makes_every_pass_full(world, item, settings):
    settings.YIFA_ROLLUP_FULL_PASS_HOURS = 0
    rebuild_rollups(since=date(2024, 1, 1), today=TODAY)
    hidden = _case(world, item, 4, date(2026, 2, 3))
    Case.objects.filter(pk=hidden.pk).update(updated_at=timezone.now() - timedelta(days=3))
    sweep_rollups(TODAY)
    assert RollupRun.objects.order_by("-started_at").first().full is True
    assert _filed(world, date(2026, 2, 1)) == 1


def test_a_first_sweep_is_full(world, item, settings):
    settings.YIFA_ROLLUP_FULL_PASS_HOURS = 24
    _case(world, item, 5, date(2026, 4, 3))
    Case.objects.update(updated_at=timezone.now() - timedelta(days=30))
    sweep_rollups(TODAY)
    assert RollupRun.objects.get().full is True
    assert _filed(world, date(2026, 4, 1)) == 1


def test_a_rebuild_of_a_few_months_is_not_a_full_pass(world, item, settings):
    settings.YIFA_ROLLUP_FULL_PASS_HOURS = 24
    _case(world, item, 6, date(2026, 5, 7))
    Case.objects.update(updated_at=timezone.now() - timedelta(days=30))
    # an operator rebuilds the last two months only (yifa rollups --since 2026-10)
    rebuild_rollups(since=date(2026, 10, 1), today=TODAY)
    assert RollupRun.objects.get().full is False
    # so the sweep still owes a full pass, and May's case is counted
    sweep_rollups(TODAY)
    assert RollupRun.objects.order_by("-started_at").first().full is True
    assert _filed(world, date(2026, 5, 1)) == 1


def test_only_the_units_and_months_saved_since_are_recomputed(world, item, settings):
    from yifa.reports.models import FigureRollup

    settings.YIFA_ROLLUP_FULL_PASS_HOURS = 24
    march, june = date(2026, 3, 1), date(2026, 6, 1)
    _case(world, item, 11, date(2026, 3, 10))
    Case.objects.create(org=world.dept_b, case_no="测汇〔2026〕12号", title="汇总增量测试 12", item=item,
                                party_name="王五", party_kind="individual", filed_on=date(2026, 6, 2), state="filed",
                                source_case_no="ROLLUP-12")
    rebuild_rollups(since=date(2024, 1, 1), today=TODAY)
    Case.objects.update(updated_at=timezone.now() - timedelta(days=3))
    rows = FigureRollup.objects.filter(code="monitoring.cases_filed")
    # planted behind the sweep's back: a pass that recomputed these pairs would put them right
    rows.filter(org=world.dept_b, month=june).update(value=99)
    FigureRollup.objects.create(org=world.dept_a, code="monitoring.cases_filed", month=date(2026, 11, 1), value=77)

    _case(world, item, 13, date(2026, 6, 20))  # dept_a, June: the one pair saved since the last pass
    sweep_rollups(TODAY)
    assert rows.get(org=world.dept_a, month=june).value == 1
    assert rows.get(org=world.dept_b, month=june).value == 99  # same month, other unit: not read
    assert rows.get(org=world.dept_a, month=date(2026, 11, 1)).value == 77  # today's month, nothing saved
    assert rows.get(org=world.dept_a, month=march).value == 1

    RollupRun.objects.update(started_at=timezone.now() - timedelta(hours=25))
    sweep_rollups(TODAY)  # the full pass puts everything right
    assert rows.get(org=world.dept_b, month=june).value == 1
    assert not rows.filter(org=world.dept_a, month=date(2026, 11, 1), value=77).exists()
