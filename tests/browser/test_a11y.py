"""Accessibility and phone-width checks over every page a role can reach (issue #15 §5, §12).

Pages are enumerated from what the browser renders, so new pages get checked automatically:
the role's menu, the sub-navigation of each menu page, and the first detail link of each list
(first row of each table, first entry of each list group) — two levels deep from the menu.

- Every page of every demo role: a distinct `<title>` ("页面名 - 依法行政综合管理平台", not the
  bare site name, no two paths of a role sharing one), exactly one non-empty h1, one `<main
  id="main">` landmark, a skip link "跳到主要内容" whose target exists, and an accessible
  name (label[for], wrapping label, aria-label or aria-labelledby) for every input, select
  and textarea the page renders.
- At 390×844 (a phone), every page of the officer and lawyer roles fits the viewport:
  `document.documentElement.scrollWidth <= window.innerWidth`, and no table cell is squeezed
  narrower than 3.5 em while holding four or more characters (one character per line).

Failures are collected per page and reported together.
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD, make_org, make_user
from yifa.orgs.models import OrgKind, Role

pytestmark = [pytest.mark.browser, pytest.mark.pages, pytest.mark.django_db(transaction=True)]

SITE = "依法行政综合管理平台"
MAX_PAGES = 80  # per role: a runaway crawl is a bug of the crawl, not a reason to wait

# Links that are not HTML pages of the application shell (downloads, API, the browsable
# API docs rendered by drf-spectacular's own template, Django's admin).
SKIP = ("/export", "export=", "format=", "/download", "/file", "/media/", "/api/", "/admin/", "/logout",
        ".xlsx", ".docx", ".pdf", ".csv", ".zip")

COLLECT_JS = """() => {
  const same = a => a.href && a.origin === location.origin && !a.getAttribute('href').startsWith('#');
  const menu = [...document.querySelectorAll('nav #nav a[href], nav .navbar-brand')].filter(same).map(a => a.href);
  const sub = [...document.querySelectorAll('main .nav a[href], main .nav-link[href]')].filter(same).map(a => a.href);
  const details = [];
  for (const t of document.querySelectorAll('main table')) {
    const a = [...t.querySelectorAll('tbody tr a[href]')].find(same);
    if (a) details.push(a.href);
  }
  for (const g of document.querySelectorAll('main .list-group')) {
    const a = [...g.querySelectorAll('a[href]')].find(same);
    if (a) details.push(a.href);
  }
  return {menu, sub, details};
}"""

CHECK_JS = """() => {
  const out = [];
  const h1 = [...document.querySelectorAll('h1')];
  if (h1.length !== 1) out.push(`${h1.length} 个 h1`);
  else if (!h1[0].textContent.trim()) out.push('h1 为空');
  const mains = document.querySelectorAll('main');
  if (mains.length !== 1 || mains[0].id !== 'main') out.push('缺少唯一的 <main id="main">');
  const skip = [...document.querySelectorAll('a[href^="#"]')].find(a => a.textContent.includes('跳到主要内容'));
  if (!skip) out.push('没有“跳到主要内容”链接');
  else if (!document.getElementById(skip.getAttribute('href').slice(1))) out.push('跳转链接的目标不存在');
  const named = el => {
    if ((el.getAttribute('aria-label') || '').trim()) return true;
    const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    if (by.some(id => document.getElementById(id) && document.getElementById(id).textContent.trim())) return true;
    return [...(el.labels || [])].some(l => l.textContent.trim());
  };
  const skipTypes = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.tagName === 'INPUT' && skipTypes.has(el.type)) continue;
    if (!el.getClientRects().length) continue;  // not rendered (collapsed, display:none)
    if (!named(el)) out.push(`控件无标签: <${el.tagName.toLowerCase()} name="${el.name || ''}" id="${el.id || ''}">`);
  }
  return out;
}"""

# On a phone a page must not scroll sideways, and no table cell may be squeezed so narrow that
# its text wraps a character or two per line (9 columns in 390 px did that).
PHONE_JS = """() => {
  const out = [];
  const sw = document.documentElement.scrollWidth, iw = window.innerWidth;
  if (sw > iw) out.push(`scrollWidth ${sw} > innerWidth ${iw}`);
  const squeezed = [...document.querySelectorAll('main td')].filter(c => {
    if (!c.getClientRects().length) return false;
    const text = c.innerText.trim();
    const em = parseFloat(getComputedStyle(c).fontSize);
    return text.length >= 4 && c.getBoundingClientRect().width < 3.5 * em;
  });
  if (squeezed.length) out.push(`${squeezed.length} 个表格单元格过窄（如“${squeezed[0].innerText.trim().slice(0, 12)}”）`);
  return out;
}"""


def _skip(url, base):
    parts = urlsplit(url)
    return not url.startswith(base) or any(s in url for s in SKIP) or parts.path.startswith("/static/")


def pattern(url):
    """One page per URL shape: /cases/12/ and /cases/13/?tab=x are the same template."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def crawl(page, base):
    """Yield (url, response) for the role's pages: menu, sub-navigation, first detail links
    (one URL per shape, see `pattern`)."""
    seen = set()
    page.goto(base + "/")
    queue = [(u, 0) for u in page.evaluate(COLLECT_JS)["menu"]]
    queue.insert(0, (base + "/", 0))
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.pop(0)
        if pattern(url) in seen or _skip(url, base):
            continue
        seen.add(pattern(url))
        try:
            resp = page.goto(url, wait_until="domcontentloaded")
        except Exception as exc:  # a download or an aborted navigation is not a page
            if "Download" in str(exc):
                continue
            raise
        if resp is None or "text/html" not in (resp.headers.get("content-type") or ""):
            continue
        if page.locator("#portal-nav").count():  # the public portal: its own layout and site name
            continue
        yield url, resp
        if depth < 2:
            links = page.evaluate(COLLECT_JS)
            queue += [(u, depth + 1) for u in links["sub"] + links["details"]]


def role_world(world):
    """The shared test county plus the roles `world` lacks: lawyers and the advisor office
    (with an item accepted, so the duty lawyer has an assignment to open), and an officer in
    the township whose case the scoping fixtures create."""
    from django.utils import timezone

    from yifa.review import services as review
    from yifa.review.models import AdvisorType, DutyRota, LegalAdvisor

    office = make_org("T-GWS", "测试县人民政府法律顾问室", OrgKind.ADVISOR_OFFICE, world.justice)
    duty = make_user("t_duty", office, [Role.DUTY_LAWYER], "坐班钱律师")
    make_user("t_expert", office, [Role.EXPERT_LAWYER], "专家孙律师")
    boss = make_user("t_office", office, [Role.ADVISOR_OFFICE], "顾问室赵主任")
    adv = LegalAdvisor.objects.create(org=office, name=duty.display_name, user=duty, county_team=True,
                                      advisor_type=AdvisorType.PRACTISING_LAWYER, specialties="行政法")
    DutyRota.objects.create(org=office, advisor=adv, date=timezone.localdate())
    review.act(world.review_item_a, "accept", actor=boss)
    make_user("t_officer", world.town_a, [Role.OFFICER], "南湖执法员")


LONG_NAME = ("关于南湖镇某某餐饮管理有限公司涉嫌未取得食品经营许可从事食品经营活动一案的现场检查笔录、询问笔录及"
             "证据先行登记保存通知书（第一次）.pdf")


def realistic_case(world):
    """Field data as the demo has it: long party details, facts and file names, several
    process records — what makes a case page overflow a phone."""
    from django.core.files.base import ContentFile

    from yifa.enforcement.models import ProcessRecord

    case = world.enf_case_a
    case.party_name = "南湖镇某某餐饮管理有限公司（法定代表人：欧阳某某）"
    case.party_address = "测试县南湖镇人民路东段与建设路交叉口西北角商住楼一层102-105号商铺"
    case.facts = "经查，当事人自2026年3月起在未取得食品经营许可证的情况下从事餐饮服务经营活动，" * 3
    case.save()
    for i in range(3):
        rec = ProcessRecord(case=case, org=case.org, step="filed", kind="document", original_name=f"{i}{LONG_NAME}",
                            content_type="application/pdf", size=123456, sm3="a" * 64,
                            description="现场检查时当事人拒绝签字，由两名执法人员签名并全程录音录像")
        rec.file.save(f"long-{i}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        rec.save()


def case_actions_on_a_phone(page, url):
    """The case's action rows on a phone: each date input spans its row, the ordinary step is a
    primary button, and 撤销立案 (irreversible) is an outlined danger button in its own group
    after the ordinary steps."""
    page.goto(url)
    got = page.evaluate("""() => {
      const row = document.querySelector('form.transition-form[data-action="investigate"]');
      const date = row && row.querySelector('input[name="on"]');
      const dismiss = document.getElementById('act-dismiss'), step = document.getElementById('act-investigate');
      const group = dismiss && dismiss.closest('.card-body').querySelector('.danger-actions');
      return {
        dateFull: !!date && date.getBoundingClientRect().width >= 0.9 * row.getBoundingClientRect().width,
        step: step ? step.className : '', dismiss: dismiss ? dismiss.className : '',
        grouped: !!group && !!(group.compareDocumentPosition(dismiss) & Node.DOCUMENT_POSITION_FOLLOWING)
                 && !!(step.compareDocumentPosition(group) & Node.DOCUMENT_POSITION_FOLLOWING),
      };
    }""")
    problems = []
    if not got["dateFull"]:
        problems.append("办理日期输入框未占满一行")
    if "btn-primary" not in got["step"] or "btn-outline-danger" not in got["dismiss"] or not got["grouped"]:
        problems.append(f"撤销立案未与普通步骤分组区分：{got}")
    return [("t_officer", url, problems)] if problems else []


ALL_ROLES = ["t_admin", "t_supervisor", "t_leader", "t_dept_a", "t_town_a", "t_officer", "t_duty", "t_expert",
             "t_office"]
PHONE_ROLES = ["t_officer", "t_duty", "t_expert", "t_office"]


def _context(browser, **kw):
    context = browser.new_context(locale="zh-CN", **kw)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    return context, pg


def _report(failures, checked):
    lines = [f"{user} {url}: {'; '.join(problems)}" for user, url, problems in failures]
    return f"{len(failures)} of {checked} pages fail:\n" + "\n".join(lines)


def skip_link_works(page, url):
    """The first Tab shows the skip link on screen; following it puts focus in <main>."""
    page.keyboard.press("Tab")
    link = page.evaluate("""() => { const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return {text: a.textContent.trim(), visible: r.top >= 0 && r.height > 0}; }""")
    page.keyboard.press("Enter")
    focus = page.evaluate("() => document.activeElement.id")
    if link != {"text": "跳到主要内容", "visible": True} or focus != "main":
        return [("t_admin", url, [f"第一次 Tab 应显示“跳到主要内容”并把焦点移到 main：{link}, 焦点 {focus!r}"])]
    return []


def test_every_page_has_title_h1_labels_and_skip_link(world, live_server, browser):
    role_world(world)
    base = live_server.url
    failures, checked, per_role = [], 0, {}
    for user in ALL_ROLES:
        context, page = _context(browser, viewport={"width": 1280, "height": 900})
        if user == ALL_ROLES[0]:  # the login page, before signing in
            page.goto(f"{base}/login/")
            checked += 1
            problems = page.evaluate(CHECK_JS)
            if problems:
                failures.append(("(未登录)", f"{base}/login/", problems))
        login(page, live_server, user, PASSWORD)
        page.wait_for_url(base + "/")
        if user == ALL_ROLES[0]:
            failures += skip_link_works(page, base + "/")
        titles = {}
        for url, resp in crawl(page, base):
            checked += 1
            per_role[user] = per_role.get(user, 0) + 1
            problems = page.evaluate(CHECK_JS)
            if resp.status >= 500:
                problems.append(f"HTTP {resp.status}")
            title = page.title()
            name, sep, site = title.rpartition(" - ")
            if not sep or site != SITE or not name.strip() or SITE in name:
                problems.append(f"标题应为“页面名 - {SITE}”：{title!r}")
            else:
                path = urlsplit(url).path
                other = titles.setdefault(title, path)
                if other != path:
                    problems.append(f"标题“{name}”与 {other} 相同")
            if problems:
                failures.append((user, url, problems))
        context.close()
    print(f"\naccessibility: {checked} pages checked; per role {per_role}")
    assert all(per_role.get(u, 0) >= 5 for u in ALL_ROLES), per_role
    assert not failures, _report(failures, checked)


def test_officer_and_lawyer_pages_fit_a_phone(world, live_server, browser):
    role_world(world)
    realistic_case(world)
    base = live_server.url
    failures, checked, per_role, visited = [], 0, {}, set()
    for user in PHONE_ROLES:
        context, page = _context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        login(page, live_server, user, PASSWORD)
        page.wait_for_url(base + "/")
        for url, _resp in crawl(page, base):
            checked += 1
            per_role[user] = per_role.get(user, 0) + 1
            visited.add((user, pattern(url)))
            problems = page.evaluate(PHONE_JS)
            if problems:
                failures.append((user, url, problems))
        if user == "t_officer":
            failures += case_actions_on_a_phone(page, f"{base}/enforcement/cases/{world.enf_case_a.pk}/")
        context.close()
    print(f"\nphone 390x844: {checked} pages checked; per role {per_role}")
    # the crawl reached the pages that matter on a phone: a case and a review item
    assert all(per_role.get(u, 0) >= 5 for u in PHONE_ROLES), per_role
    assert ("t_officer", "/enforcement/cases/N/") in visited and ("t_duty", "/review/items/N/") in visited, visited
    assert not failures, _report(failures, checked)
