"""督办: a supervisor instructs the unit handling an overdue case, with a reply deadline from
the rule `supervision.urging_reply`; the unit's reply closes it; audited, scoped (a
supervisor outside scope gets 404), on the case page and in the unit's to-dos."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.clock import frozen
from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError
from yifa.core.todos import todos_for
from yifa.deadlines.models import DeadlineRule, TrackedDeadline
from yifa.enforcement.models import Case, EnforcementItem
from yifa.supervision import services
from yifa.supervision.models import Urging, UrgingState

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 3)


def make_case(world, org=None, no="DB-1", due=TODAY - timedelta(days=20), handler=None, is_open=True):
    org = org or world.dept_a
    item = EnforcementItem.objects.get_or_create(org=org, code=f"DB-{org.pk}", defaults=dict(
        name="督办测试事项", category="penalty", legal_basis="《测试条例》"))[0]
    return Case.objects.create(org=org, case_no=no, title="销售过期食品", item=item, party_name="某超市",
                               state="investigating", filed_on=due - timedelta(days=90), is_open=is_open, due=due,
                               yellow_from=due - timedelta(days=3), source_case_no=no,
                               handler=handler or world.officer_a)


def test_rule_is_seeded_with_citation():
    rule = DeadlineRule.objects.get(code="supervision.urging_reply")
    assert rule.n == 5 and rule.unit == "WD" and rule.is_local_default and "825" in rule.basis


def test_urge_then_reply_closes_it_with_deadline_and_audit(world):
    case = make_case(world)
    with frozen(TODAY):
        u = services.urge_case(actor=world.supervisor, case=case, instruction="请说明超期原因并尽快办结。")
        d = TrackedDeadline.objects.get(owner_type="supervision.urging", owner_id=str(u.pk))
        assert d.rule.code == "supervision.urging_reply" and u.due == d.due and d.due > TODAY
        assert u.org == world.dept_a and u.issuer_org == world.supervision_office and u.state == UrgingState.OPEN
        assert AuditEvent.objects.filter(action="supervision.urging.issue", object_id=str(u.pk)).exists()
        # the unit sees it among its to-dos, in words, once (the deadline merges into it)
        mine = [t for t in todos_for(world.officer_a) if "督办" in t.title]
        assert len(mine) == 1 and "DB-1" in mine[0].title and mine[0].kind == "督办回复"
        assert any("回复督办" in t.title for t in todos_for(world.dept_a_legal))
        assert not any("回复督办" in t.title for t in todos_for(world.dept_b_legal))
        # a second 督办 while one awaits a reply is refused
        with pytest.raises(DomainError, match="待回复"):
            services.urge_case(actor=world.supervisor, case=case, instruction="再次督办")
        # the issuing side cannot answer for the unit
        with pytest.raises(PermissionDenied):
            services.reply_urging(actor=world.supervisor, urging=u, reply="代为回复")
        u = services.reply_urging(actor=world.dept_a_legal, urging=u, reply="已补充调查，预计本周作出决定。",
                                  version=u.version)
    assert u.state == UrgingState.REPLIED and u.replied_by == world.dept_a_legal and u.replied_on == TODAY
    d.refresh_from_db()
    assert d.state == "met"
    assert AuditEvent.objects.filter(action="supervision.urging.reply", object_id=str(u.pk)).exists()
    with pytest.raises(DomainError):
        services.reply_urging(actor=world.dept_a_legal, urging=u, reply="再答一次")
    with frozen(TODAY):
        assert not any("回复督办" in t.title for t in todos_for(world.officer_a))


def test_only_overdue_open_cases_and_supervisors_in_scope(world):
    with frozen(TODAY):
        not_due = make_case(world, no="DB-2", due=TODAY + timedelta(days=5))
        with pytest.raises(DomainError, match="已超期"):
            services.urge_case(actor=world.supervisor, case=not_due, instruction="督办")
        closed = make_case(world, no="DB-3", is_open=False)
        with pytest.raises(DomainError, match="已超期"):
            services.urge_case(actor=world.supervisor, case=closed, instruction="督办")
        case = make_case(world, no="DB-4")
        with pytest.raises(Http404):  # another department's legal officer: outside scope
            services.urge_case(actor=world.dept_b_legal, case=case, instruction="督办")
        with pytest.raises(PermissionDenied):  # an officer does not supervise
            services.urge_case(actor=world.officer_a, case=case, instruction="督办")
        with pytest.raises(DomainError, match="督办要求"):
            services.urge_case(actor=world.supervisor, case=case, instruction="  ")
        # the department's own internal supervision unit may urge its department's case
        u = services.urge_case(actor=world.dept_a_legal, case=case, instruction="内部督办")
        assert u.issuer_org == world.dept_a_unit


def test_supervisor_todo_when_reply_is_late(world):
    case = make_case(world)
    with frozen(TODAY):
        u = services.urge_case(actor=world.supervisor, case=case, instruction="请回复。")
    with frozen(u.due + timedelta(days=3)):
        late = [t for t in todos_for(world.supervisor) if t.kind == "督办逾期未回复" and "DB-1" in t.title]
    assert len(late) == 1 and late[0].level == "red" and late[0].when == "已超期 3 天"


def test_case_page_shows_action_and_reply_form(world, client_for):
    case = make_case(world)
    url = f"/enforcement/cases/{case.pk}/"
    with frozen(TODAY):
        sup = client_for(world.supervisor)
        body = sup.get(url).content.decode()
        assert 'id="urge-submit"' in body
        assert 'id="urge-submit"' not in client_for(world.officer_a).get(url).content.decode()
        resp = sup.post(f"/supervision/cases/{case.pk}/urge/", {"instruction": "请于五个工作日内说明情况。"})
        assert resp.status_code == 302
        u = Urging.objects.get(case=case)
        body = sup.get(url).content.decode()
        assert "请于五个工作日内说明情况。" in body and "待回复" in body and 'id="urge-submit"' not in body
        officer = client_for(world.officer_a)
        body = officer.get(url).content.decode()
        assert f'id="urging-reply-submit-{u.pk}"' in body
        officer.post(f"/supervision/urgings/{u.pk}/op/reply/", {"reply": "已作出处罚决定。", "version": u.version})
        u.refresh_from_db()
        assert u.state == UrgingState.REPLIED
        assert "已作出处罚决定。" in sup.get(url).content.decode()
        # outside scope: 404, never revealed
        other = client_for(world.dept_b_legal)
        assert other.post(f"/supervision/cases/{case.pk}/urge/", {"instruction": "x"}).status_code == 404
        assert other.post(f"/supervision/urgings/{u.pk}/op/reply/", {"reply": "x"}).status_code == 404


def test_api_urge_reply_and_scope(world, client_for):
    case = make_case(world)
    with frozen(TODAY):
        sup = client_for(world.supervisor)
        resp = sup.post("/api/v1/supervision/urgings/", {"case": case.pk, "instruction": "请说明情况。"},
                        content_type="application/json")
        assert resp.status_code == 201, resp.content
        data = resp.json()
        assert data["org"] == world.dept_a.pk and data["state"] == "open" and data["state_label"] == "待回复"
        again = sup.post("/api/v1/supervision/urgings/", {"case": case.pk, "instruction": "再次"},
                         content_type="application/json")
        assert again.status_code == 400 and again.json()["message"]
        other = client_for(world.dept_b_legal)
        assert other.post("/api/v1/supervision/urgings/", {"case": case.pk, "instruction": "x"},
                          content_type="application/json").status_code == 404
        assert other.get(f"/api/v1/supervision/urgings/{data['id']}/").status_code == 404
        assert sup.post(f"/api/v1/supervision/urgings/{data['id']}/reply/", {"reply": "代答"},
                        content_type="application/json").status_code == 403
        unit = client_for(world.dept_a_legal)
        assert [r["id"] for r in unit.get(f"/api/v1/supervision/urgings/?case={case.pk}").json()["results"]] == [data["id"]]
        stale = unit.post(f"/api/v1/supervision/urgings/{data['id']}/reply/", {"reply": "已办结", "version": 99},
                          content_type="application/json")
        assert stale.status_code == 409
        ok = unit.post(f"/api/v1/supervision/urgings/{data['id']}/reply/", {"reply": "已办结", "version": data["version"]},
                       content_type="application/json")
        assert ok.status_code == 200 and ok.json()["state"] == "replied"
        assert unit.post(f"/api/v1/supervision/urgings/{data['id']}/reply/", {"reply": "再答"},
                         content_type="application/json").status_code == 409
