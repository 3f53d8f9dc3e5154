"""The confirm dialog (yifa.js, Bootstrap modal from data-confirm): 取消 leaves the person
on the wrong case, 确定 removes him and the row stays as 已移除; the busy state shows."""

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD
from yifa.accountability.models import Involvement, WrongCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_remove_asks_cancel_does_nothing_confirm_acts(world, lost, live_server, page):
    wc = WrongCase.objects.get(litigation=lost)
    inv = wc.backtrack.involvements.select_related("person").first()
    login(page, live_server, world.supervisor.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/accountability/wrong-cases/{wc.pk}/")
    row = f"#inv-{inv.pk}"
    page.fill(f"{row} input[name=reason]", "不在岗")
    page.click(f"{row} form[data-confirm] button")
    page.wait_for_selector("#confirm-dialog.show")
    assert inv.person.name in page.inner_text("#confirm-dialog-text")
    page.click("#confirm-dialog-cancel")
    page.wait_for_selector("#confirm-dialog", state="hidden")
    page.wait_for_timeout(300)
    inv.refresh_from_db()
    assert not inv.is_removed and "已移除" not in page.inner_text(row)

    page.click(f"{row} form[data-confirm] button")
    page.wait_for_selector("#confirm-dialog.show")
    with page.expect_navigation():
        page.click("#confirm-dialog-ok")
    page.wait_for_selector(f"{row}.inv-removed")
    inv.refresh_from_db()
    assert inv.is_removed and inv.removed_reason == "不在岗"
    text = page.inner_text(row)
    assert inv.person.name in text and "已移除" in text and "监督员甲" in text
    assert Involvement.objects.filter(pk=inv.pk).exists()
