"""The whole journey in a browser: a department submits a normative document, the duty
lawyer, the expert and the advisor office review in turn, the department downloads the
意见书 (a valid docx containing the conclusion), records adoption, and the item is cleared."""

import io
import zipfile

import pytest

from tests.browser.helpers import confirm, login
from tests.conftest import PASSWORD
from yifa.review.models import ReviewItem

from .conftest import DRAFT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url("**/login/")


def give_opinion(page, conclusion, suggestion=None, short_reason=None, final=False):
    if short_reason:
        page.fill("#op-short-reason", short_reason)
    page.fill("#op-authority", "制定主体适格，未超越法定权限。")
    page.fill("#op-procedure", "已公开征求意见。")
    page.fill("#op-content", "第二条设定了行政许可，应删除。")
    if suggestion:
        page.fill("#op-quote-1", suggestion[0])
        page.fill("#op-suggestion-1", suggestion[1])
        page.fill("#op-basis-1", "《行政许可法》第十七条")
    page.select_option("#op-conclusion", conclusion)
    page.click("#submit-opinion")
    if final:  # issuing the numbered 意见书 asks first
        page.wait_for_selector("#confirm-dialog.show")
        assert "出具《合法性审查意见书》" in page.inner_text("#confirm-dialog-text")
        confirm(page)
    page.wait_for_load_state()


def test_three_tier_journey(office, live_server, page, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    w = office
    # 1. the department submits
    login(page, live_server, "t_dept_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/review/")
    page.click("#create-link")
    page.fill("#id_title", "清河县城区户外广告设置管理办法")
    page.select_option("#id_item_type", "normative_document")
    page.fill("#id_specialty", "城市管理")
    page.fill("#id_draft_text", DRAFT)
    page.fill("#id_drafting_explanation", "为规范户外广告设置起草。")
    page.fill("#id_legal_basis", "《城市市容和环境卫生管理条例》")
    page.fill("#id_public_participation", "已公开征求意见30日。")
    page.click("#submit-item")
    page.wait_for_selector("#item-state[data-state=submitted]")
    item = ReviewItem.objects.get(title="清河县城区户外广告设置管理办法")
    detail = f"{live_server.url}/review/items/{item.pk}/"
    logout(page)

    # 2. the advisor office accepts: the duty lawyer of the day is assigned
    login(page, live_server, "t_office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(detail)
    page.click("#action-accept")
    page.wait_for_selector("#item-state[data-state=first_review]")
    assert "坐班钱律师" in page.inner_text("#current-reviewer")
    logout(page)

    # 3. the duty lawyer sees the pre-review hint and gives the first opinion
    login(page, live_server, "t_duty", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#todo-list >> text=清河县城区户外广告设置管理办法").count()
    page.goto(detail)
    assert page.locator(".hint >> text=设定行政许可").count()
    assert page.inner_text("#drafting-explanation") == "为规范户外广告设置起草。"
    assert page.inner_text("#legal-basis") == "《城市市容和环境卫生管理条例》"
    give_opinion(page, "agree_modified", ("须经县城市管理局批准后方可设置", "删除审批要求"))
    page.wait_for_selector("#item-state[data-state=second_review]")
    logout(page)

    # 4. the expert (chosen by specialty)
    login(page, live_server, "t_expert", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(detail)
    give_opinion(page, "agree_modified", ("第三条", "明确职责分工"))
    page.wait_for_selector("#item-state[data-state=final_review]")
    logout(page)

    # 5. the advisor office gives the final opinion: the 意见书 is issued
    login(page, live_server, "t_office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(detail)
    # the final reviewer starts from the two earlier suggestions: keeps one, drops the other
    assert page.locator("#earlier-suggestions .earlier-suggestion").count() == 2
    assert page.input_value("#op-content") == "第二条设定了行政许可，应删除。"  # from the expert's opinion
    page.locator(".earlier-suggestion").nth(1).locator("label", has_text="删除").click()
    give_opinion(page, "agree_modified", short_reason="县政府常务会议议程紧急，经主任批准提前完成", final=True)
    page.wait_for_selector("#item-state[data-state=opinion_issued]")
    logout(page)

    # 6. the department downloads the 意见书, tries to clear too early, records adoption, clears
    login(page, live_server, "t_dept_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(detail)
    assert page.inner_text("#final-conclusion") == "修改后同意"
    with page.expect_download() as info:
        page.click("#letter-docx")
    path = info.value.path()
    with zipfile.ZipFile(io.BytesIO(open(path, "rb").read())) as z:
        xml = z.read("word/document.xml").decode()
    assert "修改后同意" in xml and "合法性审查意见书" in xml
    assert xml.count("删除审批要求") == 1 and "明确职责分工" not in xml  # once; the dropped one is not sent
    assert page.locator(".adoption-select").count() == 1
    page.click("#action-clear")
    confirm(page)
    assert page.locator(".alert-danger >> text=未反馈采纳情况").count()
    # 未采纳 without a reason is refused, and the page comes back with the selection kept
    page.locator(".adoption-select").first.select_option("rejected")
    page.click("#save-adoption")
    page.wait_for_selector(".alert-danger >> text=部分采纳或未采纳须说明理由")
    assert page.locator(".adoption-select").first.input_value() == "rejected"
    for select in page.locator(".adoption-select").all():
        select.select_option("adopted")
    page.click("#save-adoption")
    page.wait_for_load_state()
    assert "未反馈" not in page.inner_text("#round-1")
    page.click("#action-confirm_adoption")
    page.wait_for_selector("#item-state[data-state=adoption_recorded]")
    page.click("#action-clear")
    confirm(page)
    page.wait_for_selector("#item-state[data-state=cleared]")
    assert "准予提交" in page.inner_text("#timeline") or page.locator("#timeline li").count() > 5
    # the sibling department cannot open it
    logout(page)
    login(page, live_server, "t_dept_b", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.goto(detail).status == 404
