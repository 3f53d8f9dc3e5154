"""The generic transition engine, exercised on a throwaway workflow over an existing
model's text field (the engine does not care what the model is)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.core.workflows import GuardFailed, Transition, Workflow, transition
from yifa.orgs.models import Organization, Role

pytestmark = pytest.mark.django_db


def _needs_phone(obj, actor, payload):
    if not obj.phone:
        raise GuardFailed("未登记联系电话，不能启用", rule="测试规则第1条")


FLOW = Workflow(
    "test_flow", model=Organization, state_field="head_name",
    state_labels={"draft": "草稿", "active": "已启用", "closed": "已关闭"},
    transitions=[
        Transition("draft", "activate", "active", "启用", roles=(Role.ADMIN,), guard=_needs_phone),
        Transition("active", "close", "closed", "关闭", roles=(Role.ADMIN, Role.SUPERVISOR), requires_reason=True),
    ],
)


@pytest.fixture
def org(world):
    Organization.objects.filter(pk=world.dept_a.pk).update(head_name="draft", phone="")
    return Organization.objects.get(pk=world.dept_a.pk)


def test_guard_refuses_naming_the_rule_and_changes_nothing(world, org):
    with pytest.raises(GuardFailed) as exc:
        transition(org, "activate", actor=world.admin, workflow=FLOW)
    assert "测试规则第1条" in str(exc.value.message)
    org.refresh_from_db()
    assert org.head_name == "draft"
    assert not AuditEvent.objects.filter(action="test_flow.activate").exists()


def test_legal_move_is_audited(world, org):
    Organization.objects.filter(pk=org.pk).update(phone="123")
    moved = transition(org, "activate", actor=world.admin, workflow=FLOW, reason="启用")
    assert moved.head_name == "active"
    event = AuditEvent.objects.get(action="test_flow.activate")
    assert event.before == {"head_name": "draft"} and event.after["head_name"] == "active"


def test_illegal_move_is_409_not_a_noop(world, org):
    with pytest.raises(IllegalTransition) as exc:
        transition(org, "close", actor=world.admin, workflow=FLOW, reason="x")
    assert "草稿" in exc.value.message and exc.value.status == 409


def test_role_and_scope_are_checked(world, org):
    with pytest.raises(PermissionDenied):
        transition(org, "activate", actor=world.dept_a_legal, workflow=FLOW)
    with pytest.raises(Http404):
        transition(org, "activate", actor=world.dept_b_legal, workflow=FLOW)


def test_reason_required_and_stale_version(world, org):
    Organization.objects.filter(pk=org.pk).update(phone="123")
    moved = transition(org, "activate", actor=world.admin, workflow=FLOW)
    with pytest.raises(DomainError):
        transition(moved, "close", actor=world.supervisor, workflow=FLOW, reason="  ")
    with pytest.raises(StaleVersion):
        transition(moved, "close", actor=world.supervisor, workflow=FLOW, reason="撤并", expected_version=1)


def test_diagram_is_generated_from_the_table():
    text = FLOW.mermaid()
    assert "draft --> active: 启用 [activate]" in text and text.startswith("stateDiagram-v2")
