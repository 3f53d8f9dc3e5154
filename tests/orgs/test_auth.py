import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_and_logout(world):
    c = Client()
    resp = _login(c, "t_admin", "Yifa@Test-2026")
    assert resp.status_code == 302 and resp["Location"] == "/"
    assert "我的待办" in c.get("/").content.decode()
    c.post(reverse("logout"))
    assert c.get("/").status_code == 302


def test_wrong_password_message_is_chinese(world):
    resp = _login(Client(), "t_admin", "wrong-password")
    assert resp.status_code == 200 and "用户名或密码错误" in resp.content.decode()


def test_lockout_after_repeated_failures_only_for_that_username_and_ip(world):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(c, "t_admin", "wrong-password")
    locked = _login(c, "t_admin", "Yifa@Test-2026")  # even the right password is refused now
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # another user from the same address, and the same user from another address, are unaffected
    assert _login(Client(), "t_supervisor", "Yifa@Test-2026").status_code == 302
    assert _login(Client(), "t_admin", "Yifa@Test-2026", ip="10.0.0.2").status_code == 302


def test_idle_timeout_is_configurable_and_renewed_per_request():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_expired_session_requires_login_again(world, settings):
    """The signed session cookie carries its time: idle longer than the timeout, it is refused;
    each request re-signs it, so activity keeps the session."""
    import time_machine
    from django.utils import timezone

    c = Client()
    _login(c, "t_admin", "Yifa@Test-2026")
    idle = timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(timezone.now() + idle * 0.8, tick=False):
        assert c.get("/").status_code == 200  # renewed here
    with time_machine.travel(timezone.now() + idle * 1.6, tick=False):
        assert c.get("/").status_code == 200  # 0.8 idle since the last request
    with time_machine.travel(timezone.now() + idle * 2.7, tick=False):
        assert c.get("/").status_code == 302


def test_demo_accounts_cannot_sign_in_in_production(world, settings):
    from yifa.orgs.models import User

    User.objects.filter(pk=world.admin.pk).update(is_demo=True)
    settings.PRODUCTION = True
    resp = _login(Client(), "t_admin", "Yifa@Test-2026")
    assert resp.status_code == 200 and "用户名或密码错误" in resp.content.decode()


def test_the_signed_in_user_comes_with_their_unit_in_one_query(world):
    """Every page shows the user's unit and scopes by it: the session's user is read with
    it (one query), and a disabled account's session no longer signs anyone in."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = Client()
    assert _login(c, "t_supervisor", "Yifa@Test-2026").status_code == 302
    with CaptureQueriesContext(connection) as q:
        resp = c.get("/account/password/")
    assert resp.status_code == 200 and world.supervision_office.name in resp.content.decode()
    user_reads = [x["sql"] for x in q.captured_queries if 'FROM "orgs_user"' in x["sql"]]
    assert len(user_reads) == 1 and '"orgs_organization"' in user_reads[0]
    assert not [x for x in q.captured_queries if x["sql"].startswith('SELECT "orgs_organization"."id"')
                and 'WHERE "orgs_organization"."id" =' in x["sql"]]
    world.supervisor.is_active = False
    world.supervisor.save()
    assert c.get("/account/password/").status_code == 302
