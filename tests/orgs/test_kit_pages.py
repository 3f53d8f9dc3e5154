"""The view kit on the units and accounts pages: Excel exports hold the visible rows only,
the admin forms keep what was typed when the service refuses, revoking a token asks first."""

import pytest
from django.urls import reverse

from tests.xlsx import sheet_rows
from yifa.orgs import services

pytestmark = pytest.mark.django_db


def test_unit_export_is_scoped(world, client_for):
    rows = sheet_rows(client_for(world.dept_a_legal).get(reverse("orgs:org_list") + "?export=xlsx"))
    header = rows[0]
    assert {r[header.index("单位名称")] for r in rows[1:]} == {world.dept_a.name, world.dept_a_unit.name}
    assert {r[header.index("启用")] for r in rows[1:]} == {"是"}  # yes/no in words
    assert "<span" not in str(rows)  # the indentation markup is not data
    page = client_for(world.dept_a_legal).get(reverse("orgs:org_list")).content.decode()
    assert 'id="export-link"' in page and "export=xlsx" in page


def test_account_export_is_scoped(world, client_for):
    rows = sheet_rows(client_for(world.dept_a_legal).get(reverse("orgs:user_list") + "?export=xlsx"))
    header = rows[0]
    names = {r[header.index("姓名")] for r in rows[1:]}
    assert world.dept_a_legal.display_name in names and world.officer_a.display_name in names
    assert world.dept_b_legal.display_name not in names and world.admin.display_name not in names
    row = next(r for r in rows[1:] if r[header.index("姓名")] == world.officer_a.display_name)
    assert row[header.index("角色")] == "、".join(world.officer_a.role_labels())
    everyone = sheet_rows(client_for(world.admin).get(reverse("orgs:user_list") + "?export=xlsx"))
    assert world.dept_b_legal.display_name in {r[0] for r in everyone[1:]}


def test_refused_account_edit_keeps_the_input(world, client_for):
    c = client_for(world.admin)
    target = world.officer_a
    resp = c.post(reverse("orgs:user_edit", args=[target.pk]), {
        "username": target.username, "display_name": "改过的姓名", "org": world.dept_a.pk, "roles": ["officer"],
        "post": "执法队长", "is_active": "on", "version": target.version + 5})  # someone saved in between
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "改过的姓名" in body and "执法队长" in body and 'class="alert alert-danger"' in body
    target.refresh_from_db()
    assert target.display_name != "改过的姓名"


def test_token_revoke_asks_first(world, client_for):
    services.issue_token(actor=world.officer_a, user=world.officer_a, name="同步脚本")
    page = client_for(world.officer_a).get(reverse("account:tokens")).content.decode()
    form = page[page.index('value="revoke"') - 300:page.index('value="revoke"')]
    assert 'data-confirm="将撤销令牌' in form
