"""The one registry of Chinese labels (core.labels) and its template filter."""

import logging

import pytest
from django.template import Context, Template

from yifa.core import labels

pytestmark = pytest.mark.django_db


def test_workflow_states_actions_and_audit_codes_come_from_the_workflow_tables():
    assert labels.label("served", "state") == "送达"
    assert labels.label("decide", "action") == "作出处罚决定"
    assert labels.label("penalty.decide", "audit") == "作出处罚决定"


def test_apps_register_their_own_codes():
    assert labels.label("review.submit", "audit") == "报送审查"
    assert labels.label("fines.repeated", "rule") == "以罚代管"  # online supervision rule
    assert labels.label("permit.set", "rule") == "设定行政许可"  # precheck rule
    assert labels.label("YIFA_RECTIFICATION_MAX_UPLOAD_MB", "setting").startswith("整改材料")
    assert labels.label("closed", "state")  # model status choices without a workflow


def test_deadline_rule_names_are_read_from_the_rule_table_and_follow_its_changes():
    from yifa.deadlines.models import DeadlineRule

    rule = DeadlineRule.objects.get(code="penalty.publicity")
    assert labels.label("penalty.publicity", "rule") == rule.name
    rule.name = "公示期限（改）"
    rule.save()
    try:
        assert labels.label("penalty.publicity", "rule") == "公示期限（改）"
    finally:
        labels.invalidate("rule")


def test_unknown_code_is_logged_and_said_in_words_never_the_code(caplog):
    with caplog.at_level(logging.WARNING, logger="yifa.labels"):
        text = labels.label("supervision.letter.frobnicate", "audit")
    assert "frobnicate" not in text and "supervision" not in text
    assert text == "未登记的审计操作"
    assert "supervision.letter.frobnicate" in caplog.text
    with caplog.at_level(logging.WARNING, logger="yifa.labels"):
        assert labels.label("zzz", "state") == "未登记的状态"


def test_empty_code_reads_as_a_dash_and_a_conflicting_registration_is_refused():
    assert labels.label(None, "state") == "—"
    with pytest.raises(ValueError):
        labels.register("audit", {"review.submit": "别的说法"})
    with pytest.raises(ValueError):
        labels.label("x", "no-such-kind")


def test_every_code_in_the_registry_has_a_chinese_label():
    for kind, table in ((k, labels.labels(k)) for k in labels.KINDS):
        for code, text in table.items():
            assert text and text != code and any("\u4e00" <= ch <= "\u9fff" for ch in text), (kind, code, text)


def test_label_filter_is_a_builtin():
    out = Template('{{ s|label:"state" }} / {{ a|label:"audit" }}').render(
        Context({"s": "served", "a": "review.submit"}))
    assert out == "送达 / 报送审查"


def test_every_audit_action_written_in_the_code_has_a_label():
    """Every literal action of an audit `record(actor, "…", obj)` call in src/ is registered
    (actions built at run time — workflow moves, library records — are checked by the page
    crawl in test_no_internal_codes through the logged unknown codes)."""
    import ast
    from pathlib import Path

    import yifa

    missing = set()
    for path in Path(yifa.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if name == "record" and len(node.args) >= 2:
                arg = node.args[1]
                candidates = [arg]
                if isinstance(arg, ast.IfExp):
                    candidates = [arg.body, arg.orelse]
                for c in candidates:
                    if isinstance(c, ast.Constant) and isinstance(c.value, str) and not labels.known(c.value, "audit"):
                        missing.add(f"{c.value} ({path.name})")
    assert not missing, f"audit actions without a Chinese label: {sorted(missing)}"
