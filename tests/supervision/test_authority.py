"""Who may sign off what (issue: records an auditor can trust, §1): the side that raised a
finding or issued a letter verifies, accepts, rejects and closes; the supervised unit
never certifies itself; a 监督决定书 is issued only by the county supervision office; and
closing a letter whose rectification was accepted closes the findings it covered."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import make_user
from yifa.audit.models import AuditEvent
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.orgs.models import Role
from yifa.supervision import services
from yifa.supervision.models import FindingState, LetterState

pytestmark = pytest.mark.django_db
ON = date(2025, 9, 1)


@pytest.fixture
def dept_b_colleague(world):
    """A second legal officer of the supervised bureau (the 'two officers' of the finding)."""
    return make_user("t_dept_b2", world.dept_b_unit, [Role.DEPARTMENT_LEGAL_OFFICER], "环境法制员乙")


def _county_letter(world, org):
    f = services.raise_finding(actor=world.supervisor, org=org, category="publicity", description="未按时公示",
                               on=date(2025, 8, 20))
    return f, services.issue_letter(actor=world.supervisor, findings=[f], requirements="立即整改。", on=ON)


def test_supervised_bureau_cannot_accept_or_close_the_county_letter(world, client_for, dept_b_colleague):
    finding, letter = _county_letter(world, world.dept_b)
    services.submit_rectification(actor=world.dept_b_legal, letter=letter, content="已整改", evidence="截图",
                                  on=date(2025, 9, 10))
    api = f"/api/v1/supervision/letters/{letter.pk}/transitions/"
    for who in (world.dept_b_legal, dept_b_colleague):
        resp = client_for(who).post(api, {"action": "accept"}, content_type="application/json")
        assert resp.status_code == 403, resp.content
        assert "被监督单位不能自行认可" in resp.json()["message"]
        resp = client_for(who).post(api, {"action": "reject", "reason": "x"}, content_type="application/json")
        assert resp.status_code == 403
    letter.refresh_from_db()
    assert letter.state == LetterState.SUBMITTED
    # the pages offer the review only to the issuing side
    assert 'id="review-form"' not in client_for(world.dept_b_legal).get(f"/supervision/letters/{letter.pk}/").content.decode()
    sup = client_for(world.supervisor)
    assert 'id="review-form"' in sup.get(f"/supervision/letters/{letter.pk}/").content.decode()
    assert sup.post(api, {"action": "accept"}, content_type="application/json").status_code == 200
    resp = client_for(dept_b_colleague).post(api, {"action": "close"}, content_type="application/json")
    assert resp.status_code == 403
    assert sup.post(api, {"action": "close"}, content_type="application/json").status_code == 200


def test_supervised_bureau_cannot_verify_a_finding_the_county_raised(world, client_for, dept_b_colleague):
    f = services.raise_finding(actor=world.supervisor, org=world.dept_b, category="procedure",
                               description="未告知听证权利", on=date(2025, 8, 20))
    assert f.issuer == world.supervision_office
    base = f"/api/v1/supervision/findings/{f.pk}/"
    assert client_for(world.dept_b_legal).post(base + "correct/", {"evidence": "已补正告知"},
                                               content_type="application/json").status_code == 200
    resp = client_for(dept_b_colleague).post(base + "verify/", {}, content_type="application/json")
    assert resp.status_code == 403
    f.refresh_from_db()
    assert f.state == FindingState.CORRECTED
    assert client_for(world.supervisor).post(base + "verify/", {}, content_type="application/json").status_code == 200


def test_internal_supervision_unit_supervises_inside_its_scope_but_issues_no_decision(world):
    # the market bureau's internal supervision unit raises and issues inside its own department
    f = services.raise_finding(actor=world.dept_a_legal, org=world.dept_a, category="document",
                               description="文书未载明救济途径", on=date(2025, 8, 20))
    assert f.issuer == world.dept_a_unit
    letter = services.issue_letter(actor=world.dept_a_legal, findings=[f], requirements="限期整改。", on=ON)
    assert letter.issuer == world.dept_a_unit
    # overdue: a 监督决定书 is for the county supervision office only
    with pytest.raises(PermissionDenied, match="只能由县行政执法监督办公室"):
        services.escalate_letter(actor=world.dept_a_legal, letter=letter, kind="correct", reasons="逾期未整改",
                                 requirements="限期纠正", on=date(2025, 10, 20))
    letter.refresh_from_db()
    assert letter.state == LetterState.RECTIFYING
    # the county office, whose scope contains the issuing unit, may
    decision = services.escalate_letter(actor=world.supervisor, letter=letter, kind="revoke", reasons="逾期未整改",
                                        requirements="撤销违法决定", on=date(2025, 10, 20))
    assert decision.issuer == world.supervision_office


def test_closing_an_accepted_letter_closes_its_findings(world):
    f1 = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="publicity", description="问题一",
                                on=date(2025, 8, 20))
    f2 = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure", description="问题二",
                                on=date(2025, 8, 20))
    letter = services.issue_letter(actor=world.supervisor, findings=[f1, f2], requirements="整改。", on=ON)
    services.submit_rectification(actor=world.dept_a_legal, letter=letter, content="两项均已整改", evidence="台账",
                                  on=date(2025, 9, 10))
    services.letter_transition(actor=world.supervisor, letter=letter, action="accept", on=date(2025, 9, 12))
    services.letter_transition(actor=world.supervisor, letter=letter, action="close", on=date(2025, 9, 12))
    for f in (f1, f2):
        f.refresh_from_db()
        assert (f.state, f.verified_by, f.corrected_on) == (FindingState.VERIFIED, world.supervisor, date(2025, 9, 10))
        (d,) = deadlines_for_owner(f)
        assert d.state == "met"
        assert AuditEvent.objects.filter(action="supervision.finding.verify", object_id=str(f.pk)).exists()
    from yifa.supervision.selectors import supervision_metrics

    m = supervision_metrics(org=world.dept_a, start=date(2025, 8, 1), end=date(2025, 9, 30))
    assert (m["findings"], m["findings_corrected"]) == (2, 2)
