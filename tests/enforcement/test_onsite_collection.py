"""当场收缴罚款 (行政处罚法 arts. 68, 69, 71): a summary-procedure fine collected on the spot is
handed over to the unit within two working days (penalty.onsite_handover, tracked), and the case
is not closed before it is; above 100 yuan only with the reason the law allows."""
from datetime import date
from decimal import Decimal

import pytest

from tests.clock import frozen
from tests.enforcement.test_cases import file, move
from yifa.core.workflows import GuardFailed
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.enforcement.models import Case

pytestmark = pytest.mark.django_db


def _summary(world, lib, amount, no):
    case = file(world, lib, procedure="summary", amount=Decimal(amount), circumstance="", source_case_no=no,
                filed_on=date(2026, 9, 29))
    move(case, "decide", world.officer_a, date(2026, 9, 29))
    return Case.objects.get(pk=case.pk)


def test_collected_fine_is_handed_over_within_two_working_days_across_national_day(world, lib, client_for):
    case = _summary(world, lib, "50", "OS1")
    move(case, "collect_on_spot", world.officer_a, date(2026, 9, 30))
    case.refresh_from_db()
    assert case.collected_on_spot and case.paid_on == date(2026, 9, 30) and case.handed_over_on is None
    d = deadlines_for_owner(case).get(rule__code="penalty.onsite_handover")
    assert d.due == date(2026, 10, 9)  # two working days: 国庆 10-01…10-07 skipped → 10-08, 10-09
    with pytest.raises(GuardFailed, match="尚未登记交至行政机关"):
        move(case, "close", world.officer_a, date(2026, 10, 8))
    with pytest.raises(GuardFailed, match="交款日期不能早于收缴日期"):
        move(case, "hand_over", world.officer_a, date(2026, 9, 29))
    with frozen(date(2026, 10, 8)):
        page = client_for(world.officer_a).get(f"/enforcement/cases/{case.pk}/").content.decode()
        assert "当场收缴" in page and "尚未交至行政机关" in page and 'id="act-hand_over"' in page
    move(case, "hand_over", world.officer_a, date(2026, 10, 8))
    d.refresh_from_db()
    assert d.state == "met" and d.closed_on == date(2026, 10, 8)
    with pytest.raises(GuardFailed, match="已于 2026-10-08 交至行政机关"):
        move(case, "hand_over", world.officer_a, date(2026, 10, 8))
    assert move(case, "close", world.officer_a, date(2026, 10, 9)).state == "closed"
    with frozen(date(2026, 10, 9)):
        data = client_for(world.officer_a).get(f"/api/v1/enforcement/cases/{case.pk}/").json()
    assert data["collected_on_spot"] is True and data["handed_over_on"] == "2026-10-08"


def test_above_one_hundred_yuan_needs_the_reason_the_law_allows(world, lib):
    case = _summary(world, lib, "150", "OS2")
    with pytest.raises(GuardFailed, match="第六十八条"):
        move(case, "collect_on_spot", world.officer_a, date(2026, 9, 30))
    case.refresh_from_db()
    assert not case.collected_on_spot and case.paid_on is None
    assert not deadlines_for_owner(case).filter(rule__code="penalty.onsite_handover").exists()
    move(case, "collect_on_spot", world.officer_a, date(2026, 9, 30), reason="当事人系外地过境车辆驾驶人，事后难以执行")
    assert Case.objects.get(pk=case.pk).collected_on_spot


def test_a_warning_or_a_paid_fine_is_not_collected_and_nothing_to_hand_over(world, lib):
    warning = file(world, lib, procedure="summary", sanction="warning", amount=None, circumstance="",
                   source_case_no="OS3", filed_on=date(2026, 9, 29))
    move(warning, "decide", world.officer_a, date(2026, 9, 29))
    with pytest.raises(GuardFailed, match="没有罚款"):
        move(warning, "collect_on_spot", world.officer_a, date(2026, 9, 30))
    with pytest.raises(GuardFailed, match="不是当场收缴"):
        move(warning, "hand_over", world.officer_a, date(2026, 9, 30))
    # a summary fine not collected on the spot closes as before
    case = _summary(world, lib, "80", "OS4")
    assert move(case, "close", world.officer_a, date(2026, 9, 30)).state == "closed"


def test_another_units_officer_cannot_collect(world, lib):
    from django.http import Http404

    from yifa.core.errors import DomainError
    case = _summary(world, lib, "50", "OS5")
    with pytest.raises((Http404, PermissionError, DomainError, Exception)) as exc:
        move(case, "collect_on_spot", world.officer_b, date(2026, 9, 30))
    assert not isinstance(exc.value, GuardFailed)
    assert not Case.objects.get(pk=case.pk).collected_on_spot
