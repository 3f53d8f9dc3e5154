"""The 行政执法监督通知书 (first tier, 国务院令第825号) and evidence files on rectification
reports: own number series and document, same rectification flow, escalation to a 意见书
(not straight to a decision), and evidence files checked by content, stored all or nothing,
downloadable only within scope."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clock import frozen
from yifa.core.errors import DomainError
from yifa.supervision import services
from yifa.supervision.models import FindingState, LetterState, OpinionLetter, RectificationFile

pytestmark = pytest.mark.django_db
ON = date(2025, 9, 1)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def _finding(w, text="执法人员未出示执法证件"):
    return services.raise_finding(actor=w.supervisor, org=w.dept_a, category="procedure", description=text,
                                  on=date(2025, 8, 20))


def _notice(w, findings=None):
    return services.issue_letter(actor=w.supervisor, findings=findings or [_finding(w)], tier="notice",
                                 requirements="立即纠正，规范亮证执法。", on=ON)


def test_notice_has_its_own_number_series_and_document(world):
    notice = _notice(world)
    opinion = services.issue_letter(actor=world.supervisor, findings=[_finding(world, "文书未载明救济途径")],
                                    requirements="限期整改。", on=ON)
    assert notice.tier == "notice" and notice.get_tier_display() == "行政执法监督通知书"
    assert "监通" in notice.doc_number and notice.doc_number.endswith("〔2025〕1号")
    assert "监意" in opinion.doc_number and opinion.doc_number.endswith("〔2025〕1号")
    assert notice.document.doc_type == "supervision_notice_letter"
    assert "通知书" in notice.title and notice.due is not None


def test_notice_document_says_notice_and_what_follows(world):
    import zipfile

    notice = _notice(world)
    xml = zipfile.ZipFile(notice.document.file_path("docx")).read("word/document.xml").decode()
    assert "行政执法监督通知书" in xml and "将依照《行政执法监督条例》制发行政执法监督意见书" in xml


def test_notice_runs_the_same_rectification_flow(world):
    notice = _notice(world)
    notice = services.submit_rectification(actor=world.dept_a_legal, letter=notice, content="已纠正",
                                           evidence="整改照片两张", on=ON + timedelta(days=5))
    assert notice.state == LetterState.SUBMITTED
    # the supervised unit never accepts its own rectification
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.letter_transition(actor=world.dept_a_legal, letter=notice, action="accept")
    notice = services.letter_transition(actor=world.supervisor, letter=notice, action="accept")
    notice = services.letter_transition(actor=world.supervisor, letter=notice, action="close")
    assert notice.state == LetterState.CLOSED
    assert set(notice.findings.values_list("state", flat=True)) == {FindingState.VERIFIED}


def test_an_overdue_notice_escalates_to_an_opinion_letter_not_a_decision(world):
    notice = _notice(world)
    with frozen(notice.due + timedelta(days=1)):
        with pytest.raises(DomainError, match="先升级为行政执法监督意见书"):
            services.escalate_letter(actor=world.supervisor, letter=notice, kind="correct", reasons="逾期",
                                     requirements="纠正")
        opinion = services.escalate_notice(actor=world.supervisor, letter=notice, reasons="逾期未整改",
                                           requirements="限期十五日内整改到位。")
    notice.refresh_from_db()
    assert notice.state == LetterState.ESCALATED and notice.escalated_to == opinion
    assert opinion.tier == "opinion" and "监意" in opinion.doc_number
    assert list(opinion.findings.all()) == list(notice.findings.all())
    # escalating an opinion letter the same way is refused
    with pytest.raises(DomainError, match="只有行政执法监督通知书"):
        services.escalate_notice(actor=world.supervisor, letter=opinion, reasons="x", requirements="y")


def test_a_notice_in_time_cannot_be_escalated(world):
    notice = _notice(world)
    from yifa.core.errors import IllegalTransition
    with frozen(ON + timedelta(days=2)), pytest.raises((DomainError, IllegalTransition)):
        services.escalate_notice(actor=world.supervisor, letter=notice, reasons="x", requirements="y")
    assert not OpinionLetter.objects.filter(tier="opinion", org=world.dept_a).exists()


def test_evidence_files_are_stored_with_their_digest(world):
    notice = _notice(world)
    notice = services.submit_rectification(
        actor=world.dept_a_legal, letter=notice, content="已纠正", evidence="",
        files=[SimpleUploadedFile("亮证照片.png", PNG), SimpleUploadedFile("整改报告.pdf", PDF)], on=ON)
    report = notice.reports.get()
    names = sorted(report.files.values_list("original_name", "content_type"))
    assert names == [("亮证照片.png", "image/png"), ("整改报告.pdf", "application/pdf")]
    assert all(len(f.sm3) == 64 and f.org == world.dept_a for f in report.files.all())
    assert notice.state == LetterState.SUBMITTED  # files alone are evidence enough


def test_a_bad_evidence_file_stores_nothing(world, settings):
    notice = _notice(world)
    with pytest.raises(DomainError, match="内容不是PDF"):
        services.submit_rectification(
            actor=world.dept_a_legal, letter=notice, content="已纠正", evidence="见附件",
            files=[SimpleUploadedFile("照片.png", PNG), SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 exe")], on=ON)
    settings.YIFA_RECTIFICATION_MAX_UPLOAD_MB = 0
    with pytest.raises(DomainError, match="超过大小限制"):
        services.submit_rectification(actor=world.dept_a_legal, letter=notice, content="已纠正", evidence="",
                                      files=[SimpleUploadedFile("报告.pdf", PDF)], on=ON)
    with pytest.raises(DomainError, match="佐证材料"):
        services.submit_rectification(actor=world.dept_a_legal, letter=notice, content="已纠正", evidence=" ",
                                      files=[], on=ON)
    notice.refresh_from_db()
    assert notice.state == LetterState.RECTIFYING and not notice.reports.exists()
    assert not RectificationFile.objects.filter(org=world.dept_a).exists()
    assert not list((settings.MEDIA_ROOT / "supervision").rglob("*.png"))


def test_evidence_files_through_the_page_and_the_api_and_only_in_scope(world, client_for):
    notice = _notice(world)
    unit = client_for(world.dept_a_legal)
    resp = unit.post(f"/supervision/letters/{notice.pk}/op/submit/",
                     {"content": "已纠正", "evidence": "", "version": notice.version,
                      "files": [SimpleUploadedFile("照片.png", PNG)]})
    assert resp.status_code == 302
    rf = RectificationFile.objects.get(org=world.dept_a)
    page = client_for(world.supervisor).get(f"/supervision/letters/{notice.pk}/").content.decode()
    assert "照片.png" in page and f"/supervision/rectification-files/{rf.pk}/" in page and "行政执法监督通知书" in page
    resp = client_for(world.supervisor).get(f"/supervision/rectification-files/{rf.pk}/")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/png" and b"".join(resp.streaming_content) == PNG
    assert client_for(world.dept_b_legal).get(f"/supervision/rectification-files/{rf.pk}/").status_code == 404
    # API: reject, then resubmit with a file as multipart
    sup = client_for(world.supervisor)
    assert sup.post(f"/api/v1/supervision/letters/{notice.pk}/transitions/",
                    {"action": "reject", "reason": "照片不清晰"}, content_type="application/json").status_code == 200
    resp = unit.post(f"/api/v1/supervision/letters/{notice.pk}/report/",
                     {"content": "重新整改", "files": [SimpleUploadedFile("新照片.png", PNG)]})
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["tier"] == "notice" and body["tier_label"] == "行政执法监督通知书"
    assert body["reports"][-1]["files"][0]["original_name"] == "新照片.png"
    resp = unit.post(f"/api/v1/supervision/letters/{notice.pk}/report/",
                     {"content": "x", "files": [SimpleUploadedFile("x.html", PNG)]})
    assert resp.status_code in (400, 409)


def test_api_issues_a_notice_and_escalates_it(world, client_for):
    sup = client_for(world.supervisor)
    f = _finding(world)
    resp = sup.post("/api/v1/supervision/letters/", {"tier": "notice", "findings": [f.pk], "requirements": "纠正",
                                                     "on": "2025-09-01"}, content_type="application/json")
    assert resp.status_code == 201, resp.json()
    notice = resp.json()
    assert notice["tier"] == "notice" and "监通" in notice["doc_number"]
    letter = OpinionLetter.objects.get(pk=notice["id"])
    with frozen(letter.due + timedelta(days=1)):
        resp = sup.post(f"/api/v1/supervision/letters/{letter.pk}/escalate-to-opinion/",
                        {"reasons": "逾期未整改", "requirements": "限期整改"}, content_type="application/json")
    assert resp.status_code == 201, resp.json()
    assert resp.json()["tier"] == "opinion"
    # the supervised unit cannot escalate
    assert client_for(world.dept_a_legal).post(f"/api/v1/supervision/letters/{letter.pk}/escalate-to-opinion/",
                                               {"reasons": "x", "requirements": "y"},
                                               content_type="application/json").status_code in (403, 409)
