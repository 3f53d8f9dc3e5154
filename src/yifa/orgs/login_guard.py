"""Password-spraying guard: a per-address limit on DISTINCT usernames that fail to sign in.

django-axes locks one username at one address after repeated failures; an attacker who tries
one common password against many usernames never trips it. Here, per client address (the
same `core.net.client_ip` rule as axes), the cache keeps

- the usernames that failed from it within the last YIFA_LOGIN_SPRAY_MINUTES and have not
  since signed in from it (a colleague's typo followed by the right password drops out), and
- the usernames that have signed in successfully from it (kept 30 days).

When more than YIFA_LOGIN_SPRAY_USERNAMES distinct usernames are failing, the address is
blocked for YIFA_LOGIN_SPRAY_BLOCK_MINUTES for every username that has NOT signed in from it
before: those attempts are refused before the password is even checked, so the attacker learns
nothing. Users who have signed in from that address (an office behind one NAT) still get in
with their password. The counters live in the shared cache (every worker process, restarts).
Usernames are stored as hashes, never as typed.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from yifa.core.net import client_ip

GOOD_SECONDS = 30 * 24 * 3600
GOOD_MAX = 2000  # usernames remembered per address
FAILING_MAX = 1000


def _h(username) -> str:
    return hashlib.sha256(str(username or "").strip().lower().encode()).hexdigest()[:20]


def _keys(ip):
    return f"login:spray:fail:{ip}", f"login:spray:good:{ip}", f"login:spray:block:{ip}"


def block_message() -> str:
    return (f"该网络地址登录失败的账号过多，已暂停 {settings.YIFA_LOGIN_SPRAY_BLOCK_MINUTES} 分钟内"
            "未在此处登录过的账号登录；已在此处登录过的用户不受影响。如有疑问请联系系统管理员。")


def is_blocked(ip: str, username: str) -> bool:
    _, good_key, block_key = _keys(ip)
    if not ip or not cache.get(block_key):
        return False
    return _h(username) not in (cache.get(good_key) or {})


def note_failure(ip: str, username: str) -> None:
    if not ip:
        return
    fail_key, good_key, block_key = _keys(ip)
    window = settings.YIFA_LOGIN_SPRAY_MINUTES * 60
    now = time.time()
    h = _h(username)
    good = cache.get(good_key) or {}
    failing = {k: t for k, t in (cache.get(fail_key) or {}).items() if now - t < window}
    if h not in good:  # a known user's typo never counts towards the limit
        failing[h] = now
        if len(failing) > FAILING_MAX:
            failing = dict(sorted(failing.items(), key=lambda kv: kv[1])[-FAILING_MAX:])
    cache.set(fail_key, failing, window)
    if len(failing) > settings.YIFA_LOGIN_SPRAY_USERNAMES:
        cache.set(block_key, True, settings.YIFA_LOGIN_SPRAY_BLOCK_MINUTES * 60)


def note_success(ip: str, username: str) -> None:
    if not ip:
        return
    fail_key, good_key, _ = _keys(ip)
    h = _h(username)
    good = cache.get(good_key) or {}
    good[h] = time.time()
    if len(good) > GOOD_MAX:
        good = dict(sorted(good.items(), key=lambda kv: kv[1])[-GOOD_MAX:])
    cache.set(good_key, good, GOOD_SECONDS)
    failing = cache.get(fail_key)
    if failing and h in failing:
        failing.pop(h)
        cache.set(fail_key, failing, settings.YIFA_LOGIN_SPRAY_MINUTES * 60)


class SprayGuardBackend:
    """First in AUTHENTICATION_BACKENDS: refuses, before any password check, a username that
    has not signed in from a blocked address. Marks the request so the login page and the token
    endpoint answer 429 with the reason. It has no get_user() on purpose (like axes' backend):
    it never signs anyone in, so Django never stores it as a session's backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return
        if is_blocked(client_ip(request), username):
            request.yifa_spray_blocked = True
            raise PermissionDenied(block_message())
        return


@receiver(user_login_failed, dispatch_uid="yifa.orgs.login_guard.failed")
def _on_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        note_failure(client_ip(request), credentials.get("username"))


@receiver(user_logged_in, dispatch_uid="yifa.orgs.login_guard.succeeded")
def _on_success(sender, request, user, **kwargs):
    if request is not None:
        note_success(client_ip(request), user.get_username())
