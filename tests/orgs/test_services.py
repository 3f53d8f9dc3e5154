import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yifa.audit.models import AuditEvent
from yifa.core.errors import StaleVersion
from yifa.orgs import services
from yifa.orgs.models import Organization, OrgKind, Role, User

pytestmark = pytest.mark.django_db


def test_path_is_materialised_and_subtree_is_a_prefix(world):
    assert world.town_a_office.path.startswith(world.town_a.path)
    assert world.town_a.path.startswith(world.county.path)
    subtree = set(Organization.objects.filter(path__startswith=world.town_a.path))
    assert subtree == {world.town_a, world.town_a_office}
    assert world.town_a_office.depth == world.county.depth + 2


def test_scope_roots_follow_the_supervision_network(world):
    assert world.dept_a_legal.scope_root == world.dept_a  # internal supervision unit → its department
    assert world.town_a_legal.scope_root == world.town_a  # township legal office → its township
    assert world.supervisor.scope_root == world.county  # supervision office → the whole county
    assert world.officer_a.scope_root == world.dept_a


def test_visible_to_sees_own_subtree_only(world):
    visible = set(Organization.objects.visible_to(world.dept_a_legal))
    assert visible == {world.dept_a, world.dept_a_unit}
    assert world.dept_b not in visible
    assert set(User.objects.visible_to(world.town_b_legal)) == {world.town_b_legal, world.walker_b}
    assert Organization.objects.visible_to(world.supervisor).filter(pk=world.town_b.pk).exists()


def test_wrong_kind_under_parent_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.create_organization(actor=world.admin, code="X1", name="错层级", kind=OrgKind.TOWNSHIP,
                                     parent=world.dept_a)
    assert "不能设在" in str(exc.value)
    assert not Organization.objects.filter(code="X1").exists()


def test_duplicate_code_refused_and_nothing_written(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.create_organization(actor=world.admin, code="T-DA", name="重复", kind=OrgKind.DEPARTMENT,
                                     parent=world.county)
    assert AuditEvent.objects.count() == before


def test_only_admin_in_scope_may_manage(world):
    with pytest.raises(PermissionDenied):
        services.create_organization(actor=world.supervisor, code="X2", name="新局", kind=OrgKind.DEPARTMENT,
                                     parent=world.county)
    town_admin = services.create_user(actor=None, username="town_admin", display_name="镇管理员",
                                      org=world.town_a, roles=[Role.ADMIN], password="Yifa@Test-2026")
    with pytest.raises(PermissionDenied):
        services.update_organization(actor=town_admin, org=world.town_b, name="改名")


def test_move_rewrites_the_whole_subtree(world):
    office_path = world.town_a_office.path
    moved = services.update_organization(actor=world.admin, org=world.dept_a_unit, parent=world.justice,
                                         reason="机构调整")
    assert moved.path.startswith(world.justice.path)
    world.town_a_office.refresh_from_db()
    assert world.town_a_office.path == office_path  # untouched
    event = AuditEvent.objects.filter(action="org.move").latest("id")
    assert event.reason == "机构调整"


def test_move_under_own_descendant_refused(world):
    with pytest.raises(ValidationError):
        services.update_organization(actor=world.admin, org=world.town_a, parent=world.town_a_office)


def test_stale_edit_is_refused(world):
    org = Organization.objects.get(pk=world.dept_a.pk)
    services.update_organization(actor=world.admin, org=org, expected_version=1, head_name="张三")
    with pytest.raises(StaleVersion):
        services.update_organization(actor=world.admin, org=org, expected_version=1, head_name="李四")
    org.refresh_from_db()
    assert org.head_name == "张三"


def test_user_creation_validates_password_and_roles(world):
    with pytest.raises(ValidationError):
        services.create_user(actor=world.admin, username="weak", display_name="弱密码", org=world.dept_a,
                             roles=[Role.OFFICER], password="12345678")
    with pytest.raises(ValidationError):
        services.create_user(actor=world.admin, username="norole", display_name="无角色", org=world.dept_a,
                             roles=[], password="Yifa@Test-2026")
    assert not User.objects.filter(username__in=["weak", "norole"]).exists()


def test_update_user_roles_audited(world):
    services.update_user(actor=world.admin, user=world.officer_a, roles=[Role.OFFICER, Role.LEADER])
    officer = User.objects.get(pk=world.officer_a.pk)
    assert officer.roles == {Role.OFFICER, Role.LEADER}
    event = AuditEvent.objects.filter(action="user.update").latest("id")
    assert event.before["roles"] == ["officer"] and event.after["roles"] == ["leader", "officer"]
