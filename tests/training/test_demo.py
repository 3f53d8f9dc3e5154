from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yifa.enforcement.models import Officer
from yifa.training import demo, selectors
from yifa.training.models import Attendance, Training

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


def test_demo_builds_realistic_completion_in_bulk(world):
    officers = [Officer(org=org, name=f"演示{i}", certificate_no=f"DEMO-{i}", valid_from=date(2022, 1, 1),
                        valid_to=date(2029, 12, 31))
                for i, org in enumerate([world.dept_a] * 60 + [world.dept_b] * 60 + [world.town_a] * 20)]
    Officer.objects.bulk_create(officers)
    with CaptureQueriesContext(connection) as q:
        counts = demo.build(orgs={"QH-SFJ-JDB": world.supervision_office}, officers=officers, today=TODAY,
                            staff=[world.dept_a_legal])
    assert len(q) < 60  # bulk inserts, whatever the number of officers
    assert counts["sessions"] == Training.objects.filter(org__in=[world.supervision_office, world.dept_a, world.dept_b,
                                                                  world.town_a], title__contains="年").count()
    assert not Attendance.objects.filter(held_on__gt=TODAY).exists()
    assert Attendance.objects.filter(user=world.dept_a_legal).exists()
    for year in (2024, 2025, 2026):
        rows = {r["org"]: r for r in selectors.unit_statistics(world.supervisor, year, TODAY)}
        m = selectors.training_metrics(world.dept_a, date(year, 1, 1), date(year, 12, 31), today=TODAY)
        assert m["officers"] == 60 and 65 <= m["completion_rate"] <= 97, (year, m)
        assert m["officers_below"] > 0
        assert rows[world.dept_a.pk]["completion_rate"] == m["completion_rate"]
