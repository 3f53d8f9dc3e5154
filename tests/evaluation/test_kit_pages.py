"""The view kit on the evaluation pages: Excel from the campaign, file and sheet lists
(only the rows in the user's scope, numbers as numbers), the confirm dialogs on the
irreversible acts, and the typed input kept when a service refuses."""

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from yifa.core.xlsx import XLSX
from yifa.supervision.evaluation import services
from yifa.supervision.evaluation.defaults import DEFAULT_SHEET_NAME
from yifa.supervision.evaluation.models import Campaign, FileState, ScoringSheet

pytestmark = pytest.mark.django_db
BASE = "/supervision/evaluation"


def _rows(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def _export_link(page):
    links = re.findall(r'<a [^>]*id="export-link"[^>]*>', page)
    return len(links) == 1 and "export=xlsx" in links[0]


def _scoring_campaign(world):
    c = services.create_campaign(actor=world.supervisor, org=world.supervision_office, title="套件评查",
                                 period_start=date(2026, 1, 1), period_end=date(2026, 10, 31),
                                 targets=[(world.dept_a, "count", 4)], evaluators=[world.supervisor])
    c = services.sample(actor=world.supervisor, campaign=c, seed=3)
    services.campaign_transition(actor=world.supervisor, campaign=c, action="start")
    c.refresh_from_db()
    return c


def test_campaign_and_file_lists_export_only_the_visible_rows(world, client_for):
    a, b = world.eval_campaign_a, world.eval_campaign_b
    town_a = client_for(world.town_a_legal)
    for url in (f"{BASE}/campaigns/", f"{BASE}/files/", f"{BASE}/sheets/"):
        assert _export_link(town_a.get(url).content.decode()), url

    rows = _rows(town_a.get(f"{BASE}/campaigns/?export=xlsx"))
    titles = [r[0] for r in rows[1:]]
    assert a.title in titles and b.title not in titles
    row = dict(zip(rows[0], rows[1 + titles.index(a.title)]))
    assert row["状态"] == "评分中"  # the state in words, not its code

    rows = _rows(town_a.get(f"{BASE}/files/?export=xlsx"))
    header, body = rows[0], rows[1:]
    assert len(body) == 1  # town_a's own file; town_b's is not in the file
    row = dict(zip(header, body[0]))
    assert row["评查活动"] == a.title and "北山" not in str(rows)
    assert row["序号"] == 1 and isinstance(row["序号"], int)
    assert row["得分"] == 97 and isinstance(row["得分"], (int, float)) and isinstance(row["问题数"], int)


def test_sheet_list_exports_the_thresholds_as_numbers(world, client_for):
    page = client_for(world.supervisor).get(f"{BASE}/sheets/").content.decode()
    sheet = ScoringSheet.objects.get(name=DEFAULT_SHEET_NAME)
    assert f'href="{BASE}/sheets/{sheet.pk}/"' in page and "本地默认" in page and 'id="create-link"' in page
    assert 'id="create-link"' not in client_for(world.officer_a).get(f"{BASE}/sheets/").content.decode()
    rows = _rows(client_for(world.supervisor).get(f"{BASE}/sheets/?export=xlsx"))
    row = next(dict(zip(rows[0], r)) for r in rows[1:] if str(r[0]).startswith(DEFAULT_SHEET_NAME))
    assert row["项目数"] == sheet.items.count() and isinstance(row["项目数"], int)
    assert Decimal(str(row["优秀最低分"])) == sheet.excellent_min and isinstance(row["优秀最低分"], (int, float))
    assert row["启用"] in ("是", "否")


def test_sheet_page_names_the_objective_checks_in_words(world, client_for):
    sheet = ScoringSheet.objects.get(name=DEFAULT_SHEET_NAME)
    page = client_for(world.officer_a).get(f"{BASE}/sheets/{sheet.pk}/").content.decode()
    codes = set(sheet.items.exclude(check_code="").values_list("check_code", flat=True))
    assert codes and not any(f">{code}<" in page for code in codes)
    assert "决定书无送达记录" in page or "办案环节超过法定期限" in page


def test_irreversible_acts_ask_first(world, closed_cases, client_for):
    sup = client_for(world.supervisor)
    c = services.create_campaign(actor=world.supervisor, org=world.supervision_office, title="确认评查",
                                 period_start=date(2026, 1, 1), period_end=date(2026, 10, 31),
                                 targets=[(world.dept_a, "count", 4)], evaluators=[world.supervisor])
    c = services.sample(actor=world.supervisor, campaign=c, seed=3)
    page = sup.get(f"{BASE}/campaigns/{c.pk}/").content.decode()
    assert re.search(r'id="sample-btn" data-confirm="将重新随机抽样', page)
    assert re.search(r'/op/start/" data-confirm="将开始评分', page)
    services.campaign_transition(actor=world.supervisor, campaign=c, action="start")
    f = c.files.order_by("seq").first()
    page = sup.get(f"{BASE}/files/{f.pk}/").content.decode()
    assert re.search(r'id="submit-score" data-confirm="将提交评定', page)
    for x in c.files.all():
        services.score_file(actor=world.supervisor, file=x, deductions=[], decisions=[
            {"suggestion": s.pk, "decision": "reject", "reason": "卷宗有记录"} for s in x.suggestions.all()],
            submit=True)
    page = sup.get(f"{BASE}/files/{f.pk}/").content.decode()
    assert re.search(r'id="reopen-form" data-confirm="将退回重评', page)
    page = sup.get(f"{BASE}/campaigns/{c.pk}/").content.decode()
    assert re.search(r'/op/conclude/" data-confirm="将结束评查', page)
    services.campaign_transition(actor=world.supervisor, campaign=c, action="conclude")
    page = sup.get(f"{BASE}/campaigns/{c.pk}/").content.decode()
    assert re.search(r'id="notice-form" data-confirm="将印发案卷评查通报', page)


def test_create_form_keeps_the_typed_input_when_the_service_refuses(world, closed_cases, client_for):
    sheet = ScoringSheet.objects.get(name=DEFAULT_SHEET_NAME)
    r = client_for(world.supervisor).post(f"{BASE}/campaigns/new/", {
        "org": world.supervision_office.pk, "title": "被拒绝的评查活动", "period_start": "2026-10-31",
        "period_end": "2026-01-01", "sheet": sheet.pk, "targets": [world.dept_a.pk, world.town_a.pk],
        "quota_kind": "count", "quota_value": "6", "description": "按季度抽查"})
    page = r.content.decode()
    assert r.status_code == 200 and "alert-danger" in page  # the service's refusal, on the form
    assert 'value="被拒绝的评查活动"' in page and "按季度抽查" in page
    for org in (world.dept_a, world.town_a):
        i = page.index(f'value="{org.pk}" selected')  # the chosen units stay chosen
        assert i > page.index('name="targets"')
    assert not Campaign.objects.filter(title="被拒绝的评查活动").exists()


def test_a_refused_score_keeps_what_was_typed(world, closed_cases, client_for):
    c = _scoring_campaign(world)
    f = c.files.order_by("seq").first()
    item = c.sheet.items.filter(is_veto=False, is_active=True).order_by("sort_order").first()
    sup = client_for(world.supervisor)
    url = f"{BASE}/files/{f.pk}/op/score/"
    r = sup.post(url, {"version": f.version, f"ded_{item.pk}": "1", f"pts_{item.pk}": "999",
                       f"note_{item.pk}": "询问笔录缺少当事人签名", "note": "总体规范", "submit": "1"})
    assert r.status_code == 302
    page = sup.get(r["Location"]).content.decode()
    assert "扣分有误" in page
    kept = json.loads(re.search(r'<script id="kept-input" type="application/json">(.*?)</script>', page).group(1))
    assert kept["action"] == url
    assert kept["data"][f"note_{item.pk}"] == ["询问笔录缺少当事人签名"] and kept["data"][f"pts_{item.pk}"] == ["999"]
    f.refresh_from_db()
    assert f.state == FileState.PENDING


def test_a_refused_sheet_item_says_what_is_wrong_and_keeps_the_input(world, client_for):
    sheet = ScoringSheet.objects.get(name=DEFAULT_SHEET_NAME)
    sup = client_for(world.supervisor)
    url = f"{BASE}/sheets/{sheet.pk}/op/add_item/"
    r = sup.post(url, {"code": "", "category": "procedure", "text": "未制作现场检查笔录", "max_points": "3"})
    page = sup.get(r["Location"]).content.decode()
    assert "评查项目填写有误：编号" in page
    kept = json.loads(re.search(r'<script id="kept-input" type="application/json">(.*?)</script>', page).group(1))
    assert kept["action"] == url and kept["data"]["text"] == ["未制作现场检查笔录"]
    assert not sheet.items.filter(text="未制作现场检查笔录").exists()
