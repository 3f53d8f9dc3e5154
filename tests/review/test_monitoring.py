"""Tier deadlines, warnings to the reviewer and the advisor office, to-dos, list scoping
for lawyers, and list query counts that do not grow with the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yifa.core.models import Notification
from yifa.core.todos import todos_for
from yifa.deadlines.models import TrackedDeadline
from yifa.review import services
from yifa.review.models import Tier
from yifa.review.sweep import warn_review_deadlines

from .conftest import item_fields

pytestmark = pytest.mark.django_db


def test_overdue_tier_warns_reviewer_and_office_once(office):
    w = office
    today = timezone.localdate()
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, on=today - timedelta(days=20), **item_fields())
    services.act(item, "accept", actor=w.office_user, on=today - timedelta(days=20))
    d = TrackedDeadline.objects.get(owner_id=str(item.pk), rule__code="review.first_review")
    assert d.due < today and d.citation.startswith("本地默认（可配置）")
    first = warn_review_deadlines(today)
    assert first["notifications"] == 2
    assert Notification.objects.filter(recipient=w.duty, level="red").exists()
    assert Notification.objects.filter(recipient=w.office_user, level="red").exists()
    assert warn_review_deadlines(today)["notifications"] == 0  # idempotent


def test_todos_for_reviewer_office_and_unit(office):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(title="待办测试文件"))
    assert any(f"待受理：待办测试文件（{w.dept_a.name}报送）" == t.title for t in todos_for(w.office_user))
    services.act(item, "accept", actor=w.office_user)
    assert any("待办测试文件" in t.title and t.module == "合法性审查" for t in todos_for(w.duty))
    assert not any("待办测试文件" in t.title for t in todos_for(w.duty2))
    services.act(item, "return_revision", actor=w.duty, reason="请补充依据")
    assert any("退回补正/修改：待办测试文件" == t.title for t in todos_for(w.dept_a_legal))


def test_lawyer_list_shows_only_assigned(office, client_for):
    w = office
    mine = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(title="分配给坐班律师的文件"))
    services.submit_item(actor=w.dept_b_legal, org=w.dept_b, **item_fields(title="未分配的文件"))
    services.act(mine, "accept", actor=w.office_user)
    body = client_for(w.duty).get("/review/").content.decode()
    assert "分配给坐班律师的文件" in body and "未分配的文件" not in body
    api = client_for(w.duty).get("/api/v1/review/items/").json()
    assert [r["title"] for r in api["results"]] == ["分配给坐班律师的文件"]


def test_item_list_query_count_does_not_grow(office, client_for):
    w = office
    c = client_for(w.office_user)
    services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(title="一"))
    with CaptureQueriesContext(connection) as few:
        assert c.get("/review/").status_code == 200
    for i in range(8):
        services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(title=f"文件{i}"))
    with CaptureQueriesContext(connection) as many:
        assert c.get("/review/").status_code == 200
    assert len(many.captured_queries) <= len(few.captured_queries) + 1
    with CaptureQueriesContext(connection) as api:
        assert c.get("/api/v1/review/items/").status_code == 200
    assert len(api.captured_queries) < 15


def test_expert_chosen_by_specialty_then_load(office):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(specialty="市场监管"))
    services.act(item, "accept", actor=w.office_user)
    services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="agree", authority="a",
                            procedure="p", content="c")
    item.refresh_from_db()
    assert item.current_assignment().reviewer == w.expert2
