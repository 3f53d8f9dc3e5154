"""The journey: a member of the public opens the portal (no login), goes to the advisor
list and searches it, then to the enforcement decisions list and one masked decision."""

from datetime import date

import pytest

from yifa.enforcement.models import EnforcementItem
from yifa.review.models import LegalAdvisor

from .conftest import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_visitor_portal_advisors_decisions(world, live_server, page):
    item = EnforcementItem.objects.create(org=world.dept_a, code="PORTAL-B-1", name="门户浏览器事项",
                                          category="penalty", legal_basis="《产品质量法》第四十九条")
    make_case(world, item, 1, published_on=date(2026, 6, 1), title="销售不合格电动车头盔")
    LegalAdvisor.objects.create(org=world.justice, name="冯顾问", advisor_type="practising_lawyer",
                                firm="清风律师事务所", specialties="行政法、市场监管", county_team=True,
                                phone="13900001111")
    LegalAdvisor.objects.create(org=world.town_a, name="褚顾问", advisor_type="government_lawyer",
                                firm="公职律师办公室", specialties="农业农村", phone="13900002222")

    page.goto(f"{live_server.url}/portal/")
    assert "法治政府建设公众门户" in page.content()
    assert page.locator("#staff-login").get_attribute("href") == "/login/"
    assert "销售不合格电动车头盔" in page.inner_text("#latest-decisions")
    assert page.context.cookies() == []  # no session or CSRF cookie for a visitor

    page.click("#section-advisors")
    page.wait_for_selector("#advisor-table")
    table = page.inner_text("#advisor-table")
    assert "冯顾问" in table and "清风律师事务所" in table and "褚顾问" in table
    assert "13900001111" not in page.content()
    page.fill("#advisor-search input[name=q]", "市场监管")
    page.click("#advisor-search button[type=submit]")
    page.wait_for_url("**/portal/advisors/?*")
    table = page.inner_text("#advisor-table")
    assert "冯顾问" in table and "褚顾问" not in table

    page.click("#nav-decisions")
    page.wait_for_selector("#public-table")
    assert "销售不合格电动车头盔" in page.inner_text("#public-table")
    page.click("#public-table >> text=销售不合格电动车头盔")
    page.wait_for_selector("#public-party")
    assert page.inner_text("#public-party") == "张**"
    assert "13912345678" not in page.content() and "张三丰" not in page.content()
