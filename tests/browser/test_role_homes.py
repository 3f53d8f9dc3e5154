"""Each role's home, in the browser: the grouped to-dos (or the leader's figures, the
administrator's system health) are there, and a screenshot of it is saved at 1440×900 and
390×844 under var/screenshots/ (for the closing note of issue 15)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.helpers import login
from tests.conftest import PASSWORD, make_user
from yifa.core import clock
from yifa.enforcement.models import Case, EnforcementItem
from yifa.orgs.models import Role
from yifa.reports.services import rebuild_rollups
from yifa.supervision.models import Urging

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def _data(world):
    today = clock.today()
    item = EnforcementItem.objects.create(org=world.dept_a, code="HOME-1", name="销售过期食品的处罚",
                                          category="penalty", legal_basis="《食品安全法》第一百二十四条")
    for i, (late, party) in enumerate([(74, "清河县某超市"), (12, "张某"), (-2, "李某")]):
        due = today - timedelta(days=late)
        Case.objects.create(org=world.dept_a, case_no=f"市监罚〔{today.year}〕{i + 1:03d}号", title="销售过期食品",
                            item=item, party_name=party, state="investigating", filed_on=due - timedelta(days=90),
                            is_open=True, due=due, yellow_from=due - timedelta(days=5), due_rule="penalty.decision",
                            handler=world.officer_a, source_case_no=f"H{i}")
    for i in range(3):  # closed cases this year and last, for the leader's figures
        for year in (today.year, today.year - 1):
            Case.objects.create(org=world.dept_a, case_no=f"市监检〔{year}〕{i}号", title="日常检查", item=item,
                                party_name="某公司", state="closed", is_open=False, on_time=i != 2 or year == today.year - 1,
                                filed_on=date(year, 3, 1), closed_on=date(year, 3 + i, 10), source_case_no=f"C{year}{i}")
    first = Case.objects.filter(org=world.dept_a, is_open=True).order_by("due").first()
    Urging.objects.create(org=world.dept_a, case=first, issuer_org=world.supervision_office, issued_by=world.supervisor,
                          issued_on=today - timedelta(days=10), instruction="请说明超期原因。", due=today - timedelta(days=3))
    rebuild_rollups(since=date(today.year - 1, 1, 1), today=today)


@pytest.fixture
def homes_world(world):
    _data(world)
    world.duty_lawyer = make_user("t_duty_lawyer", world.justice, [Role.DUTY_LAWYER], "坐班律师甲")
    world.expert_lawyer = make_user("t_expert_lawyer", world.justice, [Role.EXPERT_LAWYER], "专家律师甲")
    world.advisor_office = make_user("t_advisor_office", world.justice, [Role.ADVISOR_OFFICE], "顾问室甲")
    return world


ROLES = [
    ("admin", "admin", "#system-health"),
    ("leader", "leader", "#key-figures .key-figure"),
    ("supervisor", "supervisor", ".todo-group"),
    ("department_legal_officer", "dept_a_legal", ".todo-group"),
    ("township_legal_officer", "town_a_legal", "#todo-list"),
    ("officer", "officer_a", ".todo-group"),
    ("duty_lawyer", "duty_lawyer", "#todo-list"),
    ("expert_lawyer", "expert_lawyer", "#todo-list"),
    ("advisor_office", "advisor_office", "#todo-list"),
]


def test_each_role_home_with_screenshots(homes_world, live_server, browser):
    out = Path(settings.VAR_DIR) / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    assert {r for r, _u, _s in ROLES} == set(Role.values)
    for role, attr, selector in ROLES:
        user = getattr(homes_world, attr)
        for size, (w, h) in SIZES.items():
            context = browser.new_context(locale="zh-CN", viewport={"width": w, "height": h},
                                          is_mobile=size == "phone")
            page = context.new_page()
            login(page, live_server, user.username, PASSWORD)
            page.wait_for_url(f"{live_server.url}/")
            assert page.locator("h1").count() == 1 and "今日工作" in page.locator("h1").inner_text()
            assert page.locator(selector).count() >= 1, f"{role}: no {selector}"
            if selector == ".todo-group":  # grouped, with counts in words
                assert page.locator(".todo-counts .badge").count() >= 1
            page.screenshot(path=str(out / f"home-{role}-{size}.png"), full_page=True)
            context.close()
    officer = (out / "home-officer-desktop.png")
    assert officer.exists() and officer.stat().st_size > 10_000


def test_officer_home_in_words(homes_world, live_server, page):
    login(page, live_server, homes_world.officer_a.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    body = page.locator("#todo-list").inner_text()
    assert "已超期 74 天" in body and "清河县某超市" in body and "回复督办" in body
    assert "penalty." not in body and "(" not in body
    nav = page.locator("nav").text_content()
    assert "行政执法" in nav and "领导驾驶舱" not in nav and "人员账号" not in nav and "接口文档" not in nav
