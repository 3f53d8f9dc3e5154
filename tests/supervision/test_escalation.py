"""Escalation of an overdue or rejected letter to a 行政执法监督决定书; to-dos for the unit
and the supervisor."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.core.models import Notification
from yifa.core.todos import todos_for
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.supervision import services
from yifa.supervision.models import DecisionState, LetterState, SupervisionDecision

pytestmark = pytest.mark.django_db
ON = date(2025, 9, 1)


def _letter(w, org=None):
    f = services.raise_finding(actor=w.supervisor, org=org or w.dept_a, category="procedure",
                               description="未按规定告知陈述申辩权利", on=date(2025, 8, 20))
    return services.issue_letter(actor=w.supervisor, findings=[f], requirements="限期整改。", on=ON)


def _escalate(w, letter, on=date(2025, 10, 15), **kw):
    data = dict(kind="correct", reasons="逾期未整改", requirements="责令于三十日内纠正违法行为并报告。", on=on)
    data.update(kw)
    return services.escalate_letter(actor=w.supervisor, letter=letter, **data)


def test_overdue_letter_escalates(world, django_capture_on_commit_callbacks):
    letter = _letter(world)
    assert letter.due == date(2025, 10, 9)  # 30 days, rolled past the National Day holiday
    with pytest.raises(DomainError, match="整改逾期"):  # not yet overdue, nothing rejected
        _escalate(world, letter, on=date(2025, 9, 20))
    assert not SupervisionDecision.objects.filter(letter=letter).exists()
    with django_capture_on_commit_callbacks(execute=True):
        dec = _escalate(world, letter)
    letter.refresh_from_db()
    assert letter.state == LetterState.ESCALATED and dec.letter == letter and dec.org == world.dept_a
    assert dec.doc_number and "监决" in dec.doc_number and dec.document.doc_type == "supervision_decision"
    with open(dec.document.file_path("docx"), "rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as z:
        xml = z.read("word/document.xml").decode()
    assert "行政执法监督决定书" in xml and "责令于三十日内纠正" in xml
    (d,) = deadlines_for_owner(dec)
    assert d.rule.code == "supervision.rectification" and dec.due == d.due
    letter_deadline = deadlines_for_owner(letter).get()
    assert letter_deadline.state in ("met", "missed")  # stopped by the escalation
    assert Notification.objects.filter(recipient=world.dept_a_legal,
                                       dedupe_key=f"supervision.decision.{dec.pk}.issued").exists()
    with pytest.raises(IllegalTransition):
        _escalate(world, letter)  # once only
    dec = services.fulfil_decision(actor=world.supervisor, decision=dec, fulfilment="已撤销原处罚决定并重新作出。",
                                   on=date(2025, 11, 1))
    assert dec.state == DecisionState.FULFILLED
    assert deadlines_for_owner(dec).get().state == "met"


def test_rejected_letter_escalates_and_validation(world):
    letter = _letter(world)
    services.submit_rectification(actor=world.dept_a_legal, letter=letter, content="已整改", evidence="材料",
                                  on=date(2025, 9, 10))
    services.letter_transition(actor=world.supervisor, letter=letter, action="reject", reason="佐证不足",
                               on=date(2025, 9, 12))
    letter.refresh_from_db()
    assert services.letter_escalable_reason(letter, date(2025, 9, 13)).startswith("第 1 轮")
    with pytest.raises(DomainError, match="决定类型"):
        _escalate(world, letter, kind="nope")
    with pytest.raises(DomainError, match="决定事项"):
        _escalate(world, letter, requirements=" ")
    with pytest.raises(PermissionDenied):
        services.escalate_letter(actor=world.dept_b_legal, letter=letter, kind="correct", reasons="x",
                                 requirements="y", on=date(2025, 9, 13))
    with pytest.raises(StaleVersion):
        _escalate(world, letter, on=date(2025, 9, 13), expected_version=letter.version - 1)
    with pytest.raises(DomainError, match="升级"):  # the generic transition refuses escalate
        services.letter_transition(actor=world.supervisor, letter=letter, action="escalate", reason="x")
    letter.refresh_from_db()  # every refusal above left nothing half-written
    assert letter.state == LetterState.RECTIFYING and not SupervisionDecision.objects.filter(letter=letter).exists()
    dec = _escalate(world, letter, on=date(2025, 9, 13))
    assert dec.kind == "correct"


def test_todos(world):
    letter = _letter(world)
    unit = [t.title for t in todos_for(world.dept_a_legal)]
    assert any(letter.doc_number in t and "整改" in t for t in unit)
    assert not any(letter.doc_number in t.title for t in todos_for(world.dept_b_legal))
    assert not any("审核整改报告" in t.title for t in todos_for(world.supervisor))
    services.submit_rectification(actor=world.dept_a_legal, letter=letter, content="已整改", evidence="材料",
                                  on=date(2025, 9, 10))
    assert any("审核整改报告" in t.title and letter.doc_number in t.title for t in todos_for(world.supervisor))
    assert not any(letter.doc_number in t.title for t in todos_for(world.dept_a_legal))
    # the unit's own internal supervisor does not get the review to-do for its own department's letter
    assert not any("审核整改报告" in t.title for t in todos_for(world.dept_a_legal))
    other = _letter(world, org=world.dept_b)
    dec = _escalate(world, other)
    assert any(dec.doc_number in t.title for t in todos_for(world.dept_b_legal))


def test_pages_and_api(world, client_for):
    letter = _letter(world)
    c = client_for(world.supervisor)
    with_override = c.get(f"/supervision/letters/{letter.pk}/").content.decode()
    assert "escalate-form" not in with_override or "已届满" in with_override
    resp = c.post(f"/api/v1/supervision/letters/{letter.pk}/escalate/",
                  {"kind": "correct", "reasons": "逾期", "requirements": "纠正", "on": "2025-10-15",
                   "version": letter.version}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    dec_id = resp.json()["id"]
    assert resp.json()["doc_number"]
    assert c.post(f"/api/v1/supervision/letters/{letter.pk}/escalate/",
                  {"kind": "correct", "reasons": "逾期", "requirements": "纠正", "on": "2025-10-15"},
                  content_type="application/json").status_code == 409
    page = c.get(f"/supervision/decisions/{dec_id}/").content.decode()
    assert "行政执法监督决定书" in page and resp.json()["doc_number"] in page
    assert c.get(f"/supervision/decisions/{dec_id}/download/docx/").status_code == 200
    assert resp.json()["doc_number"] in c.get("/supervision/decisions/").content.decode()
    r = c.post(f"/api/v1/supervision/decisions/{dec_id}/fulfil/", {"fulfilment": ""}, content_type="application/json")
    assert r.status_code == 400
    r = c.post(f"/api/v1/supervision/decisions/{dec_id}/fulfil/", {"fulfilment": "已纠正", "on": "2025-11-01"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "fulfilled"
    b = client_for(world.dept_b_legal)
    assert b.get(f"/supervision/decisions/{dec_id}/").status_code == 404
    assert b.get(f"/api/v1/supervision/decisions/{dec_id}/").status_code == 404
    assert b.post(f"/api/v1/supervision/letters/{letter.pk}/escalate/", {}, content_type="application/json"
                  ).status_code == 404


def test_control_characters_refused_by_services_removed_at_the_boundary(world, client_for):
    f = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure",
                               description="控制字符测试问题", on=date(2025, 8, 20))
    with pytest.raises(DomainError, match="控制字符"):
        services.issue_letter(actor=world.supervisor, findings=[f], requirements="整改\x0b要求", on=ON)
    assert not f.letters.exists()
    c = client_for(world.supervisor)
    r = c.post("/api/v1/supervision/letters/", {"findings": [f.pk], "requirements": "ok", "title": "标题\x01",
                                                "on": "2025-09-01"}, content_type="application/json")
    # at the input boundary control characters are removed once, in core (the service above
    # still refuses them from any other caller)
    assert r.status_code == 201 and r.json()["title"] == "标题"
    letter = _letter(world)
    resp = c.post(f"/supervision/letters/{letter.pk}/op/escalate/",
                  {"kind": "correct", "reasons": "x\x07", "requirements": "y", "version": letter.version})
    assert resp.status_code == 302
    assert SupervisionDecision.objects.get(letter=letter).reasons == "x"  # cleaned at the boundary, not refused
    assert c.post("/supervision/decisions/999999/op/fulfil/", {"fulfilment": "x"}).status_code == 404
