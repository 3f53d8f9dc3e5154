"""Rule thresholds as data: a rule reads its declared default until an administrator's
value is stored in RuleParam."""

from dataclasses import replace
from decimal import Decimal

import pytest

from yifa.supervision import rules
from yifa.supervision.models import RuleParam

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_with_params(monkeypatch):
    base = rules.RULES["fines.repeated"]
    probe = replace(base, code="test.params", params=(
        rules.Param("count", "次数", 3, "次"), rules.Param("share", "比例", Decimal("0.8"))))
    monkeypatch.setitem(rules.RULES, "test.params", probe)
    return probe


def test_default_until_an_administrator_sets_a_value(rule_with_params):
    assert rules.param("test.params", "count") == 3
    assert isinstance(rules.param("test.params", "count"), int)
    assert rules.param("test.params", "share") == Decimal("0.8")
    RuleParam.objects.create(rule_code="test.params", key="count", value=Decimal("5"))
    assert rules.param("test.params", "count") == 5


def test_an_undeclared_parameter_is_a_programming_error(rule_with_params):
    with pytest.raises(KeyError):
        rules.param("test.params", "nope")
