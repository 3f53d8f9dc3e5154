"""Under the Content-Security-Policy the moved scripts still run: charts draw, form fields get
their classes, data-confirm asks (the `page` fixture fails any browser test on a CSP violation
the browser reports; the first test proves such a violation is reported)."""

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_is_refused_and_reported(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    seen = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/login/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__x = 1';"
                  " document.body.appendChild(s); }")
    assert page.evaluate("() => window.__x === undefined")
    page.wait_for_timeout(200)
    context.close()
    assert seen, "the browser did not report the refused inline script"


def test_moved_scripts_run_under_the_policy(world, live_server, page):
    login(page, live_server, world.walker_a.username, PASSWORD)
    page.wait_for_load_state()
    for path, chart in (("/enforcement/monitoring/", "#trend-chart"), ("/reports/", "#chart-trend")):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(f"{chart} canvas", state="attached")
    page.goto(f"{live_server.url}/portal/statistics/")
    page.wait_for_selector("#stats-chart canvas", state="attached")
    page.goto(f"{live_server.url}/deadlines/calculator/")
    assert "form-select" in (page.get_attribute("#calculator-form select", "class") or "")
    # data-confirm (yifa.js, a Bootstrap modal under the CSP): 取消 keeps the page, 确定 submits
    page.goto(f"{live_server.url}/account/")
    page.evaluate("() => { document.getElementById('token-form').dataset.confirm = '确定申请？'; }")
    page.click("#token-form button")
    page.wait_for_selector("#confirm-dialog.show")
    page.click("#confirm-dialog-cancel")
    page.wait_for_timeout(300)
    assert not page.query_selector("#new-token")
    page.click("#token-form button")
    page.wait_for_selector("#confirm-dialog.show")
    page.click("#confirm-dialog-ok")
    page.wait_for_selector("#new-token")
