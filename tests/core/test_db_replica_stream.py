"""A real streaming replica: report reads come from it, writes never go to it, and a client
that just wrote reads the primary.

When the suite runs on PostgreSQL (DATABASE_URL) and PostgreSQL's server binaries are on the
machine, a session fixture starts its own throwaway primary (initdb, wal_level=replica) on a
free port, loads the schema of the pytest-django test database into it (pg_dump --schema-only),
takes a `pg_basebackup -R` of it and starts that as a hot standby on another free port. The
pair is added to Django's connections as `stream_primary` / `stream_replica` and a subclass
of the production router points at them. As root the servers run as `postgres` (runuser).
Anything missing is a skip with its reason. Replay on the standby is paused to make "the
replica has not caught up yet" deterministic.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from yifa.core.db.replica import PIN_COOKIE, ReplicaRouter, report_reads

PRIMARY, REPLICA = "stream_primary", "stream_replica"


class StreamRouter(ReplicaRouter):
    primary = PRIMARY
    replica = REPLICA


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[-3]) if p.split("/")[-3].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


@pytest.fixture(scope="session")
def stream_pair(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("streaming replica test: needs the suite on PostgreSQL (DATABASE_URL=postgres://…)")
    bindir = _pg_bin()
    if not bindir:
        pytest.skip("streaming replica test: PostgreSQL server binaries (initdb, pg_basebackup) not found")
    name = connection.settings_dict["NAME"]
    if not (name.startswith("test_") or name == connection.settings_dict["TEST"].get("NAME")):
        pytest.fail("the test database was not created: pytest-django creates it only for tests marked django_db; "
                    "select test_the_schema_source_is_the_migrated_test_database too")
    runas = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("streaming replica test: running as root without runuser to start PostgreSQL as postgres")
        runas = ["runuser", "-u", "postgres", "--"]

    def run(*args, **kw):
        return subprocess.run([*runas, *args], check=True, capture_output=True, text=True, timeout=60, **kw)

    def pg(name):
        return os.path.join(bindir, name)

    workdir = tempfile.mkdtemp(prefix="yifa-stream-")
    if runas:
        shutil.chown(workdir, "postgres", "postgres")
    primary_dir, replica_dir = os.path.join(workdir, "primary"), os.path.join(workdir, "replica")
    p_port, r_port = _free_port(), _free_port()
    started = []
    try:
        run(pg("initdb"), "-D", primary_dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        # initdb -A trust also allows replication connections from 127.0.0.1 (pg_hba.conf)
        run(pg("pg_ctl"), "-D", primary_dir, "-l", os.path.join(workdir, "primary.log"), "-w", "-o",
            f"-h 127.0.0.1 -p {p_port} -k {workdir} -c wal_level=replica -c max_wal_senders=4 -c fsync=off",
            "start")
        started.append(primary_dir)
        run(pg("createdb"), "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres", "yifa_stream")
        # the schema of the test database (migrated by pytest-django), without its data
        src = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": src.get("PASSWORD") or ""}
        dump = subprocess.run(
            [pg("pg_dump"), "--schema-only", "--no-owner", "--no-privileges", "-h", src.get("HOST") or "127.0.0.1",
             "-p", str(src.get("PORT") or 5432), "-U", src.get("USER") or "postgres", src["NAME"]],
            check=True, capture_output=True, text=True, env=env, timeout=60).stdout
        run(pg("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres",
            "-d", "yifa_stream", input=dump)
        run(pg("pg_basebackup"), "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres", "-D", replica_dir,
            "-R", "-X", "stream", "-c", "fast", "--no-sync")
        run(pg("pg_ctl"), "-D", replica_dir, "-l", os.path.join(workdir, "replica.log"), "-w", "-o",
            f"-h 127.0.0.1 -p {r_port} -k {workdir} -c hot_standby=on", "start")
        started.append(replica_dir)
    except subprocess.SubprocessError as exc:
        for d in reversed(started):
            subprocess.run([*runas, pg("pg_ctl"), "-D", d, "-m", "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(workdir, ignore_errors=True)
        detail = getattr(exc, "stderr", "") or ""
        pytest.fail(f"could not start the primary/replica pair: {exc} {detail[-2000:]}")

    base = connection.settings_dict
    for alias, port in ((PRIMARY, p_port), (REPLICA, r_port)):
        cfg = {**base, "NAME": "yifa_stream", "HOST": "127.0.0.1", "PORT": str(port), "USER": "postgres",
               "PASSWORD": "", "OPTIONS": {**base["OPTIONS"]}, "TEST": {**base["TEST"]}}
        if "pool" in cfg["OPTIONS"]:
            cfg["OPTIONS"]["pool"] = {**cfg["OPTIONS"]["pool"], "timeout": 3}  # a stopped server fails fast
        if alias == REPLICA:
            cfg["OPTIONS"]["options"] = "-c default_transaction_read_only=on"  # as settings.py does
        connections.settings[alias] = cfg

    def stop_replica():
        run(pg("pg_ctl"), "-D", replica_dir, "-m", "immediate", "stop")

    def start_replica():
        run(pg("pg_ctl"), "-D", replica_dir, "-l", os.path.join(workdir, "replica.log"), "-w", "-o",
            f"-h 127.0.0.1 -p {r_port} -k {workdir} -c hot_standby=on", "start")

    try:
        yield {"primary_port": p_port, "replica_port": r_port, "stop_replica": stop_replica,
               "start_replica": start_replica}
    finally:
        for alias in (PRIMARY, REPLICA):
            try:
                conn = connections[alias]
                conn.close()
                if getattr(conn, "pool", None):
                    conn.close_pool()
                del connections[alias]
            except Exception:  # noqa: BLE001 — best effort on teardown
                pass
            connections.settings.pop(alias, None)
        for d in reversed(started):
            subprocess.run([*runas, pg("pg_ctl"), "-D", d, "-m", "fast", "stop"], capture_output=True, timeout=60,
                           check=False)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def routed(stream_pair, settings, django_db_blocker):
    """The production router and middleware, pointed at the pair (the test database is not used)."""
    settings.DATABASE_ROUTERS = [StreamRouter()]
    settings.MIDDLEWARE = ["yifa.core.db.replica.ReplicaPinMiddleware", *settings.MIDDLEWARE]
    with django_db_blocker.unblock():
        yield stream_pair
        assert _wait(_reconnected), "the replica does not answer again"
        _sql(REPLICA, "SELECT pg_wal_replay_resume()")


def _reconnected():
    from yifa.core.db.replica import _replica_unreachable

    return not _replica_unreachable(REPLICA)


def _sql(alias, sql, params=()):
    with connections[alias].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else None


def _wait(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _lsn_replayed():
    target = _sql(PRIMARY, "SELECT pg_current_wal_lsn()")[0][0]
    return _wait(lambda: _sql(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])[0][0])


def _pause_replay():
    _lsn_replayed()
    _sql(REPLICA, "SELECT pg_wal_replay_pause()")
    assert _wait(lambda: _sql(REPLICA, "SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused")


def _advisor(tag):
    from yifa.orgs.models import Organization, OrgKind
    from yifa.review.models import AdvisorType, LegalAdvisor

    org = Organization.objects.create(name=f"单位{tag}", code=f"S{tag}"[:32], kind=OrgKind.choices[0][0])
    return LegalAdvisor.objects.create(org=org, name=f"顾问{tag}"[:40], advisor_type=AdvisorType.choices[0][0],
                                       firm=f"事务所{tag}")


@pytest.mark.django_db
def test_the_schema_source_is_the_migrated_test_database():
    """The pair's schema is dumped from pytest-django's test database; this marker also makes
    pytest-django create that database when this module runs alone."""
    if connection.vendor != "postgresql":
        pytest.skip("streaming replica test: needs the suite on PostgreSQL (DATABASE_URL=postgres://…)")
    assert "review_legaladvisor" in connection.introspection.table_names()


def test_the_pair_streams(routed):
    assert _sql(REPLICA, "SELECT pg_is_in_recovery()")[0][0] is True
    assert _sql(PRIMARY, "SELECT pg_is_in_recovery()")[0][0] is False
    assert _wait(lambda: _sql(PRIMARY, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")[0][0] == 1)


def test_report_reads_come_from_the_replica_and_writes_from_the_primary(routed):
    from yifa.review.models import LegalAdvisor

    _pause_replay()
    tag = uuid.uuid4().hex[:12]
    with report_reads():
        adv = _advisor(tag)  # a write inside a report block still lands on the primary
    assert adv._state.db == PRIMARY
    assert LegalAdvisor.objects.using(PRIMARY).filter(pk=adv.pk).exists()
    with report_reads():  # a fresh report read: the replica, which has not replayed the row yet
        assert not LegalAdvisor.objects.filter(name=f"顾问{tag}").exists()
    assert LegalAdvisor.objects.filter(name=f"顾问{tag}").exists()  # ordinary reads: the primary
    with report_reads(pinned=True):
        assert LegalAdvisor.objects.filter(name=f"顾问{tag}").exists()
    _sql(REPLICA, "SELECT pg_wal_replay_resume()")
    with report_reads():
        assert _wait(lambda: LegalAdvisor.objects.filter(name=f"顾问{tag}").exists())


def test_the_replica_refuses_writes(routed):
    from yifa.review.models import LegalAdvisor

    adv = LegalAdvisor.objects.using(PRIMARY).select_related("org").first() or _advisor(uuid.uuid4().hex[:12])
    with pytest.raises(DatabaseError, match="read-only"):
        LegalAdvisor.objects.using(REPLICA).filter(pk=adv.pk).update(firm="改写")
    # not only this alias's read-only sessions: the standby itself refuses read-write transactions
    with pytest.raises(DatabaseError, match="during recovery"):
        with transaction.atomic(using=REPLICA), connections[REPLICA].cursor() as cur:
            cur.execute("SET TRANSACTION READ WRITE")
            cur.execute("UPDATE review_legaladvisor SET firm = 'x' WHERE id = %s", [adv.pk])
    with report_reads():
        assert StreamRouter().db_for_write(LegalAdvisor) == PRIMARY


def test_portal_page_reads_the_replica_until_the_client_writes(routed, client):
    _pause_replay()
    tag = uuid.uuid4().hex[:12]
    _advisor(tag)
    url = f"/portal/advisors/?q={tag}"
    page = client.get(url)
    assert page.status_code == 200
    assert f"顾问{tag}" not in page.content.decode()  # served by the replica, which lags
    # any writing request (here a POST) pins this client to the primary: it sees its own write
    resp = client.post("/portal/advisors/")
    assert PIN_COOKIE in resp.cookies
    page = client.get(url)
    assert f"顾问{tag}" in page.content.decode()
    client.cookies.pop(PIN_COOKIE)
    assert f"顾问{tag}" not in client.get(url).content.decode()
    _sql(REPLICA, "SELECT pg_wal_replay_resume()")
    assert _wait(lambda: f"顾问{tag}" in client.get(url).content.decode())


def test_reports_read_the_primary_while_the_replica_is_down(routed, client, monkeypatch):
    from yifa.core.db import replica

    tag = uuid.uuid4().hex[:12]
    _advisor(tag)
    url = f"/portal/advisors/?q={tag}"
    assert _wait(lambda: f"顾问{tag}" in client.get(url).content.decode())  # replicated, read from the replica
    monkeypatch.setattr(replica, "_replica_down_until", 0.0)
    routed["stop_replica"]()
    try:
        page = client.get(url)
        assert page.status_code == 200 and f"顾问{tag}" in page.content.decode()  # from the primary
        assert replica.replica_down()
    finally:
        routed["start_replica"]()
