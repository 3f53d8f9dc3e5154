"""考核 on the view kit: the interview list exports the rows in the user's scope, closing
a period asks first, refused input is kept on the forms and after a refused act."""

from datetime import date, datetime

import pytest

from tests.kit import kept_input, xlsx_rows
from yifa.assessment import selectors, services
from yifa.assessment.models import AssessmentPeriod, Interview

from .test_views import computed  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_interview_list_exports_the_visible_rows(world, client_for):
    url = "/assessment/interviews/?export=xlsx"
    north = xlsx_rows(client_for(world.walker_b).get(url))
    assert north[0] == ["约谈日期", "被约谈单位", "负责人", "约谈人", "考核", "跟进期限"]
    assert [r[3] for r in north[1:]] == ["北山测试约谈人"]
    assert isinstance(north[1][0], datetime) and north[1][0].date() == date(2026, 1, 15)
    south = xlsx_rows(client_for(world.walker_a).get(url))
    assert [r[3] for r in south[1:]] == ["南湖测试约谈人"]
    assert {"北山测试约谈人", "南湖测试约谈人"} <= {r[3] for r in xlsx_rows(client_for(world.supervisor).get(url))}
    page = client_for(world.walker_b).get("/assessment/interviews/").content.decode()
    assert 'id="export-link"' in page and "北山测试约谈人" in page and "南湖测试约谈人" not in page
    filtered = client_for(world.supervisor).get("/assessment/interviews/?q=北山").content.decode()
    assert "北山测试约谈人" in filtered and "南湖测试约谈人" not in filtered


def test_closing_a_period_asks_first(world, client_for, computed):  # noqa: F811
    page = client_for(world.supervisor).get(f"/assessment/periods/{computed.pk}/").content.decode()
    i = page.index('id="close-btn"')
    assert 'data-confirm="关闭后指标数据将冻结' in page[i - 400:i]


def test_refused_close_is_said_and_the_period_stays_open(world, client_for, computed):  # noqa: F811
    c = client_for(world.supervisor)
    r = c.post(f"/assessment/periods/{computed.pk}/op/close/", {"version": computed.version + 5})
    page = c.get(r["Location"]).content.decode()
    assert "该记录已被他人修改" in page
    computed.refresh_from_db()
    assert not computed.is_closed
    assert "未知操作" in c.get(c.post(f"/assessment/periods/{computed.pk}/op/nope/")["Location"]).content.decode()


def test_interview_form_keeps_input_when_the_service_refuses(world, client_for, computed):  # noqa: F811
    bottom = selectors.ranking(world.supervisor, computed).filter(bottom=True).first().org
    r = client_for(world.supervisor).post(f"/assessment/periods/{computed.pk}/interviews/new/", {
        "org": bottom.pk, "held_on": "2026-01-20", "interviewers": "我填的约谈人", "unit_head": "张局长",
        "summary": "我填的约谈情况", "follow_up_due": "2026-01-10"})
    page = r.content.decode()
    assert r.status_code == 200 and "跟进期限不能早于约谈日期" in page
    assert 'value="我填的约谈人"' in page and "我填的约谈情况" in page
    assert not Interview.objects.filter(interviewers="我填的约谈人").exists()


def test_period_form_keeps_input_when_the_service_refuses(world, client_for, monkeypatch):
    from yifa.core.errors import DomainError

    def refuse(**kw):
        raise DomainError("该单位本年度已有考核期间。", {"year": ["已有考核期间"]})

    monkeypatch.setattr(services, "create_period", refuse)
    r = client_for(world.supervisor).post("/assessment/periods/new/", {"org": world.county.pk, "year": "2027",
                                                                      "name": "我填的考核名称"})
    page = r.content.decode()
    assert r.status_code == 200 and "该单位本年度已有考核期间" in page and 'value="我填的考核名称"' in page
    assert not AssessmentPeriod.objects.filter(name="我填的考核名称").exists()
    assert client_for(world.officer_a).get("/assessment/periods/new/").status_code == 403


def test_refused_act_keeps_the_input_for_the_page(world, client_for, computed):  # noqa: F811
    c = client_for(world.supervisor)
    url = f"/assessment/periods/{computed.pk}/op/close/"
    r = c.post(url, {"version": "999"})
    kept = kept_input(c.get(r["Location"]).content.decode())
    assert kept is not None and kept["action"] == url
