"""History panels say 谁 · 何时 · 做了什么 · 从…到… in words: action labels, field verbose
names, choice and state labels, related records by name — never a code or a dict."""

import pytest
from django.db import transaction
from django.template.loader import render_to_string

from yifa.audit import words
from yifa.audit.selectors import timeline_for
from yifa.audit.services import record
from yifa.enforcement.models import Case

pytestmark = pytest.mark.django_db


def _case(world):
    return Case.objects.in_subtree(world.town_a).first()


def test_a_workflow_move_reads_as_words(world):
    case = _case(world)
    with transaction.atomic():
        record(world.officer_a, "penalty.decide", case, before={"state": "notified"},
               after={"state": "decided", "on": "2026-12-03"}, reason="证据确凿")
        record(world.officer_a, "case.update", case, before={"handler": None, "publicity_state": "pending"},
               after={"handler": world.officer_a.pk, "publicity_state": "published"})
    html = render_to_string("core/timeline.html", {"timeline": timeline_for(case)})
    assert "作出处罚决定：证据确凿" in html
    assert "状态：告知 → 决定" in html
    assert "日期：2026-12-03" in html
    assert "修改案件信息" in html
    assert f"承办人：（空） → {world.officer_a}" in html
    assert "公示状态：" in html and "published" not in html
    assert "市场执法员" in html  # who
    for leak in ("penalty.decide", "case.update", "{'", "'state'", "notified", "decided", "None"):
        assert leak not in html, leak


def test_changes_skip_unchanged_values_and_never_print_a_dict(world):
    case = _case(world)
    with transaction.atomic():
        event = record(None, "case.update", case, before={"title": "甲", "amount": "100"},
                       after={"title": "甲", "amount": "200", "extra": {"on": "2026-12-01"}})
    changes = [str(c) for c in words.changes(event)]
    assert changes[0].endswith("：100 → 200") and changes[0].startswith(str(Case._meta.get_field("amount").verbose_name))
    assert not any("标题" in c or "title" in c for c in changes)
    assert all("{" not in c for c in changes)
    assert words.who(event) == "系统"


def test_rule_codes_read_as_rule_names(world):
    case = _case(world)
    with transaction.atomic():
        event = record(None, "supervision.rules.run", case, after={"rule_code": "fines.repeated"})
    assert [str(c) for c in words.changes(event)] == ["规则：以罚代管"]
    assert words.what(event) == "运行线上监督规则"
