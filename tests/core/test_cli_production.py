"""The console script, the demo county and production mode, run as real processes."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def run(args, env_extra=None, tmp_path=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "YIFA_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    if tmp_path is not None:
        env["YIFA_VAR_DIR"] = str(tmp_path)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "yifa", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_production_refuses_to_start_without_required_settings(tmp_path):
    res = run(["check"], {"YIFA_ENV": "production"}, tmp_path)
    assert res.returncode != 0
    for name in ("YIFA_SECRET_KEY", "YIFA_ALLOWED_HOSTS", "DATABASE_URL", "YIFA_AUDIT_KEY"):
        assert name in res.stderr


def test_production_passes_check_deploy_and_refuses_demo(tmp_path):
    env = {"YIFA_ENV": "production", "YIFA_SECRET_KEY": "x" * 64 + "-Prod-Key-9f8e7d6c5b4a",
           "YIFA_ALLOWED_HOSTS": "yifa.example.gov.cn", "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
           "YIFA_AUDIT_KEY": "k" * 40 + "-Audit-Key-1a2b3c"}
    res = run(["check", "--deploy"], env, tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "security." not in res.stdout + res.stderr, res.stdout + res.stderr  # no deploy warning at all
    res = run(["demo"], env, tmp_path)
    assert res.returncode != 0 and "生产环境" in res.stderr


def test_demo_builds_the_county_once_and_lists_accounts(tmp_path):
    assert run(["migrate", "-v0"], tmp_path=tmp_path).returncode == 0
    first = run(["demo"], tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "[1/" in first.stdout  # progress
    second = run(["demo"], tmp_path=tmp_path)
    assert "保留现有数据" in second.stdout
    accounts = json.loads(run(["demo-accounts", "--json"], tmp_path=tmp_path).stdout)
    roles = {a["role"] for a in accounts}
    assert roles == {"admin", "supervisor", "department_legal_officer", "township_legal_officer", "officer",
                     "duty_lawyer", "expert_lawyer", "advisor_office", "leader"}
    for a in accounts:
        assert set(a) == {"username", "password", "role", "org", "org_name"}
    check = run(["shell", "-v", "0", "-c", (
        "from yifa.orgs.models import Organization as O;"
        "print(O.objects.filter(kind='department').count(), O.objects.filter(kind='township').count(),"
        " O.objects.filter(kind='internal_supervision_unit').count(),"
        " O.objects.filter(kind='township_legal_office').count())")], tmp_path=tmp_path)
    assert check.stdout.split() == ["23", "18", "23", "18"]
    assert run(["audit", "verify"], tmp_path=tmp_path).returncode == 0
