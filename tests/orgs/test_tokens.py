"""API tokens: several per person, stored hashed, expiring, ended by a password change or
by disabling the account, listed and revoked by their owner (page and API)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yifa.orgs import services
from yifa.orgs.models import ApiToken, RevokeReason, hash_token_key

pytestmark = pytest.mark.django_db
PASSWORD = "Yifa@Test-2026"


def _obtain(client, username="t_admin", password=PASSWORD, **extra):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password, **extra},
                       content_type="application/json")


def _me(key):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_obtained_token_works_is_stored_hashed_and_expires_after_the_setting(world, client, settings):
    settings.YIFA_API_TOKEN_DAYS = 7
    resp = _obtain(client, name="数据对接")
    assert resp.status_code == 200
    key = resp.json()["token"]
    row = ApiToken.objects.get(pk=resp.json()["id"])
    assert row.key_hash == hash_token_key(key) and key not in (row.key_hash, row.prefix)
    assert row.name == "数据对接"
    assert timedelta(days=7) - (row.expires_at - row.created_at) < timedelta(seconds=1)
    assert _me(key).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        resp = _me(key)
    assert resp.status_code == 401 and "已过期" in resp.json()["message"]


def test_default_lifetime_is_30_days():
    from django.conf import settings

    assert settings.YIFA_API_TOKEN_DAYS == 30


def test_each_request_gives_a_new_token_and_both_work(world, client):
    a, b = _obtain(client).json()["token"], _obtain(client).json()["token"]
    assert a != b and _me(a).status_code == 200 and _me(b).status_code == 200


def test_password_change_by_service_revokes_tokens(world):
    _, key = services.issue_token(actor=world.admin, user=world.admin)
    services.set_password(actor=world.admin, user=world.admin, password="Another-Passw0rd!")
    assert _me(key).status_code == 401
    assert ApiToken.objects.get(user=world.admin).revoked_reason == RevokeReason.PASSWORD


def test_password_reset_by_an_administrator_revokes_tokens(world):
    _, key = services.issue_token(actor=world.supervisor, user=world.supervisor)
    services.set_password(actor=world.admin, user=world.supervisor, password="Another-Passw0rd!")
    assert _me(key).status_code == 401


def test_password_set_outside_the_services_revokes_tokens_too(world):
    """`manage.py changepassword`, the admin and Django's forms all call set_password + save."""
    _, key = services.issue_token(actor=world.admin, user=world.admin)
    world.admin.set_password("Another-Passw0rd!")
    world.admin.save()
    assert _me(key).status_code == 401


def test_hash_upgrade_on_login_is_not_a_password_change(world, settings):
    _, key = services.issue_token(actor=world.admin, user=world.admin)
    old_hash = world.admin.password
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert world.admin.check_password(PASSWORD)  # rehashes and saves the new hash
    world.admin.refresh_from_db()
    assert world.admin.password != old_hash
    assert _me(key).status_code == 200


def test_disabling_the_account_revokes_tokens(world):
    _, key = services.issue_token(actor=world.supervisor, user=world.supervisor)
    services.update_user(actor=world.admin, user=world.supervisor, is_active=False)
    assert _me(key).status_code == 401
    assert ApiToken.objects.get(user=world.supervisor).revoked_reason == RevokeReason.DISABLED
    # enabling it again does not bring the old token back
    services.update_user(actor=world.admin, user=world.supervisor, is_active=True)
    assert _me(key).status_code == 401


def test_owner_lists_and_revokes_own_tokens_by_api(world, client):
    key = _obtain(client, name="脚本一").json()["token"]
    other = _obtain(client, username="t_supervisor").json()
    listing = Client().get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {key}")
    assert listing.status_code == 200
    rows = listing.json()
    assert [r["name"] for r in rows] == ["脚本一"] and rows[0]["is_active"] and rows[0]["state_label"] == "有效"
    assert "token" not in rows[0] and "key_hash" not in rows[0]
    # someone else's token is not found, and stays usable
    resp = Client().delete(f"/api/v1/auth/tokens/{other['id']}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    assert _me(other["token"]).status_code == 200
    resp = Client().delete(f"/api/v1/auth/tokens/{rows[0]['id']}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert resp.status_code == 204
    assert _me(key).status_code == 401
    assert ApiToken.objects.get(pk=rows[0]["id"]).revoked_reason == RevokeReason.OWNER


def test_account_page_issues_lists_and_revokes(world, client_for):
    c = client_for(world.supervisor)
    page = c.get(reverse("account:tokens"))
    assert page.status_code == 200 and "尚未申请过 API 令牌" in page.content.decode()
    resp = c.post(reverse("account:tokens"), {"name": "报表脚本"})
    body = resp.content.decode()
    token = ApiToken.objects.get(user=world.supervisor)
    key = body.split('<code class="user-select-all">')[1].split("</code>")[0]
    assert token.key_hash == hash_token_key(key) and "报表脚本" in body and "有效" in body
    assert _me(key).status_code == 200
    # the key is shown once
    assert key not in c.get(reverse("account:tokens")).content.decode()
    # another user cannot revoke it
    client_for(world.admin).post(reverse("account:tokens"), {"op": "revoke", "token": token.pk})
    assert _me(key).status_code == 200
    resp = c.post(reverse("account:tokens"), {"op": "revoke", "token": token.pk}, follow=True)
    assert "已撤销" in resp.content.decode() and "本人撤销" in resp.content.decode()
    assert _me(key).status_code == 401
    assert c.post(reverse("account:tokens"), {"op": "revoke", "token": "x"}).status_code == 302


def test_account_page_needs_login(client):
    assert client.get(reverse("account:tokens"))["Location"].startswith("/login/")


def test_user_menu_links_to_account_and_password(world, client_for):
    body = client_for(world.supervisor).get("/").content.decode()
    assert reverse("account:tokens") in body and reverse("account:password") in body




def test_old_drf_tokens_are_carried_over_hashed_and_removed(world):
    """The migration that introduced ApiToken keeps existing DRF authtoken keys working (until
    they expire) and drops the raw keys from the old table."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("yifa.orgs.migrations.0002_api_tokens")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id bigint)")
        cur.execute("INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
                    [old_key, timezone.now(), world.admin.pk])
    migration.carry_over_drf_tokens(apps, SimpleNamespace(connection=connection))
    assert _me(old_key).status_code == 200
    token = ApiToken.objects.get(user=world.admin)
    assert token.name == "旧版令牌" and token.key_hash == hash_token_key(old_key)
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cur.fetchone()[0] == 0
