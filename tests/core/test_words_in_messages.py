"""Messages and record names a person reads name things in Chinese, never by their code."""

import pytest

from yifa.core.errors import DomainError, IllegalTransition
from yifa.core.workflows import transition
from yifa.deadlines.models import DeadlineRule
from yifa.enforcement.models import Case
from yifa.enforcement.workflows import workflow_for

pytestmark = pytest.mark.django_db


def test_an_illegal_move_names_the_action_in_chinese(world):
    case = Case.objects.in_subtree(world.town_a).first()
    wf = workflow_for(case)
    t = next(t for t in wf.transitions if not any(x.source == case.state and x.action == t.action
                                                   for x in wf.transitions))
    with pytest.raises(IllegalTransition) as exc:
        transition(case, t.action, actor=None, workflow=wf)
    assert f"不能执行“{t.label}”" in exc.value.message
    assert t.action not in exc.value.message


def test_extending_a_missing_deadline_names_the_rule(world):
    from yifa.enforcement import services

    case = Case.objects.in_subtree(world.town_a).first()
    with pytest.raises(DomainError) as exc:
        services.extend_case_deadline(actor=world.walker_a, case=case, rule_code="coercion.seizure",
                                      approver=world.walker_a, reason="延长")
    assert "查封、扣押期限" in exc.value.message and "coercion" not in exc.value.message


def test_rule_and_clue_names_carry_no_code(world):
    rule = DeadlineRule.objects.get(code="penalty.publicity")
    assert str(rule) == rule.name
    from yifa.supervision.models import Clue

    case = Case.objects.in_subtree(world.town_a).first()
    clue = Clue(rule_code="fines.repeated", case=case, org=case.org)
    assert str(clue).startswith("以罚代管：") and "fines" not in str(clue)


def test_an_import_batch_is_named_in_words(world):
    from yifa.enforcement.models import ImportBatch

    batch = ImportBatch(org=world.town_a, kind="cases", filename="案件.xlsx", state="failed")
    assert str(batch).startswith("执法案件导入 案件.xlsx") and "cases" not in str(batch)
