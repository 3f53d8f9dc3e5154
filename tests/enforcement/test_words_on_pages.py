"""Case pages in words: 环节 by state name, 上传 without None, 期限 by rule name, imports in Chinese."""

from datetime import timedelta

import pytest

from yifa.core import clock
from yifa.enforcement.models import Case, ImportBatch, ProcessRecord

pytestmark = pytest.mark.django_db


def test_case_detail_records_say_the_step_and_the_uploader_in_words(world, client_for):
    case = Case.objects.in_subtree(world.town_a).first()
    ProcessRecord.objects.filter(case=case).update(step="served", uploaded_by=None)
    assert ProcessRecord.objects.filter(case=case).exists()
    html = client_for(world.walker_a).get(f"/enforcement/cases/{case.pk}/").content.decode()
    records = html[html.index('id="records"'):]
    records = records[:records.index("</table>")]
    assert "<td>送达</td>" in records and "系统导入" in records
    assert "served" not in records and "None" not in records


def test_monitoring_drilldown_names_the_deadline_rule(world, client_for):
    case = Case.objects.in_subtree(world.town_a).first()
    Case.objects.filter(pk=case.pk).update(is_open=True, due=clock.today() - timedelta(days=3),
                                           due_rule="penalty.publicity")
    html = client_for(world.walker_a).get("/enforcement/monitoring/cases/").content.decode()
    assert case.case_no in html
    assert "行政处罚决定公示" in html and "penalty.publicity" not in html


def test_import_page_says_kind_and_state_in_chinese(world, client_for):
    ImportBatch.objects.create(org=world.town_a, kind="cases", filename="案件.xlsx", state="failed")
    html = client_for(world.walker_a).get("/enforcement/import/").content.decode()
    assert "执法案件 案件.xlsx · 未导入" in html
    assert "cases" not in html.split("案件.xlsx")[0][-40:] and "· failed" not in html
