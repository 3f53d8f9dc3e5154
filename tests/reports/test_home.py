"""The leader's home: key figures computed from the rollups, each against the same months
of last year, with links into the dashboard's drill-down."""

from datetime import date, timedelta

import pytest

from tests.clock import frozen
from yifa.enforcement.models import Case, EnforcementItem
from yifa.reports.selectors import rate
from yifa.reports.services import rebuild_rollups

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 3)


def closed(world, item, no, on, on_time):
    return Case.objects.create(org=world.dept_a, case_no=no, title="测试", item=item, party_name="某", filed_on=on - timedelta(days=10),
                               closed_on=on, state="closed", is_open=False, on_time=on_time, source_case_no=no)


def test_leader_home_key_figures_from_rollups(world, client_for):
    item = EnforcementItem.objects.create(org=world.dept_a, code="H-1", name="首页测试事项", category="inspection",
                                          legal_basis="《测试条例》")
    for i, ok in enumerate([True, True, False]):
        closed(world, item, f"H-26-{i}", date(2026, 3 + i, 5), ok)
    for i, ok in enumerate([True, True]):
        closed(world, item, f"H-25-{i}", date(2025, 4 + i, 5), ok)
    Case.objects.create(org=world.dept_a, case_no="H-OPEN", title="超期", item=item, party_name="某", state="filed",
                        filed_on=date(2026, 9, 1), is_open=True, due=date(2026, 10, 1), yellow_from=date(2026, 9, 25),
                        source_case_no="H-OPEN")
    with frozen(TODAY):
        rebuild_rollups(since=date(2025, 1, 1), today=TODAY)
        body = client_for(world.leader).get("/").content.decode()
    def n(**kw):
        return Case.objects.filter(org__path__startswith=world.county.path, on_time__isnull=False, **kw).count()
    now = rate(n(closed_on__year=2026, on_time=True), n(closed_on__year=2026))
    before = rate(n(closed_on__year=2025, on_time=True), n(closed_on__year=2025))
    assert "全县主要指标" in body and "按时办结率（2026年1—12月）" in body
    assert f"{now:.1f}%" in body
    diff = now - before
    assert (f"较去年同期下降 {-diff:.1f} 个百分点" if diff < 0 else f"较去年同期上升 {diff:.1f} 个百分点") in body
    overdue = Case.objects.filter(org__path__startswith=world.county.path, is_open=True, due__lt=TODAY).count()
    assert overdue >= 1 and f"{overdue} 件" in body.split("当前超期案件")[1][:200]
    assert "/reports/figures/monitoring.cases_closed/?org=" in body and 'href="/reports/"' in body
    assert "12月（至今）" in body  # the partial month is marked as such
    # other roles do not get the county's figures on their home
    assert "全县主要指标" not in client_for(world.officer_a).get("/").content.decode()
