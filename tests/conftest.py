"""Shared fixtures: a small county built through the services, and signed-in clients.

`world` has two sibling townships (A: 南湖镇, B: 北山镇) and two sibling departments,
each with its legal office / internal supervision unit, plus the county's justice bureau
and supervision office. `walker_a` / `walker_b` hold every role, attached to the legal
offices of the sibling townships, so any page or endpoint reachable by any role is
reachable by them and their scopes are exactly the two sibling subtrees.
"""

import importlib
import os

import pytest
from django.apps import apps

from yifa.orgs import services
from yifa.orgs.models import OrgKind, Role

PASSWORD = "Yifa@Test-2026"


@pytest.fixture(autouse=True, scope="session")
def _suite_clock():
    """`YIFA_TEST_TODAY=YYYY-MM-DD` runs the suite with the clock travelled to that day (10:00
    Asia/Shanghai, ticking), so CI can prove the suite passes on 31 December and 1 March
    (scripts/test.sh). Without it the suite runs on the real date; tests that need a
    particular "today" freeze it themselves with time-machine."""
    value = os.environ.get("YIFA_TEST_TODAY")
    if not value:
        yield
        return
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    import time_machine

    day = date.fromisoformat(value)
    with time_machine.travel(datetime.combine(day, time(10, 0), tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run inline when enqueued (the worker tests start real `yifa worker` processes
    on the database backend instead)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The engine caches holiday years per process and invalidates on commit; a test's
    transaction is rolled back instead, so drop the cache around every test."""
    from yifa.deadlines.engine import invalidate_calendar_cache

    invalidate_calendar_cache()
    yield
    invalidate_calendar_cache()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files go to the test's own directory, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


AUDIT_TEST_KEY = "yifa-test-audit-key-0123456789abcdef0123456789"


@pytest.fixture(autouse=True)
def _audit_key_and_checkpoints(settings, tmp_path):
    """The audit chain is signed with a fixed test key (never var/audit.key) and its
    checkpoints go to the test's own directory."""
    settings.YIFA_AUDIT_KEY = AUDIT_TEST_KEY
    settings.YIFA_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


class World(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def make_org(code, name, kind, parent=None):
    return services.create_organization(actor=None, code=code, name=name, kind=kind, parent=parent)


def make_user(username, org, roles, name=None):
    return services.create_user(actor=None, username=username, display_name=name or username, org=org,
                                roles=roles, password=PASSWORD)


@pytest.fixture
def world(db, _fast_hashers):
    w = World()
    w.province = make_org("T-P", "测试省", OrgKind.PROVINCE)
    w.city = make_org("T-C", "测试市", OrgKind.CITY, w.province)
    w.county = make_org("T-GOV", "测试县人民政府", OrgKind.COUNTY, w.city)
    w.justice = make_org("T-SFJ", "测试县司法局", OrgKind.JUSTICE_BUREAU, w.county)
    w.supervision_office = make_org("T-JDB", "测试县行政执法监督办公室", OrgKind.SUPERVISION_OFFICE, w.justice)
    w.dept_a = make_org("T-DA", "测试县市场监督管理局", OrgKind.DEPARTMENT, w.county)
    w.dept_a_unit = make_org("T-DA-NJ", "测试县市场监督管理局法制股", OrgKind.INTERNAL_SUPERVISION_UNIT, w.dept_a)
    w.dept_b = make_org("T-DB", "测试县生态环境局", OrgKind.DEPARTMENT, w.county)
    w.dept_b_unit = make_org("T-DB-NJ", "测试县生态环境局法制股", OrgKind.INTERNAL_SUPERVISION_UNIT, w.dept_b)
    w.town_a = make_org("T-TA", "南湖镇", OrgKind.TOWNSHIP, w.county)
    w.town_a_office = make_org("T-TA-FZ", "南湖镇法制办公室", OrgKind.TOWNSHIP_LEGAL_OFFICE, w.town_a)
    w.town_b = make_org("T-TB", "北山镇", OrgKind.TOWNSHIP, w.county)
    w.town_b_office = make_org("T-TB-FZ", "北山镇法制办公室", OrgKind.TOWNSHIP_LEGAL_OFFICE, w.town_b)
    w.admin = make_user("t_admin", w.county, [Role.ADMIN], "县管理员")
    w.supervisor = make_user("t_supervisor", w.supervision_office, [Role.SUPERVISOR], "监督员甲")
    w.leader = make_user("t_leader", w.county, [Role.LEADER], "领导甲")
    w.dept_a_legal = make_user("t_dept_a", w.dept_a_unit, [Role.DEPARTMENT_LEGAL_OFFICER], "市场法制员")
    w.dept_b_legal = make_user("t_dept_b", w.dept_b_unit, [Role.DEPARTMENT_LEGAL_OFFICER], "环境法制员")
    w.town_a_legal = make_user("t_town_a", w.town_a_office, [Role.TOWNSHIP_LEGAL_OFFICER], "南湖法制员")
    w.town_b_legal = make_user("t_town_b", w.town_b_office, [Role.TOWNSHIP_LEGAL_OFFICER], "北山法制员")
    w.officer_a = make_user("t_officer_a", w.dept_a, [Role.OFFICER], "市场执法员")
    w.walker_a = make_user("t_walker_a", w.town_a_office, list(Role.values), "南湖全角色")
    w.walker_b = make_user("t_walker_b", w.town_b_office, list(Role.values), "北山全角色")
    # Each app may ship `yifa/<app>/testing.py` with `add_scoping_objects(world)` that adds
    # one object of each of its scoped models in each sibling unit (town_a / town_b), so
    # the scoping walk finds something to try on every detail URL.
    for app in apps.get_app_configs():
        if app.name.startswith("yifa."):
            try:
                module = importlib.import_module(f"{app.name}.testing")
            except ModuleNotFoundError:
                continue
            module.add_scoping_objects(w)
    return w


@pytest.fixture
def client_for(client, db):
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (browser tests against live_server) flush the database after
    each test, which also removes the reference data seeded by data migrations (holiday
    calendar, deadline rules, ...). Re-run those seeds — every `seed*` RunPython of a yifa
    migration is idempotent by convention — before each such test."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    for key in _ordered(loader):
        migration = loader.graph.nodes[key]
        if not type(migration).__module__.startswith("yifa."):
            continue
        for op in migration.operations:
            if isinstance(op, RunPython) and getattr(op.code, "__name__", "").startswith("seed"):
                op.code(global_apps, None)


def _ordered(loader):
    seen, out = set(), []
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                out.append(key)
    return out


# --- browser tests: Playwright driving Debian's Chromium (never a downloaded browser) -----

@pytest.fixture(scope="session")
def browser():
    from tests.browser.helpers import CHROMIUM, FLAGS

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        wait_for_scripts_before_acting()
        yield b
        b.close()


# Page actions that a page script may answer (a confirm dialog on submit, a listener that
# ticks a box): a page reached by a click shows its elements while its scripts at the end
# of <body> are still loading, and an action then would race them (CI saw a confirmed
# suggestion that ticked nothing). Each of these, on a page or a locator, first waits for
# the current document's load event, which has already fired on every page but one still
# loading.
ACTIONS_AFTER_LOAD = ("click", "dblclick", "check", "uncheck", "set_checked", "fill", "type",
                      "press", "press_sequentially", "select_option", "set_input_files",
                      "dispatch_event", "tap")


def wait_for_scripts_before_acting():
    from playwright.sync_api import Locator, Page

    for cls, page_of in ((Page, lambda self: self), (Locator, lambda self: self.page)):
        for name in ACTIONS_AFTER_LOAD:
            act = getattr(cls, name, None)
            if act is None or getattr(act, "waits_for_load", False):
                continue

            def after_load(self, *args, _act=act, _page_of=page_of, **kwargs):
                _page_of(self).wait_for_load_state("load")
                return _act(self, *args, **kwargs)

            after_load.waits_for_load = True
            setattr(cls, name, after_load)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    # a script the Content-Security-Policy blocks fails silently on the page: fail the test
    csp_violations = []
    pg.on("console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield pg
    context.close()
    assert not csp_violations, f"Content-Security-Policy violations: {csp_violations}"
