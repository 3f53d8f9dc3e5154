import pytest

from tests.conftest import PASSWORD

from tests.browser.helpers import hold_back_static, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_navigate_and_logout(world, live_server, page):
    login(page, live_server, "t_supervisor", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("text=我的待办").is_visible()
    assert "测试县行政执法监督办公室" in page.content()
    page.click("nav >> text=系统管理")
    page.click("nav >> text=组织机构")
    page.wait_for_url("**/orgs/units/")
    assert page.locator("td >> text=北山镇").first.is_visible()  # county-wide scope
    page.click("td >> text=南湖镇")
    assert page.locator("h1:has-text('南湖镇')").is_visible()
    assert page.locator("#timeline").is_visible()
    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url("**/login/")


def test_township_officer_sees_only_own_township(world, live_server, page):
    login(page, live_server, "t_town_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/orgs/units/")
    body = page.content()
    assert "南湖镇" in body and "北山镇" not in body
    resp = page.goto(f"{live_server.url}/orgs/units/{world.town_b.pk}/")
    assert resp.status == 404 and "页面不存在" in page.content()


def test_wrong_password_then_lockout_message(world, live_server, page, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(page, live_server, "t_leader", "wrong-password-1")
    assert "用户名或密码错误" in page.content() or page.locator("#lockout").count()
    login(page, live_server, "t_leader", PASSWORD)
    assert page.locator("#lockout").is_visible()
    assert "登录失败次数过多" in page.locator("#lockout").inner_text()


def test_admin_adds_a_unit_on_a_phone(world, live_server, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    login(page, live_server, "t_admin", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.click(".navbar-toggler")
    page.click("nav >> text=系统管理")
    page.click("nav >> text=组织机构")
    page.click("#create-link")
    page.fill("#id_name", "县审计局")
    page.fill("#id_code", "T-SJ")
    page.select_option("#id_kind", "department")
    page.select_option("#id_parent", str(world.county.pk))
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=单位信息已保存")
    assert page.locator("h1:has-text('县审计局')").is_visible()
    context.close()


def test_actions_wait_for_the_page_scripts_of_a_page_reached_by_a_click(world, live_server, page,
                                                                          monkeypatch):
    """A page reached by a click shows its elements before the scripts at the end of <body>
    have run; an action on it must wait for them (tests/conftest.py), or a confirm dialog or
    a listener is skipped (CI failed once on exactly this). The server holds back the last
    script of the page (yifa.js itself is in <head>, before any element: see
    tests/evaluation/test_browser.py)."""
    login(page, live_server, "t_supervisor", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    held = hold_back_static(page, monkeypatch, "/yifa/table-cards.js", seconds=1.5)
    page.click("nav >> text=系统管理")
    page.click("nav >> text=组织机构")
    page.wait_for_selector("td >> text=南湖镇")
    page.locator("h1").first.click()  # a harmless action on the page still loading its scripts
    assert held and page.evaluate("document.readyState") == "complete"
