"""Password spraying: many distinct usernames failing from one address block that address for
usernames that have not signed in from it — but an office behind one NAT, its typos included,
keeps signing in."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from yifa.orgs.models import Role

pytestmark = pytest.mark.django_db
PASSWORD = "Yifa@Test-2026"
NAT = "198.51.100.20"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.YIFA_LOGIN_SPRAY_USERNAMES = 10
    settings.YIFA_LOGIN_SPRAY_MINUTES = 15
    settings.YIFA_LOGIN_SPRAY_BLOCK_MINUTES = 30


def _login(username, password=PASSWORD, ip=NAT):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _spray(n, ip=NAT, password="Summer2026!"):
    return [_login(f"guess{i:03d}", password, ip=ip).status_code for i in range(n)]


def test_spraying_blocks_the_address_for_usernames_new_to_it(world):
    assert _spray(11) == [200] * 11  # the 11th distinct failing username trips the limit
    blocked = _login("t_supervisor")  # right password, but never signed in from here
    assert blocked.status_code == 429
    assert "该网络地址登录失败的账号过多" in blocked.content.decode()
    assert _login("guess999").status_code == 429
    # another address is not affected
    assert _login("t_supervisor", ip="198.51.100.21").status_code == 302


def test_ten_distinct_failures_do_not_block(world):
    _spray(10)
    assert _login("t_supervisor").status_code == 302


def test_users_who_signed_in_from_the_address_still_get_in_during_a_block(world):
    assert _login("t_admin").status_code == 302
    _spray(12)
    assert _login("t_supervisor").status_code == 429
    assert _login("t_admin").status_code == 302
    # and a known user's wrong password is an ordinary failure, not the block
    resp = _login("t_admin", "wrong-password")
    assert resp.status_code == 200 and "用户名或密码错误" in resp.content.decode()


def test_block_ends_and_old_failures_leave_the_window(world):
    _spray(11)
    assert _login("t_supervisor").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert _login("t_supervisor").status_code == 302
    # failures spread over more than the window never add up to a block
    start = timezone.now() + timedelta(hours=2)
    for i in range(12):
        with time_machine.travel(start + timedelta(minutes=2 * i)):
            _login(f"slow{i:03d}", "wrong-password", ip="198.51.100.30")
    with time_machine.travel(start + timedelta(minutes=24)):
        assert _login("t_leader", ip="198.51.100.30").status_code == 302


def test_an_office_behind_one_nat_with_typos_is_not_locked_out(world):
    colleagues = [make_user(f"t_staff{i:02d}", world.dept_a, [Role.OFFICER]) for i in range(20)]
    for i, u in enumerate(colleagues):
        if i < 10:  # 10 mistype their password first, then get it right
            assert _login(u.username, "typo-password").status_code == 200
        elif i < 14:  # 4 mistype their username first
            assert _login(u.username + "x").status_code == 200
        assert _login(u.username).status_code == 302, u.username
    # 14 typos + a few strangers' tries (17 distinct failing usernames in all) do not stop a
    # colleague who signs in here for the first time: corrected typos do not count
    _spray(3)
    assert _login("t_supervisor").status_code == 302
    assert _login("t_leader").status_code == 302


def test_token_endpoint_is_guarded_too(world):
    _spray(11)
    resp = Client().post("/api/v1/auth/token/", {"username": "t_supervisor", "password": PASSWORD},
                         content_type="application/json", REMOTE_ADDR=NAT)
    assert resp.status_code == 429 and resp.json()["code"] == "locked_out"
    # a token obtained from the address marks its user as known there
    ok = Client().post("/api/v1/auth/token/", {"username": "t_admin", "password": PASSWORD},
                       content_type="application/json", REMOTE_ADDR="198.51.100.40")
    assert ok.status_code == 200
    _spray(11, ip="198.51.100.40")
    assert _login("t_admin", ip="198.51.100.40").status_code == 302


def test_counters_live_in_the_shared_cache_not_process_memory(world):
    from django.core.cache.backends import locmem

    _spray(11)
    locmem._caches.clear()
    assert _login("t_supervisor").status_code == 429
