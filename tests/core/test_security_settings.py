"""Production refuses a weak secret key; the API schema and its docs need a login there."""

import os
import subprocess
import sys

import pytest

GOOD_KEY = "Qh7-v2Lx9pZr_4mT8sWc1bYe6nKd3jFa5gUo0iRtHyXq2wElMn"  # 50 characters


def _import_settings(key, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "YIFA_ENV", "YIFA_SECRET_KEY")}
    env.update({"YIFA_ENV": "production", "YIFA_SECRET_KEY": key, "YIFA_ALLOWED_HOSTS": "yifa.example.gov.cn",
                "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3", "YIFA_VAR_DIR": str(tmp_path),
                "YIFA_AUDIT_KEY": "k" * 16 + GOOD_KEY})  # production also needs the audit key
    return subprocess.run([sys.executable, "-c", "import yifa.settings"], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.mark.parametrize("key", ["short-but-random-Kx9", "a" * 80, "abcd" * 20, "django-insecure-" + GOOD_KEY])
def test_production_refuses_a_short_or_simple_secret_key(key, tmp_path):
    res = _import_settings(key, tmp_path)
    assert res.returncode != 0
    assert "YIFA_SECRET_KEY is too short or too simple" in res.stderr, res.stderr


def test_production_accepts_a_long_random_key(tmp_path):
    assert len(GOOD_KEY) == 50
    res = _import_settings(GOOD_KEY, tmp_path)
    assert res.returncode == 0, res.stderr


@pytest.mark.django_db
def test_schema_and_docs_are_open_in_the_demo(client, settings):
    settings.PRODUCTION = False
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_schema_and_docs_need_login_in_production(client, world, client_for, settings):
    settings.PRODUCTION = True
    resp = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert resp.status_code in (401, 403) and resp.json()["message"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/")
    c = client_for(world.supervisor)
    assert c.get("/api/schema/").status_code == 200
    page = c.get("/api/docs/")
    assert page.status_code == 200 and "?script=" in page.content.decode()
    assert c.get("/api/docs/?script=").status_code == 200
