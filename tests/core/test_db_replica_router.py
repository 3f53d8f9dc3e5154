"""The replica router (yifa.core.db.replica) without a replica: where each read and write is
sent, read-your-writes pinning through the middleware's cookie, the settings that switch it
on, and the report views that opt in. The real streaming replica is in test_db_replica_stream."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from yifa.core.db import replica
from yifa.core.db.replica import (
    PIN_COOKIE,
    ReplicaPinMiddleware,
    ReplicaRouter,
    report_reads,
)
from yifa.enforcement.models import Case
from yifa.orgs.models import ApiToken, Organization, User

router = ReplicaRouter()


def test_reads_go_to_the_primary_outside_report_views():
    assert router.db_for_read(Case) == "default"


def test_report_reads_of_domain_tables_go_to_the_replica():
    with report_reads():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_read(Organization) == "replica"
    assert router.db_for_read(Case) == "default"


def test_authentication_and_bookkeeping_stay_on_the_primary_in_report_views():
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.models import Session
    from django.core.cache.backends.db import BaseDatabaseCache

    cache_entry = BaseDatabaseCache("yifa_cache", {}).cache_model_class  # an unregistered model
    with report_reads():
        for model in (User, ApiToken, Session, ContentType, cache_entry):
            assert router.db_for_read(model) == "default", model


def test_writes_never_go_to_the_replica_and_pin_the_rest_of_the_request():
    with report_reads() as state:
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_write(Case) == "default"
        assert state.wrote
        assert router.db_for_read(Case) == "default"  # read-your-writes within the request


def test_session_and_cache_writes_do_not_pin():
    from django.contrib.sessions.models import Session

    with report_reads() as state:
        assert router.db_for_write(Session) == "default"
        assert not state.wrote
        assert router.db_for_read(Case) == "replica"


def test_pinned_client_reads_the_primary():
    with report_reads(pinned=True):
        assert router.db_for_read(Case) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_there():
    # pytest-django's test transaction is open on `default`
    with report_reads():
        assert router.db_for_read(Case) == "default"


def test_migrations_only_on_the_primary_and_relations_allowed():
    assert router.allow_migrate("default", "enforcement") is True
    assert router.allow_migrate("replica", "enforcement") is False
    a, b = Organization(), Organization()
    a._state.db, b._state.db = "default", "replica"
    assert router.allow_relation(a, b) is True
    b._state.db = "other"
    assert router.allow_relation(a, b) is None


def _run(request, view):
    return ReplicaPinMiddleware(view)(request)


def test_middleware_pins_after_a_write_and_only_then(settings):
    settings.YIFA_REPLICA_PIN_SECONDS = 7
    rf = RequestFactory()

    def reader(request):
        with report_reads():
            return HttpResponse(router.db_for_read(Case))

    def writer(request):
        router.db_for_write(Case)
        return HttpResponse("ok")

    resp = _run(rf.get("/reports/"), reader)
    assert resp.content == b"replica" and PIN_COOKIE not in resp.cookies
    for req in (rf.get("/x/"), rf.post("/x/")):  # an ORM write on a GET, or any POST
        resp = _run(req, writer)
        cookie = resp.cookies[PIN_COOKIE]
        assert cookie["max-age"] == 7 and cookie["httponly"]
        assert 5 <= int(cookie.value) - time.time() <= 8
    # the next request with that cookie reads the primary; an expired or forged one does not pin
    req = rf.get("/reports/")
    req.COOKIES[PIN_COOKIE] = cookie.value
    assert _run(req, reader).content == b"default"
    for value in (str(int(time.time()) - 1), "garbage"):
        req = rf.get("/reports/")
        req.COOKIES[PIN_COOKIE] = value
        assert _run(req, reader).content == b"replica"
    assert replica._state.get() is None  # nothing leaks past the request


def _settings(tmp_path, **env_vars):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "YIFA_DB_"))}
    env.update({"YIFA_VAR_DIR": str(tmp_path), **env_vars})
    code = ("import json, yifa.settings as s; print(json.dumps({'dbs': {a: {k: v for k, v in d.items()} "
            "for a, d in s.DATABASES.items()}, 'routers': getattr(s, 'DATABASE_ROUTERS', []), "
            "'middleware': s.MIDDLEWARE}, default=str))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_settings_without_replica_route_nothing(tmp_path):
    res = _settings(tmp_path, DATABASE_URL="postgres://u@db.internal:5432/yifa")
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert list(got["dbs"]) == ["default"]
    assert got["routers"] == []
    assert "yifa.core.db.replica.ReplicaPinMiddleware" not in got["middleware"]


def test_settings_with_replica(tmp_path):
    res = _settings(tmp_path, DATABASE_URL="postgres://u@db.internal:5432/yifa",
                    DATABASE_REPLICA_URL="postgres://u@db-replica.internal:5432/yifa")
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    rep = got["dbs"]["replica"]
    assert rep["HOST"] == "db-replica.internal" and rep["ENGINE"] == "yifa.core.db.postgresql"
    assert rep["TEST"] == {"MIRROR": "default"}
    assert "default_transaction_read_only=on" in rep["OPTIONS"]["options"]
    assert "pool" in rep["OPTIONS"]
    assert got["routers"] == ["yifa.core.db.replica.ReplicaRouter"]
    assert got["middleware"][0] == "yifa.core.db.replica.ReplicaPinMiddleware"


def test_settings_refuse_a_replica_without_postgresql(tmp_path):
    res = _settings(tmp_path, DATABASE_REPLICA_URL="postgres://u@db-replica.internal:5432/yifa")
    assert res.returncode != 0 and "DATABASE_REPLICA_URL needs PostgreSQL" in res.stderr


@pytest.mark.parametrize("dotted", [
    "yifa.reports.views.dashboard", "yifa.reports.views.drilldown", "yifa.reports.views.dashboard_export",
    "yifa.reports.views.annual_report", "yifa.review.views.statistics", "yifa.supervision.views.statistics",
    "yifa.supervision.views.statistics_export", "yifa.training.views.statistics", "yifa.accountability.views.stats",
    "yifa.supervision.complaints.views.stats", "yifa.supervision.complaints.views.export",
    "yifa.enforcement.views.export", "yifa.assessment.views.period_export",
    "yifa.supervision.evaluation.views.campaign_export",
])
def test_report_views_opt_in(dotted):
    from django.utils.module_loading import import_string

    view = import_string(dotted)
    while not getattr(view, "replica_reads", False) and hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    assert getattr(view, "replica_reads", False), dotted


def test_portal_pages_read_in_report_mode(monkeypatch):
    from yifa.portal import selectors as portal_selectors
    from yifa.portal.caching import public_page

    # the frame's footer (read from the database, outside this check) is not what is tested
    monkeypatch.setattr(portal_selectors, "footer", lambda: {})

    seen = []

    page = public_page(lambda request: seen.append(router.db_for_read(Case)) or {"x": 1})(
        lambda request, data: HttpResponse("ok"))
    assert page(RequestFactory().get("/portal/")).status_code == 200
    assert seen == ["replica"]


@pytest.fixture
def replica_router(settings, monkeypatch):
    settings.DATABASE_ROUTERS = [ReplicaRouter()]
    monkeypatch.setattr(replica, "_replica_down_until", 0.0)
    yield


def _flaky_report(calls):
    from django.db import OperationalError

    def fn():
        db = router.db_for_read(Case)
        calls.append(db)
        if db == "replica":
            raise OperationalError("connection to server at 10.0.0.9 failed")
        return db

    return fn


def test_unreachable_replica_falls_back_to_the_primary_for_a_while(replica_router, monkeypatch):
    monkeypatch.setattr(replica, "_replica_unreachable", lambda alias: alias == "replica")
    calls = []
    assert replica.run_report(_flaky_report(calls)) == "default"
    assert calls == ["replica", "default"]
    assert replica.replica_down()
    with report_reads():
        assert router.db_for_read(Case) == "default"  # skipped for REPLICA_RETRY_SECONDS
    monkeypatch.setattr(replica, "_replica_down_until", time.monotonic() - 1)
    with report_reads():
        assert router.db_for_read(Case) == "replica"  # and tried again afterwards


def test_a_reachable_replica_is_kept_and_errors_of_the_primary_are_not_hidden(replica_router, monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(replica, "_replica_unreachable", lambda alias: False)  # the replica answers again
    calls = []
    assert replica.run_report(_flaky_report(calls)) == "default"  # one retry on the primary
    assert calls == ["replica", "default"] and not replica.replica_down()

    def always_failing():
        calls.append(router.db_for_read(Case))
        raise OperationalError("the primary is down too")

    calls.clear()
    with pytest.raises(OperationalError):
        replica.run_report(always_failing)
    assert calls == ["replica", "default"]


def test_a_report_that_wrote_is_not_run_twice(replica_router, monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(replica, "_replica_unreachable", lambda alias: True)
    calls = []

    def fn():
        calls.append(1)
        router.db_for_write(Case)
        raise OperationalError("boom")

    with pytest.raises(OperationalError):
        replica.run_report(fn)
    assert calls == [1]
