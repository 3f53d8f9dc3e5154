"""The home page: to-dos merged per record, grouped by kind with 超期/临期/待办 counts,
most urgent first, "已超期 N 天" from the clock; the administrator's system health; the
unread count and only the latest few notifications."""

from datetime import date, timedelta

import pytest

from tests.clock import frozen
from yifa.core import todos
from yifa.core.services import notify
from yifa.core.todos import Todo

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 3)


@pytest.fixture
def only(monkeypatch):
    """Replace the registered providers with the given ones for one test."""
    def use(*providers):
        monkeypatch.setattr(todos, "_PROVIDERS", list(providers))
    return use


def test_same_record_once_own_words_most_urgent_due(world, only):
    only(lambda u: [Todo("审查：某文件（市场局报送）", "/review/items/1/", "合法性审查", key="review.reviewitem:1")],
         lambda u: [Todo("某文件（初审）", "/deadlines/tracked/9/", "法定期限", key="review.reviewitem:1",
                         deadline_only=True, due=TODAY - timedelta(days=74), level="red"),
                    Todo("另一事项（公示）", "/deadlines/tracked/10/", "法定期限", key="tests.case:2",
                         deadline_only=True, due=TODAY + timedelta(days=2), level="yellow")])
    with frozen(TODAY):
        items = todos.todos_for(world.supervisor)
    assert [t.title for t in items] == ["审查：某文件（市场局报送）", "另一事项（公示）"]
    first = items[0]
    assert first.url == "/review/items/1/" and first.level == "red" and first.when == "已超期 74 天"
    assert items[1].when == "剩 2 天"


def test_groups_counts_and_order(world, only):
    only(lambda u: [Todo("甲", "/a/", "投诉举报", kind="答复投诉举报"),
                    Todo("乙", "/b/", "投诉举报", kind="答复投诉举报", due=TODAY, level="yellow"),
                    Todo("丙", "/c/", "行政执法", kind="承办案件期限", due=TODAY - timedelta(days=1)),
                    Todo("丁", "/d/", "案卷评查", kind="案卷评查", count=8)])
    with frozen(TODAY):
        groups = todos.todo_groups(world.supervisor)
    assert [g.title for g in groups] == ["承办案件期限", "答复投诉举报", "案卷评查"]
    assert (groups[0].red, groups[0].yellow, groups[0].normal) == (1, 0, 0)
    assert (groups[1].red, groups[1].yellow, groups[1].normal) == (0, 1, 1)
    assert groups[1].items[0].when == "今日到期"
    assert groups[2].total == 8 and len(groups[2].items) == 1


def test_home_page_groups_with_counts(world, only, client_for):
    only(lambda u: [Todo(f"事项{i}", f"/x/{i}/", "投诉举报", kind="答复投诉举报", due=TODAY - timedelta(days=i))
                    for i in range(1, 8)])
    with frozen(TODAY):
        body = client_for(world.supervisor).get("/").content.decode()
    assert '<h1' in body and "今日工作" in body
    assert "答复投诉举报" in body and "超期 7" in body and "已超期 7 天" in body
    assert "其余 2 项" in body  # five shown, the rest folded
    assert "暂无待办" not in body


def test_home_shows_unread_count_and_five_latest_notifications(world, client_for):
    for i in range(12):
        notify(recipients=[world.officer_a], title=f"通知第{i}条", dedupe_key=f"t{i}")
    body = client_for(world.officer_a).get("/").content.decode()
    assert "12 条未读" in body
    assert "通知第11条" in body and "通知第7条" in body and "通知第6条" not in body


def test_admin_home_shows_system_health(world, client_for, settings):
    from yifa.core.sweep import run_all
    from yifa.deadlines.models import HolidayYear
    from yifa.enforcement.models import ImportBatch

    with frozen(TODAY):
        body = client_for(world.admin).get("/").content.decode()
        assert "系统运行状况" in body and "定时巡检" in body and "从未运行" in body
        complete = set(HolidayYear.objects.filter(complete=True).values_list("year", flat=True))
        for year in (2026, 2027):
            assert f"{year} 年节假日日历" in body
            assert ("已录入完整" if year in complete else "未录入完整") in body.split(f"{year} 年节假日日历")[1][:300]
        assert "近 30 天无失败的导入" in body and "尚无检查点" in body
        ImportBatch.objects.create(org=world.county, kind="cases", filename="案件.xlsx", state="failed")
        run_all(TODAY)
        body = client_for(world.admin).get("/").content.decode()
    assert "近 30 天 1 批导入失败" in body and "案件.xlsx" in body
    assert "从未运行" not in body and "完成" in body.split("定时巡检")[1][:200]
    assert "审计日志检查点" in body and "尚无检查点" not in body
    # nobody else sees the panel
    assert "系统运行状况" not in client_for(world.officer_a).get("/").content.decode()


def test_failed_sweep_is_recorded(world, monkeypatch, client_for):
    from yifa.core import sweep
    from yifa.core.models import SweepRun

    def boom(today):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(sweep, "_TASKS", [("broken", boom)])
    monkeypatch.setattr(sweep, "_LAST", [])
    with pytest.raises(RuntimeError):
        sweep.run_all(TODAY)
    run = sweep.last_run()
    assert run is not None and run.state == "failed" and "broken" in run.result["error"]
    assert SweepRun.objects.count() == 1
    body = client_for(world.admin).get("/").content.decode()
    assert "运行失败" in body.split("定时巡检")[1][:300] and "磁盘已满" in body
