"""Self-service password change: old password checked, validators applied, API tokens end,
the current session stays signed in."""

import pytest
from django.test import Client
from django.urls import reverse

from yifa.audit.models import AuditEvent
from yifa.orgs import services

pytestmark = pytest.mark.django_db
PASSWORD = "Yifa@Test-2026"
URL = "/account/password/"


def _login(username="t_supervisor", password=PASSWORD):
    c = Client()
    resp = c.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.9.0.1")
    assert resp.status_code == 302
    return c


def test_page_is_chinese_and_needs_login(world, client):
    assert client.get(URL)["Location"].startswith("/login/")
    body = _login().get(URL).content.decode()
    assert "修改密码" in body and "原密码" in body and "再次输入新密码" in body


def test_change_keeps_session_revokes_tokens_and_is_audited(world):
    _, key = services.issue_token(actor=world.supervisor, user=world.supervisor)
    c = _login()
    resp = c.post(URL, {"old_password": PASSWORD, "new_password1": "Qinghe-Jiandu-2027",
                        "new_password2": "Qinghe-Jiandu-2027"}, follow=True)
    assert resp.status_code == 200 and "密码已修改" in resp.content.decode()
    assert c.get("/").status_code == 200  # still signed in
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert AuditEvent.objects.filter(action="user.password", object_id=str(world.supervisor.pk)).exists()
    _login(password="Qinghe-Jiandu-2027")


def test_wrong_old_password_and_weak_new_password_are_refused(world):
    c = _login()
    body = c.post(URL, {"old_password": "nope", "new_password1": "Qinghe-Jiandu-2027",
                        "new_password2": "Qinghe-Jiandu-2027"}).content.decode()
    assert "原密码不正确" in body
    resp = c.post(URL, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert resp.status_code == 200 and "new_password2" in resp.context["form"].errors
    world.supervisor.refresh_from_db()
    assert world.supervisor.check_password(PASSWORD)
