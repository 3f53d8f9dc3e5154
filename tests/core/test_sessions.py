"""Sessions do not write to the database on every request: a signed cookie holds them, so a
logged-in page issues no INSERT/UPDATE on django_session; signing out, a password change
elsewhere and a deactivated account still end the session."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yifa.orgs import services

pytestmark = pytest.mark.django_db
PASSWORD = "Yifa@Test-2026"


def _login(username="t_supervisor"):
    c = Client()
    resp = c.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.8.0.1")
    assert resp.status_code == 302
    return c


def _session_writes(queries):
    return [q["sql"] for q in queries if "django_session" in q["sql"]
            and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_logged_in_get_writes_no_session_row(world):
    c = _login()
    c.get("/")  # first page after the redirect
    with CaptureQueriesContext(connection) as ctx:
        resp = c.get("/")
    assert resp.status_code == 200 and "我的待办" in resp.content.decode()
    assert ctx.captured_queries  # the page does read (scoped data, the user)
    assert not _session_writes(ctx.captured_queries)
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]
    # the idle timeout is still renewed: the response re-signs the session cookie
    assert resp.cookies["sessionid"].value


def test_logout_password_change_and_deactivation_end_the_session(world):
    c = _login()
    c.post(reverse("logout"))
    assert c.get("/").status_code == 302

    # a password set by an administrator ends the user's other sessions (auth hash)
    other = _login()
    services.set_password(actor=world.admin, user=world.supervisor, password="Qinghe-Reset-2027")
    assert other.get("/").status_code == 302

    # a deactivated account is signed out on its next request
    c = _login("t_leader")
    type(world.leader).objects.filter(pk=world.leader.pk).update(is_active=False)
    assert c.get("/").status_code == 302
