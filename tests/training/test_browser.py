"""The journey: a supervisor records a session and its attendance; the officer's hours
and the unit's completion rate update."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.helpers import login
from tests.conftest import PASSWORD
from yifa.enforcement.models import Officer
from yifa.training.models import Attendance, Training

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_session_and_see_hours_and_completion(world, live_server, page):
    year = timezone.localdate().year
    held = date(year, 1, 10)
    zhao = Officer.objects.create(org=world.dept_a, name="赵执法", certificate_no="TRN-BR-1", valid_from=date(2024, 1, 1),
                                  valid_to=date(2030, 12, 31))
    qian = Officer.objects.create(org=world.dept_a, name="钱执法", certificate_no="TRN-BR-2", valid_from=date(2024, 1, 1),
                                  valid_to=date(2030, 12, 31))
    earlier = Training.objects.create(org=world.supervision_office, title="年初集中培训", held_on=held, hours=56)
    Attendance.objects.create(training=earlier, officer=zhao, org=world.dept_a, hours_credited=Decimal("56"),
                              held_on=held)

    login(page, live_server, world.supervisor.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/training/statistics/?org={world.dept_a.pk}")
    row = page.locator("#stats-table tbody tr", has_text=world.dept_a.name)
    assert row.locator("td").nth(8).inner_text() == "0.0%"

    page.goto(f"{live_server.url}/training/")
    page.click("#new-training")
    page.select_option("#id_org", str(world.supervision_office.pk))
    page.fill("#id_title", "行政执法证据规则专题培训")
    page.select_option("#id_kind", "skills")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_hours", "6")
    page.fill("#id_trainer", "县法院行政庭 赵庭长")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#attendance-form")
    assert page.inner_text("#training-title") == "行政执法证据规则专题培训"
    page.fill("#officer-search", "执法")
    page.check(f"#officer-{zhao.pk}")
    page.check(f"#officer-{qian.pk}")
    page.click("#save-attendance")
    page.wait_for_load_state()
    assert "出勤已登记：新增 2 人" in page.content()
    assert page.locator("#attendance-table tbody tr").count() == 2

    page.click("#attendance-table >> text=赵执法")
    page.wait_for_selector("#officer-hours")
    assert page.inner_text("#officer-hours") == "62"
    assert "已达标" in page.inner_text("#officer-completion")
    assert "行政执法证据规则专题培训" in page.inner_text("#history-table")

    page.goto(f"{live_server.url}/training/officers/{qian.pk}/")
    assert page.inner_text("#officer-hours") == "6"
    assert "尚差 54 学时" in page.inner_text("#officer-completion")

    page.goto(f"{live_server.url}/training/statistics/?org={world.dept_a.pk}")
    row = page.locator("#stats-table tbody tr", has_text=world.dept_a.name)
    assert row.locator("td").nth(6).inner_text() == "1"       # meeting the requirement
    assert row.locator("td").nth(8).inner_text() == "50.0%"   # 1 of 2 officers
