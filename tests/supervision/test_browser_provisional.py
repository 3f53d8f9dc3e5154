"""Browser journey on a December day (10 December of the seeded calendar's last complete
year, clock frozen and ticking): the supervisor confirms an online-rule clue and issues a
监督意见书 from it; both succeed and show the rectification date marked 暂定, because
next year's holiday notice is not entered. Then the administrator's home page reminds of
that notice."""

from datetime import date
from decimal import Decimal

import pytest

from tests.browser.helpers import confirm, login
from tests.clock import frozen, last_complete_year
from tests.conftest import PASSWORD
from yifa.enforcement.models import Case, EnforcementItem, Officer
from yifa.supervision import services
from yifa.supervision.models import Clue, OpinionLetter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _clue(world, today):
    item = EnforcementItem.objects.create(org=world.dept_a, code="PROV-1", name="暂定测试事项", category="penalty",
                                          legal_basis="《测试条例》")
    officers = [Officer.objects.create(org=world.dept_a, name=n, certificate_no=f"PROV-{n}",
                                       valid_from=date(2020, 1, 1), valid_to=date(2099, 12, 31)) for n in ("甲", "乙")]
    case = Case.objects.create(org=world.dept_a, case_no="PROV-NOREV-1", title="未经法制审核的大额罚款", item=item,
                               party_name="某公司", party_kind="organisation", filed_on=date(today.year, 9, 1),
                               decided_on=date(today.year, 11, 2), sanction="fine", amount=Decimal("80000"),
                               state="decided", source_case_no="PROV-NOREV-1")
    case.officers.set(officers)
    services.run_rules(today=today)
    return Clue.objects.get(rule_code="review.missing", case=case)


def test_supervisor_confirms_a_clue_and_issues_a_letter_in_december(world, live_server, browser, page):
    last = last_complete_year()
    today = date(last, 12, 10)
    with frozen(today, tick=True):
        clue = _clue(world, today)
        login(page, live_server, world.supervisor.username, PASSWORD)
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/supervision/clues/{clue.pk}/")
        page.select_option("#confirm-form select[name=category]", "procedure")
        page.click("#confirm-clue")
        page.wait_for_url("**/supervision/findings/**")
        finding = Clue.objects.get(pk=clue.pk).finding
        assert finding.due_provisional and finding.due.year == last + 1
        assert "暂定" in page.inner_text("body")

        page.goto(f"{live_server.url}/supervision/letters/new/?finding={finding.pk}")
        page.fill("textarea[name=requirements]", "请立即对该案补充法制审核并建立长效机制。")
        page.get_by_role("button", name="保存").click()
        confirm(page)
        page.wait_for_url("**/supervision/letters/**")
        letter = OpinionLetter.objects.get(findings=finding)
        assert letter.due_provisional
        body = page.inner_text("body")
        assert "暂定" in body and letter.doc_number in body
        assert f"{letter.due:%Y-%m-%d}（暂定" in body  # the success message names the date as provisional

    # the administrator is reminded (from 1 November, next year's notice missing)
    with frozen(today, tick=True):
        ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        admin = ctx.new_page()
        admin.set_default_timeout(15000)
        login(admin, live_server, world.admin.username, PASSWORD)
        admin.wait_for_load_state()
        admin.goto(f"{live_server.url}/")
        banner = admin.inner_text(".home-banner")
        assert f"{last + 1} 年放假安排尚未录入" in banner and "个期限为暂定" in banner
        admin.click(".home-banner a")
        admin.wait_for_url("**/deadlines/holidays/**")
        assert f"{last + 1} 年放假安排尚未录入" in admin.inner_text("body")
        ctx.close()
