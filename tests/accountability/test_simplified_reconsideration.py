"""A reconsideration heard under the simplified procedure (行政复议法 arts. 53, 54, 62 ¶2):
the respondent answers in 5 working days and the organ decides within 30 days; both are
tracked from registration, and closed by the answer and the decision. Dates cross 国庆 2026
(10-01…10-07 off, Saturday 10-10 a make-up working day)."""
from datetime import date

import pytest

from tests.clock import frozen
from yifa.accountability import services
from yifa.accountability.models import Reconsideration
from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError
from yifa.deadlines.selectors import deadlines_for_owner

pytestmark = pytest.mark.django_db


def _register(world, number="测复〔2026〕简1号", simplified=True, kind="reconsideration"):
    return services.register_challenge(actor=world.dept_a_legal, kind=kind, org=world.dept_a, case_number=number,
                                       claimant="张某", challenged_act="行政处罚决定", filed_on=date(2026, 9, 1),
                                       court_or_organ="测试县人民政府", served_on=date(2026, 9, 28),
                                       simplified=simplified)


def test_simplified_tracks_its_own_answer_and_decision_periods(world):
    rec = _register(world)
    got = {d.rule.code: d for d in deadlines_for_owner(rec)}
    assert set(got) == {"reconsideration.simple_answer", "reconsideration.simple_decision"}
    # 5 WD from 09-28: 09-29, 09-30, 10-08, 10-09 and the make-up Saturday 10-10
    assert got["reconsideration.simple_answer"].due == date(2026, 10, 10)
    # 30 CD from 09-01 end on 10-01 (国庆): rolled forward to 10-08
    assert got["reconsideration.simple_decision"].due == date(2026, 10, 8)
    assert AuditEvent.objects.filter(action="accountability.reconsideration.register",
                                     object_id=str(rec.pk)).latest("id").after["simplified"] is True


def test_the_answer_and_the_decision_close_them(world):
    rec = _register(world)
    with frozen(date(2026, 10, 12)):
        services.record_defence(actor=world.dept_a_legal, challenge=rec, on=date(2026, 10, 9))
        services.record_outcome(actor=world.dept_a_legal, challenge=Reconsideration.objects.get(pk=rec.pk),
                                outcome="upheld", on=date(2026, 10, 12))
    got = {d.rule.code: d.state for d in deadlines_for_owner(rec)}
    assert got == {"reconsideration.simple_answer": "met", "reconsideration.simple_decision": "missed"}


def test_ordinary_procedure_unchanged_and_litigation_refused(world):
    rec = _register(world, "测复〔2026〕普1号", simplified=False)
    assert {d.rule.code for d in deadlines_for_owner(rec)} == {"reconsideration.answer"}
    with pytest.raises(DomainError, match="只适用于行政复议"):
        _register(world, "（2026）测行初9号", kind="litigation")


def test_page_and_api(world, client_for):
    c = client_for(world.dept_a_legal)
    with frozen(date(2026, 9, 30)):
        assert "适用简易程序" in c.get("/accountability/reconsiderations/new/").content.decode()
        assert "适用简易程序" not in c.get("/accountability/litigations/new/").content.decode()
        resp = c.post("/accountability/reconsiderations/new/", {
            "org": world.dept_a.pk, "case_number": "测复〔2026〕简2号", "claimant": "李某", "challenged_act": "行政处罚决定",
            "court_or_organ": "测试县人民政府", "filed_on": "2026-09-01", "served_on": "2026-09-28", "simplified": "on"})
        assert resp.status_code == 302, resp.content.decode()[:1500]
        rec = Reconsideration.objects.get(case_number="测复〔2026〕简2号")
        page = c.get(f"/accountability/reconsiderations/{rec.pk}/").content.decode()
        assert rec.simplified and 'id="simplified"' in page and "简易程序审理的行政复议案件作出复议决定" in page
        resp = c.post("/api/v1/accountability/reconsiderations/", {
            "org": world.dept_a.pk, "case_number": "测复〔2026〕简3号", "claimant": "王某", "challenged_act": "行政处罚决定",
            "court_or_organ": "测试县人民政府", "filed_on": "2026-09-01", "simplified": True},
            content_type="application/json")
    assert resp.status_code == 201, resp.json()
    assert resp.json()["simplified"] is True
