"""Tracked deadlines: the service, SQL yellow/red state, overrides, suspensions,
extensions, scoping and the sweep."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from yifa.audit.selectors import timeline_for
from yifa.core import clock
from yifa.core.errors import DomainError, IllegalTransition
from yifa.core.models import Notification
from yifa.core.sweep import run_all
from yifa.core.todos import todos_for
from yifa.deadlines import engine, services
from yifa.deadlines.models import DeadlineRule, DueStatus, TrackedDeadline, Warning
from yifa.deadlines.sweep import sweep_deadlines
from yifa.deadlines.todos import due_deadlines

D = date
pytestmark = pytest.mark.django_db


def start(world, rule="permit.decision", on=D(2025, 9, 25), org=None, handler=None, owner=("tests.case", "1")):
    return services.start_deadline(actor=None, owner=owner, rule_code=rule, start=on, org=org or world.dept_a,
                                   handler=handler, title="测试事项")


# --- creation and SQL state --------------------------------------------------------------------

def test_start_stores_due_yellow_from_and_citation(world):
    d = start(world, handler=world.officer_a)
    assert (d.due, d.n, d.unit, d.state) == (D(2025, 10, 29), 20, "WD", "open")
    assert d.yellow_from == D(2025, 10, 24)  # 3 working days before: 10/24, 10/27, 10/28
    assert "行政许可法" in d.citation
    assert [e.action for e in timeline_for(d)] == ["deadline.start"]


def test_start_with_an_owner_model_and_min_rules_refused(world):
    d = services.start_deadline(actor=None, owner=world.dept_a, rule_code="penalty.decision", start=D(2025, 6, 10),
                                org=world.dept_a)
    assert (d.owner_type, d.owner_id) == ("orgs.organization", str(world.dept_a.pk))
    with pytest.raises(DomainError, match="最短期限"):
        start(world, rule="review.major_decision.min")
    with pytest.raises(DomainError, match="未知的期限规则"):
        start(world, rule="nope")


def test_start_outside_actor_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.start_deadline(actor=world.town_b_legal, owner=("x", "1"), rule_code="penalty.publicity",
                                start=D(2025, 6, 10), org=world.town_a)


def test_red_yellow_normal_are_sql_filters(world):
    d = start(world)
    qs = TrackedDeadline.objects.filter(pk=d.pk)
    cases = [(D(2025, 10, 23), DueStatus.NORMAL), (D(2025, 10, 24), DueStatus.YELLOW),
             (D(2025, 10, 29), DueStatus.YELLOW), (D(2025, 10, 30), DueStatus.RED)]
    for today, status in cases:
        assert qs.with_due_status(today).get().due_status == status
        assert list(qs.with_status(status, today)) == [d]
        assert d.due_status_on(today) == status
        others = {DueStatus.NORMAL, DueStatus.YELLOW, DueStatus.RED} - {status}
        assert not any(qs.with_status(o, today).exists() for o in others)
    services.close_deadline(actor=None, deadline=d, met_on=D(2025, 10, 20))
    assert qs.with_due_status(D(2025, 10, 30)).get().due_status == DueStatus.CLOSED
    assert not qs.red(D(2025, 10, 30)).exists()


def test_red_query_uses_the_state_due_index(world):
    from django.db import connection

    sql, params = TrackedDeadline.objects.red(D(2025, 1, 1)).query.sql_with_params()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # a handful of test rows makes a sequential scan cheapest; ask whether the index can serve
            cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        plan = " ".join(str(r) for r in cur.fetchall())
    assert "deadline_state_due" in plan or "deadline_state_yellow" in plan or "Index" in plan


# --- close ----------------------------------------------------------------------------------------

def test_close_met_missed_and_twice_is_illegal(world):
    met = services.close_deadline(actor=None, deadline=start(world), met_on=D(2025, 10, 29))
    assert met.state == "met" and met.closed_on == D(2025, 10, 29)
    missed = services.close_deadline(actor=None, deadline=start(world, owner=("tests.case", "2")),
                                     met_on=D(2025, 10, 30))
    assert missed.state == "missed"
    with pytest.raises(IllegalTransition):
        services.close_deadline(actor=None, deadline=met, met_on=D(2025, 10, 30))
    assert [e.action for e in timeline_for(met)] == ["deadline.start", "deadline.close"]


def test_actor_out_of_scope_cannot_close(world):
    d = start(world, org=world.town_a)
    with pytest.raises(PermissionDenied):
        services.close_deadline(actor=world.town_b_legal, deadline=d, met_on=D(2025, 10, 1))
    services.close_deadline(actor=world.town_a_legal, deadline=d, met_on=D(2025, 10, 1))


# --- overrides --------------------------------------------------------------------------------------

def test_market_supervision_publicity_override(world):
    rule = DeadlineRule.objects.get(code="penalty.publicity")
    services.set_rule_override(actor=world.admin, rule=rule, org=world.dept_a, n=20,
                               basis="《市场监督管理行政处罚信息公示规定》第九条")
    # the department and units under it use 20 WD with the override's basis; others keep 7 WD
    for org in (world.dept_a, world.dept_a_unit):
        r = engine.compute("penalty.publicity", D(2025, 6, 10), org=org)
        assert (r.n, r.due, r.is_override) == (20, D(2025, 7, 8), True)
        assert "市场监督管理行政处罚信息公示规定" in r.basis
    r = engine.compute("penalty.publicity", D(2025, 6, 10), org=world.dept_b)
    assert (r.n, r.due, r.is_override) == (7, D(2025, 6, 19), False)
    assert engine.compute("penalty.publicity", D(2025, 6, 10)).n == 7
    # the tracked deadline stores the override's N and citation
    d = start(world, rule="penalty.publicity", on=D(2025, 6, 10), org=world.dept_a_unit)
    assert (d.n, d.due) == (20, D(2025, 7, 8)) and "第九条" in d.citation


def test_nearest_override_wins_and_cli_api_use_it(world, client_for):
    import json
    from io import StringIO

    rule = DeadlineRule.objects.get(code="penalty.publicity")
    services.set_rule_override(actor=None, rule=rule, org=world.county, n=10, basis="县规定")
    services.set_rule_override(actor=None, rule=rule, org=world.dept_a, n=20, basis="市场监管规定")
    assert engine.compute("penalty.publicity", D(2025, 6, 10), org=world.dept_a_unit).n == 20
    assert engine.compute("penalty.publicity", D(2025, 6, 10), org=world.dept_b).n == 10
    out = StringIO()
    call_command("deadline", "penalty.publicity", "2025-06-10", "--org", str(world.dept_a.pk), "--json", stdout=out)
    assert json.loads(out.getvalue())["n"] == 20
    resp = client_for(world.dept_a_legal).get("/api/v1/deadlines/compute/", {
        "rule": "penalty.publicity", "start": "2025-06-10", "org": world.dept_a.pk})
    assert resp.json()["n"] == 20 and resp.json()["basis"] == "市场监管规定"


def test_only_admins_set_overrides(world):
    rule = DeadlineRule.objects.get(code="penalty.publicity")
    with pytest.raises(PermissionDenied):
        services.set_rule_override(actor=world.dept_a_legal, rule=rule, org=world.dept_a, n=20, basis="x")
    with pytest.raises(DomainError):
        services.set_rule_override(actor=world.admin, rule=rule, org=world.dept_a, n=20, basis=" ")


# --- suspensions ----------------------------------------------------------------------------------

def test_suspension_days_are_not_counted(world):
    d = start(world, on=D(2025, 6, 3))  # permit.decision: 20 WD → 2025-07-01
    assert d.due == D(2025, 7, 1)
    d = services.suspend(actor=None, deadline=d, on=D(2025, 6, 9), reason="组织听证")
    assert d.state == "suspended"
    assert not TrackedDeadline.objects.red(D(2025, 12, 1)).filter(pk=d.pk).exists()
    with pytest.raises(IllegalTransition):
        services.suspend(actor=None, deadline=d, on=D(2025, 6, 10), reason="again")
    d = services.resume(actor=None, deadline=d, on=D(2025, 6, 16), reason="听证结束")
    # 6/9–6/15 not counted: five working days → due moves from 7/1 to 7/8
    assert (d.state, d.due, d.yellow_from) == ("open", D(2025, 7, 8), D(2025, 7, 3))
    assert engine.compute("permit.decision", D(2025, 6, 3),
                          suspensions=[(D(2025, 6, 9), D(2025, 6, 15))]).due == D(2025, 7, 8)
    assert [e.action for e in timeline_for(d)] == ["deadline.start", "deadline.suspend", "deadline.resume"]


def test_suspension_of_a_calendar_day_rule(world):
    d = start(world, rule="coercion.seizure", on=D(2025, 6, 3))  # 30 CD → 7/3 (Thu)
    assert d.due == D(2025, 7, 3)
    services.suspend(actor=None, deadline=d, on=D(2025, 6, 10), reason="检测")
    d = services.resume(actor=None, deadline=d, on=D(2025, 6, 20))  # 10 days not counted → 7/13 (Sun)
    # a maximum duration (查封扣押) is not rolled forward past the Sunday; a processing
    # period with the same suspension is
    assert d.due == D(2025, 7, 13)
    assert engine.compute("reconsideration.simple_decision", D(2025, 6, 3),
                          suspensions=[(D(2025, 6, 10), D(2025, 6, 19))]).due == D(2025, 7, 14)


def test_suspension_refused_where_it_does_not_apply(world):
    d = start(world, rule="penalty.payment", on=D(2025, 6, 3))
    with pytest.raises(DomainError, match="不适用中止"):
        services.suspend(actor=None, deadline=d, on=D(2025, 6, 5), reason="x")


def test_close_while_suspended(world):
    d = start(world, on=D(2025, 6, 3))
    services.suspend(actor=None, deadline=d, on=D(2025, 6, 9), reason="鉴定")
    d = services.close_deadline(actor=None, deadline=d, met_on=D(2025, 7, 7))
    assert d.state == "met" and d.due > D(2025, 7, 7)


# --- extensions -----------------------------------------------------------------------------------

def test_extension_needs_an_approver_and_an_allowed_rule(world):
    d = start(world, on=D(2025, 6, 3))  # due 7/1
    with pytest.raises(DomainError, match="批准人"):
        services.extend(actor=None, deadline=d, approver=None, reason="情况复杂", on=D(2025, 6, 20))
    with pytest.raises(DomainError, match="批准人"):
        services.extend(actor=None, deadline=d, approver=world.town_b_legal, reason="情况复杂", on=D(2025, 6, 20))
    d = services.extend(actor=world.dept_a_legal, deadline=d, approver=world.leader, reason="情况复杂",
                        on=D(2025, 6, 20))
    assert (d.state, d.due) == ("extended", D(2025, 7, 15))  # +10 WD
    ext = d.extensions.get()
    assert (ext.approver, ext.n, ext.created_by) == (world.leader, 10, world.dept_a_legal)
    with pytest.raises(DomainError, match="最多可延长 1 次"):
        services.extend(actor=None, deadline=d, approver=world.leader, reason="再延", on=D(2025, 6, 21))
    not_extendable = start(world, rule="penalty.payment", on=D(2025, 6, 3), owner=("tests.case", "9"))
    with pytest.raises(DomainError, match="不允许延长"):
        services.extend(actor=None, deadline=not_extendable, approver=world.leader, reason="x", on=D(2025, 6, 4))
    late = start(world, rule="foia.reply", on=D(2025, 6, 3), owner=("tests.case", "10"))
    with pytest.raises(DomainError, match="届满"):
        services.extend(actor=None, deadline=late, approver=world.leader, reason="x", on=D(2025, 12, 1))
    audit = timeline_for(d)[-1]
    assert audit.action == "deadline.extend" and audit.after["approver"] == world.leader.pk


def test_extension_then_suspension_keeps_both(world):
    d = start(world, on=D(2025, 6, 3))
    services.extend(actor=None, deadline=d, approver=world.leader, reason="复杂", on=D(2025, 6, 5))
    services.suspend(actor=None, deadline=d, on=D(2025, 6, 9), reason="听证")
    d = services.resume(actor=None, deadline=d, on=D(2025, 6, 16))
    assert (d.state, d.due) == ("extended", D(2025, 7, 22))  # 30 WD + 5 suspended WD


# --- scoping: list, detail, API ---------------------------------------------------------------------

def test_sibling_township_gets_404(world, client_for):
    b = client_for(world.town_b_legal)
    assert b.get(f"/deadlines/tracked/{world.deadline_a.pk}/").status_code == 404
    assert b.get(f"/api/v1/deadlines/tracked/{world.deadline_a.pk}/").status_code == 404
    assert b.get(f"/deadlines/tracked/{world.deadline_b.pk}/").status_code == 200
    rows = b.get("/api/v1/deadlines/tracked/").json()["results"]
    ids = {r["id"] for r in rows}
    assert world.deadline_b.pk in ids and world.deadline_a.pk not in ids
    # other apps' scoping objects may add deadlines in town_b; none may come from elsewhere
    assert {r["org"] for r in rows} <= {world.town_b.pk, world.town_b_office.pk}
    html = b.get("/deadlines/tracked/").content.decode()
    assert "北山镇处罚决定公示" in html and "南湖镇处罚决定公示" not in html
    sup = client_for(world.supervisor)
    ids = {r["id"] for r in sup.get("/api/v1/deadlines/tracked/").json()["results"]}
    assert {world.deadline_a.pk, world.deadline_b.pk} <= ids


def test_api_tracked_fields_and_status_filter(world, client_for):
    c = client_for(world.supervisor)
    row = c.get(f"/api/v1/deadlines/tracked/{world.deadline_a.pk}/").json()
    assert row["id"] == world.deadline_a.pk and row["org"] == world.town_a.pk
    assert row["rule"] == "penalty.publicity" and row["due_status"] == "red"  # due 2025-06-19, long past
    red = c.get("/api/v1/deadlines/tracked/", {"status": "red"}).json()["results"]
    assert {r["id"] for r in red} >= {world.deadline_a.pk, world.deadline_b.pk}
    assert c.get("/api/v1/deadlines/tracked/", {"status": "normal"}).json()["results"] == []


def test_tracked_list_page_filters(world, client_for):
    c = client_for(world.supervisor)
    for params in ({}, {"status": "red"}, {"status": "yellow"}, {"rule": "penalty.publicity"},
                   {"org": world.town_a.pk}):
        assert c.get("/deadlines/tracked/", params).status_code == 200
    html = c.get("/deadlines/tracked/", {"org": world.town_a.pk}).content.decode()
    assert "南湖镇处罚决定公示" in html and "北山镇处罚决定公示" not in html
    html = c.get("/deadlines/tracked/", {"status": "normal"}).content.decode()
    assert "南湖镇处罚决定公示" not in html


def test_tracked_list_query_count_is_constant(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(world.supervisor)
    c.get("/deadlines/tracked/")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/deadlines/tracked/").status_code == 200
        return len(ctx)

    few = count()
    for i in range(15):
        start(world, owner=("tests.case", f"q{i}"), handler=world.officer_a)
    assert count() == few


# --- to-dos ------------------------------------------------------------------------------------------

def test_todos_list_the_handlers_yellow_and_red_deadlines(world, django_assert_max_num_queries):
    red = start(world, on=D(2025, 6, 3), handler=world.officer_a)
    # far: 7 WD from today, still normal (yellow from 3 WD before its due date)
    start(world, on=clock.today(), rule="penalty.service", handler=world.officer_a, owner=("tests.case", "far"))
    start(world, on=D(2025, 6, 3), handler=world.dept_a_legal, owner=("tests.case", "other"))
    with django_assert_max_num_queries(1):
        todos = due_deadlines(world.officer_a)
    assert [t for t in todos_for(world.officer_a) if t.module == "法定期限"] == todos
    assert [(t.due, t.level) for t in todos] == [(red.due, "red")]


# --- the sweep -------------------------------------------------------------------------------------

def test_sweep_warns_once_per_level_and_routes_notifications(world):
    d = start(world, on=D(2025, 9, 25), handler=world.officer_a, org=world.dept_a)  # due 10/29, yellow 10/24
    t = start(world, on=D(2025, 9, 25), org=world.town_a, owner=("tests.case", "t"))
    TrackedDeadline.objects.exclude(pk__in=[d.pk, t.pk]).update(state="met")  # the world's own deadlines

    assert sweep_deadlines(D(2025, 10, 23))["warnings"] == 0  # still normal

    first = sweep_deadlines(D(2025, 10, 24))
    assert first["yellow_warnings"] == 2 and first["red_warnings"] == 0
    recipients = set(Notification.objects.filter(dedupe_key=f"deadline:{d.pk}:yellow")
                     .values_list("recipient__username", flat=True))
    assert recipients == {"t_officer_a", "t_dept_a", "t_supervisor"}
    recipients = set(Notification.objects.filter(dedupe_key=f"deadline:{t.pk}:yellow")
                     .values_list("recipient__username", flat=True))
    assert recipients == {"t_town_a", "t_walker_a", "t_supervisor"}  # walker_a: every role, in the legal office
    assert first["notifications"] == 6

    again = sweep_deadlines(D(2025, 10, 24))
    assert again["warnings"] == 0 and again["notifications"] == 0
    assert sweep_deadlines(D(2025, 10, 28))["warnings"] == 0  # still yellow: already warned

    red = sweep_deadlines(D(2025, 10, 30))
    assert (red["red_warnings"], red["yellow_warnings"], red["notifications"]) == (2, 0, 6)
    assert run_all(D(2025, 10, 30))["deadlines"]["warnings"] == 0
    assert Warning.objects.filter(deadline=d).count() == 2
    assert Notification.objects.filter(level="red", recipient=world.officer_a).count() == 1


def test_sweep_command_is_idempotent(world):
    from io import StringIO

    start(world, on=D(2025, 9, 25), handler=world.officer_a)
    out = StringIO()
    call_command("sweep", "--today", "2025-11-03", "--json", stdout=out)
    import json

    first = json.loads(out.getvalue())["deadlines"]
    assert first["red_warnings"] >= 1 and first["notifications"] >= 1
    out = StringIO()
    call_command("sweep", "--today", "2025-11-03", "--json", stdout=out)
    second = json.loads(out.getvalue())["deadlines"]
    assert second["warnings"] == 0 and second["notifications"] == 0


def test_sweep_query_count_does_not_grow_with_cases(world, django_assert_max_num_queries):
    for i in range(30):
        start(world, owner=("tests.case", f"s{i}"), handler=world.officer_a,
              org=world.dept_a if i % 2 else world.town_a)
    # per newly warned deadline: notify's existing-check + insert; the rest is fixed
    with django_assert_max_num_queries(2 * 32 + 20):
        sweep_deadlines(D(2025, 10, 30))
