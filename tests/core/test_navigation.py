"""Menus by role: each demo role sees the modules its roles use, and the views of the
modules a role does not use refuse it (403) where the module is not scoped data."""

import pytest

from yifa.core.navigation import MODULES, may_open, modules_for
from yifa.orgs.models import Role

pytestmark = pytest.mark.django_db


def labels(user):
    out = []
    for m in modules_for(user):
        out += [c["label"] for c in m.get("children", [m])]
    return set(out)


def test_officer_menu_has_his_modules_only(world):
    got = labels(world.officer_a)
    assert {"首页", "行政执法", "实时监测", "队伍建设", "法定期限计算器", "期限监控", "公文"} <= got
    assert not got & {"领导驾驶舱", "人员账号", "接口文档", "审计日志", "执法监督", "合法性审查", "考核评价"}


@pytest.mark.parametrize("who,present,absent", [
    ("leader", {"领导驾驶舱", "审计日志", "执法监督", "考核评价"}, {"人员账号", "接口文档", "节假日日历"}),
    ("admin", {"人员账号", "接口文档", "节假日日历", "审计日志", "组织机构"}, {"领导驾驶舱", "行政执法", "合法性审查"}),
    ("supervisor", {"领导驾驶舱", "执法监督", "案卷评查", "投诉举报", "错案问责", "人员账号"}, {"接口文档"}),
    ("dept_a_legal", {"合法性审查", "行政执法", "执法监督", "领导驾驶舱"}, {"接口文档", "审计日志"}),
])
def test_each_role_menu(world, who, present, absent):
    got = labels(getattr(world, who))
    assert present <= got and not got & absent


def test_lawyer_menu(world):
    from tests.conftest import make_user

    lawyer = make_user("t_duty", world.justice, [Role.DUTY_LAWYER], "值班律师")
    got = labels(lawyer)
    assert {"合法性审查", "法律顾问", "案卷评查"} <= got
    assert not got & {"领导驾驶舱", "行政执法", "人员账号", "接口文档", "执法监督"}


def test_every_role_uses_at_least_home_and_one_module(world):
    from tests.conftest import make_user

    for role in Role.values:
        u = make_user(f"t_only_{role}", world.county, [role])
        assert len(labels(u)) >= 3, role
    assert all(roles is None or roles for _l, _n, _i, roles in MODULES)


def test_views_refuse_roles_that_do_not_use_the_module(world, client_for):
    officer = client_for(world.officer_a)
    for url in ("/reports/", "/reports/figures/monitoring.cases_closed/", "/reports/export.xlsx",
                "/reports/annual-report/?year=2025", "/orgs/users/", f"/orgs/users/{world.officer_a.pk}/"):
        resp = officer.get(url)
        assert resp.status_code == 403, url
    assert "领导驾驶舱" in officer.get("/reports/").content.decode()  # the 403 says which module, in words
    api = officer.get("/api/v1/reports/dashboard/")
    assert api.status_code == 403 and api.json()["message"]
    # the roles that use them still open them
    assert client_for(world.leader).get("/reports/").status_code == 200
    assert client_for(world.dept_a_legal).get("/reports/").status_code == 200
    assert client_for(world.admin).get("/orgs/users/").status_code == 200
    assert client_for(world.supervisor).get(f"/orgs/users/{world.officer_a.pk}/").status_code == 200
    # the unit page lists its people without linking an officer to the accounts module
    body = officer.get(f"/orgs/units/{world.dept_a.pk}/").content.decode()
    assert "市场执法员" in body and f"/orgs/users/{world.officer_a.pk}/" not in body


def test_scoped_modules_stay_scoped_for_other_roles(world, client_for):
    """Modules an officer does not use but whose views are scoped (as today) show him only
    his own unit's records, never another unit's."""
    from yifa.supervision.models import OpinionLetter

    officer = client_for(world.officer_a)
    others = OpinionLetter.objects.exclude(org__path__startswith=world.dept_a.path)
    assert others.exists()
    for letter in others[:3]:
        assert officer.get(f"/supervision/letters/{letter.pk}/").status_code == 404


def test_home_todos_do_not_link_into_modules_the_user_does_not_use(world):
    assert may_open(world.supervisor, "/supervision/letters/1/")
    assert not may_open(world.officer_a, "/supervision/letters/1/")
    assert may_open(world.officer_a, "/enforcement/cases/1/")
    assert not may_open(world.officer_a, "/reports/")
