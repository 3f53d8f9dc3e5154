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
        rules.Param("count", "次数", 3, "次"), rules.Param("share", "比例", Decimal("0.8"), kind="share")))
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


# --- editing thresholds (service, page, API) -----------------------------------------------

from yifa.audit.models import AuditEvent  # noqa: E402
from yifa.core.errors import DomainError, StaleVersion  # noqa: E402
from yifa.supervision import services  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402


def test_admin_sets_a_threshold_audited_with_before_and_after(world):
    row = services.set_rule_param(actor=world.admin, rule_code="fines.repeated", key="count", value="4",
                                  rationale="本县餐饮业复查周期较短，提高提示门槛。")
    assert row.version == 1 and rules.param("fines.repeated", "count") == 4
    ev = AuditEvent.objects.filter(action="supervision.rule.param").get()
    assert ev.before["value"] in (3, "3") and ev.after["value"] in ("4", 4, "4.0000") and ev.reason
    row = services.set_rule_param(actor=world.admin, rule_code="fines.repeated", key="count", value="5",
                                  rationale="再次调整", expected_version=1)
    assert row.version == 2 and rules.param("fines.repeated", "count") == 5
    with pytest.raises(StaleVersion):
        services.set_rule_param(actor=world.admin, rule_code="fines.repeated", key="count", value="6",
                                rationale="过期的编辑", expected_version=1)
    assert rules.param("fines.repeated", "count") == 5


@pytest.mark.parametrize("value, words", [("0", "不小于 1 的整数"), ("2.5", "不小于 1 的整数"), ("-3", "不小于 1 的整数"),
                                          ("abc", "应为数字"), ("NaN", "应为数字")])
def test_invalid_values_are_refused_in_words(world, value, words):
    with pytest.raises(DomainError) as exc:
        services.set_rule_param(actor=world.admin, rule_code="fines.repeated", key="count", value=value,
                                rationale="测试")
    assert words in exc.value.message and "罚款次数" in exc.value.message
    assert not RuleParam.objects.exists()


def test_share_must_lie_between_0_and_1(world, rule_with_params):
    with pytest.raises(DomainError, match="比例"):
        services.set_rule_param(actor=world.admin, rule_code="test.params", key="share", value="1.5", rationale="x")
    services.set_rule_param(actor=world.admin, rule_code="test.params", key="share", value="0.9", rationale="x")
    assert rules.param("test.params", "share") == Decimal("0.9")


def test_rationale_required_and_only_admins(world):
    with pytest.raises(DomainError, match="修改理由"):
        services.set_rule_param(actor=world.admin, rule_code="fines.repeated", key="count", value="4", rationale=" ")
    for user in (world.supervisor, world.dept_a_legal, world.leader):
        with pytest.raises(PermissionDenied):
            services.set_rule_param(actor=user, rule_code="fines.repeated", key="count", value="4", rationale="x")
    with pytest.raises(DomainError):
        services.set_rule_param(actor=world.admin, rule_code="fines.repeated", key="nope", value="4", rationale="x")
    assert not RuleParam.objects.exists()


def test_rule_page_edits_for_admin_read_only_for_others(world, client_for):
    url = "/supervision/rules/fines.repeated/"
    page = client_for(world.supervisor).get(url).content.decode()
    assert "罚款次数" in page and "param-form" not in page and "系统管理员维护" in page
    assert client_for(world.supervisor).post(url, {"key": "count", "value": "4", "rationale": "x"}).status_code == 403
    admin = client_for(world.admin)
    assert "param-form" in admin.get(url).content.decode()
    resp = admin.post(url, {"key": "count", "value": "0", "rationale": "x", "version": "0"}, follow=True)
    assert "不小于 1 的整数" in resp.content.decode() and not RuleParam.objects.exists()
    admin.post(url, {"key": "count", "value": "4", "rationale": "本县调整", "version": "0"})
    assert rules.param("fines.repeated", "count") == 4
    assert client_for(world.supervisor).get("/supervision/rules/no.such/").status_code == 404


def test_api_param_edit_permissions_validation_and_version(world, client_for):
    url = "/api/v1/supervision/rules/fines.repeated/params/"
    body = {"key": "window_days", "value": "180", "rationale": "半年", "version": 0}
    assert client_for(world.supervisor).post(url, body, content_type="application/json").status_code == 403
    bad = client_for(world.admin).post(url, {**body, "value": "-1"}, content_type="application/json")
    assert bad.status_code == 400 and "不小于 1 的整数" in bad.json()["message"]
    ok = client_for(world.admin).post(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["value"] == 180 and ok.json()["version"] == 1
    stale = client_for(world.admin).post(url, body, content_type="application/json")
    assert stale.status_code == 409
    listed = client_for(world.supervisor).get("/api/v1/supervision/rules/").json()
    rep = next(r for r in listed if r["code"] == "fines.repeated")
    assert {p["key"]: p["value"] for p in rep["params"]} == {"count": 3, "window_days": 180}
