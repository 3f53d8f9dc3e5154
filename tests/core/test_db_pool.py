"""PostgreSQL connections come from Django's psycopg pool (settings: YIFA_DB_POOL*), through
yifa's thin backend, whose pre-commit hooks still run; SQLite has no pool."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection, transaction

from yifa.core import db as core_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the pool is PostgreSQL's: run with DATABASE_URL=postgres://…")


@on_postgresql
@pytest.mark.django_db
def test_postgresql_connection_is_checked_out_of_a_pool():
    connection.ensure_connection()
    assert connection.settings_dict["ENGINE"] == "yifa.core.db.postgresql"
    assert connection.settings_dict["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    pool = connection.pool
    assert pool is not None
    assert connection.connection._pool is pool  # psycopg_pool marks the connections it lends
    stats = pool.get_stats()
    assert stats["pool_max"] == connection.settings_dict["OPTIONS"]["pool"]["max_size"]
    assert stats["requests_num"] >= 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_pre_commit_hooks_run_on_a_pooled_connection():
    seen = []

    def hook(conn):
        seen.append(conn.connection._pool is conn.pool)

    core_db.register_pre_commit(hook)
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SELECT 1")
    finally:
        core_db._PRE_COMMIT.remove(hook)
    assert seen == [True]


def _settings(tmp_path, **env_vars):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "YIFA_DB_"))}
    env.update({"YIFA_VAR_DIR": str(tmp_path), **env_vars})
    code = ("import json, yifa.settings as s; print(json.dumps({a: {k: v for k, v in d.items() if k != 'TEST'} "
            "for a, d in s.DATABASES.items()}, default=str))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)
    return res


def test_settings_pool_on_postgresql_from_env(tmp_path):
    res = _settings(tmp_path, DATABASE_URL="postgres://u@db.internal:5432/yifa", YIFA_DB_POOL_MIN="2",
                    YIFA_DB_POOL_MAX="6")
    assert res.returncode == 0, res.stderr
    db = json.loads(res.stdout)["default"]
    assert db["ENGINE"] == "yifa.core.db.postgresql"
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 6, "timeout": 10}


def test_settings_pool_off_keeps_persistent_connections(tmp_path):
    res = _settings(tmp_path, DATABASE_URL="postgres://u@db.internal:5432/yifa", YIFA_DB_POOL="0")
    assert res.returncode == 0, res.stderr
    db = json.loads(res.stdout)["default"]
    assert "pool" not in db.get("OPTIONS", {})
    assert db["CONN_MAX_AGE"] == 60


def test_settings_no_pool_on_sqlite(tmp_path):
    for env in ({}, {"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}):
        res = _settings(tmp_path, **env)
        assert res.returncode == 0, res.stderr
        db = json.loads(res.stdout)["default"]
        assert db["ENGINE"] == "yifa.core.db.sqlite3"
        assert "pool" not in db.get("OPTIONS", {})


def test_settings_refuse_an_impossible_pool(tmp_path):
    res = _settings(tmp_path, DATABASE_URL="postgres://u@db.internal:5432/yifa", YIFA_DB_POOL_MIN="9",
                    YIFA_DB_POOL_MAX="4")
    assert res.returncode != 0
    assert "YIFA_DB_POOL_MIN/MAX" in res.stderr
