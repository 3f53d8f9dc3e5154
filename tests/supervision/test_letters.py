"""Opinion letters: issued from findings (numbered docx/pdf, deadline, notification), the
unit's rectification report (refused without evidence), accept/reject with reasons,
resubmission, and no closing without an accepted rectification."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from yifa.core.errors import DomainError
from yifa.core.models import Notification
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.supervision import services
from yifa.supervision.models import LetterState, OpinionLetter

pytestmark = pytest.mark.django_db
ON = date(2025, 9, 1)


def _finding(w, org=None, text="未按规定公示行政处罚决定"):
    return services.raise_finding(actor=w.supervisor, org=org or w.dept_a, category="publicity", description=text,
                                  on=date(2025, 8, 20))


def _letter(w, findings=None):
    findings = findings or [_finding(w), _finding(w, text="执法文书未载明救济途径")]
    return services.issue_letter(actor=w.supervisor, findings=findings, requirements="立即整改并建立长效机制。", on=ON)


def test_issue_letter_numbers_deadline_notification(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = _letter(world)
    assert letter.org == world.dept_a and letter.issuer == world.supervision_office
    assert letter.doc_number and "监意" in letter.doc_number and letter.document.doc_type == "supervision_opinion_letter"
    (d,) = deadlines_for_owner(letter)
    assert d.rule.code == "supervision.rectification" and letter.due == d.due and d.org == world.dept_a
    assert Notification.objects.filter(recipient=world.dept_a_legal, dedupe_key=f"supervision.letter.{letter.pk}.issued"
                                       ).exists()
    assert not Notification.objects.filter(recipient=world.dept_b_legal).exists()


def test_issue_letter_validation(world):
    with pytest.raises(DomainError, match="至少"):
        services.issue_letter(actor=world.supervisor, findings=[], requirements="x", on=ON)
    with pytest.raises(DomainError, match="一个被监督单位"):
        services.issue_letter(actor=world.supervisor, findings=[_finding(world), _finding(world, world.dept_b)],
                              requirements="x", on=ON)
    with pytest.raises(DomainError, match="整改要求"):
        services.issue_letter(actor=world.supervisor, findings=[_finding(world)], requirements=" ", on=ON)
    with pytest.raises(PermissionDenied):
        services.issue_letter(actor=world.officer_a, findings=[_finding(world)], requirements="x", on=ON)
    assert not OpinionLetter.objects.filter(org=world.dept_a).exists()


def test_rectification_cycle(world):
    letter = _letter(world)
    with pytest.raises(DomainError, match="佐证"):
        services.submit_rectification(actor=world.dept_a_legal, letter=letter, content="已整改", evidence=" ",
                                      on=date(2025, 9, 10))
    with pytest.raises(DomainError, match="不能执行|办结"):
        services.letter_transition(actor=world.supervisor, letter=letter, action="close")
    letter = services.submit_rectification(actor=world.dept_a_legal, letter=letter, content="已补正公示",
                                           evidence="公示网页截图；整改台账", on=date(2025, 9, 10))
    assert letter.state == LetterState.SUBMITTED
    with pytest.raises(DomainError, match="理由"):
        services.letter_transition(actor=world.supervisor, letter=letter, action="reject", reason="")
    letter = services.letter_transition(actor=world.supervisor, letter=letter, action="reject",
                                        reason="未建立长效机制", on=date(2025, 9, 12))
    assert letter.state == LetterState.RECTIFYING
    r1 = letter.reports.get(round=1)
    assert r1.result == "rejected" and r1.review_reason == "未建立长效机制"
    letter = services.submit_rectification(actor=world.dept_a_legal, letter=letter, content="已建立公示复核制度",
                                           evidence="制度文件", on=date(2025, 9, 20))
    # the supervised unit cannot accept its own rectification: only the issuing side can
    with pytest.raises(PermissionDenied, match="被监督单位不能自行认可"):
        services.letter_transition(actor=world.dept_a_legal, letter=letter, action="accept")
    letter = services.letter_transition(actor=world.supervisor, letter=letter, action="accept", on=date(2025, 9, 22))
    assert letter.state == LetterState.ACCEPTED and letter.reports.get(round=2).result == "accepted"
    (d,) = deadlines_for_owner(letter)
    assert d.state == "met"
    letter = services.letter_transition(actor=world.supervisor, letter=letter, action="close")
    assert letter.state == LetterState.CLOSED


def test_pages_api_and_scope(world, client_for):
    f1, f2 = _finding(world), _finding(world, text="听证告知书缺失")
    sup = client_for(world.supervisor)
    assert sup.get(f"/supervision/letters/new/?finding={f1.pk}").status_code == 200
    resp = sup.post("/supervision/letters/new/", {"findings": [f1.pk, f2.pk], "requirements": "限期整改",
                                                  "on": "2025-09-01"})
    assert resp.status_code == 302, resp.content.decode()[:3000]
    letter = OpinionLetter.objects.get(org=world.dept_a)
    unit = client_for(world.dept_a_legal)
    page = unit.get(f"/supervision/letters/{letter.pk}/").content.decode()
    assert letter.doc_number in page and "听证告知书缺失" in page
    docx = unit.get(f"/supervision/letters/{letter.pk}/download/docx/")
    assert docx.status_code == 200
    data = b"".join(docx.streaming_content) if docx.streaming else docx.content
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "听证告知书缺失" in xml
    other = client_for(world.dept_b_legal)
    assert other.get(f"/supervision/letters/{letter.pk}/").status_code == 404
    assert other.get(f"/api/v1/supervision/letters/{letter.pk}/").status_code == 404
    assert world.dept_a.name not in other.get("/supervision/letters/").content.decode()
    # API: report without evidence refused; generic transition cannot skip the report
    api = f"/api/v1/supervision/letters/{letter.pk}/"
    assert unit.post(api + "report/", {"content": "已整改"}, content_type="application/json").status_code == 400
    resp = unit.post(api + "transitions/", {"action": "submit"}, content_type="application/json")
    assert resp.status_code == 409
    resp = unit.post(api + "report/", {"content": "已整改", "evidence": "整改台账", "on": "2025-09-10"},
                     content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "submitted"
    resp = sup.post(api + "transitions/", {"action": "close"}, content_type="application/json")
    assert resp.status_code == 409
    resp = sup.post(api + "transitions/", {"action": "reject"}, content_type="application/json")
    assert resp.status_code == 400
    resp = sup.post(api + "transitions/", {"action": "accept", "reason": "整改到位", "on": "2025-09-12"},
                    content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "accepted"
    assert resp.json()["reports"][0]["review_reason"] == "整改到位"
    resp = sup.post(api + "transitions/", {"action": "close"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "closed"
    # API create
    f3 = _finding(world, text="API问题")
    resp = sup.post("/api/v1/supervision/letters/", {"findings": [f3.pk], "requirements": "整改", "on": "2025-09-02"},
                    content_type="application/json")
    assert resp.status_code == 201 and resp.json()["org"] == world.dept_a.pk and resp.json()["id"]
    assert other.post("/api/v1/supervision/letters/", {"findings": [f3.pk], "requirements": "整改"},
                      content_type="application/json").status_code == 400


def test_tampered_letter_file_is_refused_and_audited(world, client_for):
    from yifa.audit.models import AuditEvent

    letter = _letter(world)
    path = letter.document.file_path("docx")
    path.write_bytes(path.read_bytes() + b"tampered")
    resp = client_for(world.dept_a_legal).get(f"/supervision/letters/{letter.pk}/download/docx/")
    assert resp.status_code == 409 and "校验失败" in resp.content.decode()
    assert AuditEvent.objects.filter(action="document.integrity_failure", object_id=str(letter.document.pk)).exists()
