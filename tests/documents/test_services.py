"""issue_document / void_document: all or nothing, files with SM3, audited."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yifa.audit.hashing import sm3_hex
from yifa.audit.models import AuditEvent
from yifa.audit.services import verify_chain
from yifa.core.errors import DomainError
from yifa.documents import services
from yifa.documents.content import OfficialContent
from yifa.documents.models import DocumentSequence, IssuedDocument

from tests.conftest import make_user
from yifa.orgs.models import Role

from .conftest import make_content


def files_under(root: Path):
    return sorted(p for p in (root / "documents").rglob("*") if p.is_file()) if (root / "documents").exists() else []


def test_issue_writes_both_files_with_sm3_and_audits(world, media_root):
    content = make_content()
    before_files = files_under(media_root)
    doc = services.issue_document(actor=world.admin, org=world.justice, doc_type="review_opinion_letter",
                                  owner=world.dept_a, content=content)
    assert doc.doc_number == "测试县司法局审〔2026〕1号"
    assert content.doc_number == doc.doc_number  # written back to the caller's content
    assert doc.created_by == world.admin and doc.status == "issued" and doc.version == 1
    assert (doc.owner_type, doc.owner_id) == ("orgs.organization", str(world.dept_a.pk))
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        path = doc.file_path(fmt)
        assert path.is_file() and path.is_relative_to(media_root / "documents" / "2026")
        data = path.read_bytes()
        assert data.startswith(magic)
        assert sm3_hex(data) == doc.file_info(fmt)[1]
    assert len(files_under(media_root)) == len(before_files) + 2
    stored = OfficialContent.from_dict(doc.content)
    assert stored.doc_number == doc.doc_number and stored.date == datetime.date(2026, 11, 28)
    event = AuditEvent.objects.get(action="document.issue", object_type="documents.issueddocument",
                                   object_id=str(doc.pk))
    assert event.actor == world.admin and event.org == world.justice
    assert event.after["owner_type"] == "orgs.organization" and event.after["doc_number"] == doc.doc_number
    # The owner's timeline shows the document too.
    assert AuditEvent.objects.filter(action="document.issue", object_type="orgs.organization",
                                     object_id=str(world.dept_a.pk)).exists()
    assert verify_chain().ok


def test_date_defaults_to_today_in_shanghai(world):
    doc = services.issue_document(actor=None, org=world.justice, doc_type="notice", owner=("x.y", "1"),
                                  content=make_content(date=None))
    today = timezone.localdate()
    assert doc.content["date"] == today.isoformat() and doc.year == today.year
    assert doc.created_by is None


def test_render_failure_leaves_nothing(world, media_root, monkeypatch):
    files_before = files_under(media_root)
    events_before = AuditEvent.objects.count()

    def boom(content):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(services, "render_pdf", boom)
    with pytest.raises(RuntimeError):
        services.issue_document(actor=world.admin, org=world.justice, doc_type="review_opinion_letter",
                                owner=("review.reviewitem", "9"), content=make_content())
    assert not IssuedDocument.objects.filter(org=world.justice).exists()
    assert not DocumentSequence.objects.filter(org=world.justice).exists()
    assert AuditEvent.objects.count() == events_before
    assert files_under(media_root) == files_before
    monkeypatch.undo()
    doc = services.issue_document(actor=world.admin, org=world.justice, doc_type="review_opinion_letter",
                                  owner=("review.reviewitem", "9"), content=make_content())
    assert doc.serial == 1  # the failed attempt consumed no number


def test_failure_after_files_are_written_removes_them(world, media_root, monkeypatch):
    files_before = files_under(media_root)

    def audit_fails(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", audit_fails)
    with pytest.raises(RuntimeError):
        services.issue_document(actor=world.admin, org=world.justice, doc_type="notice", owner=("x.y", "1"),
                                content=make_content())
    assert files_under(media_root) == files_before
    assert not IssuedDocument.objects.filter(org=world.justice).exists()


def test_invalid_content_is_a_domain_error_with_fields(world):
    with pytest.raises(DomainError) as exc:
        services.issue_document(actor=world.admin, org=world.justice, doc_type="notice", owner=("x.y", "1"),
                                content=make_content(title="", body=[]))
    assert set(exc.value.fields) == {"title", "body"}
    with pytest.raises(DomainError):
        services.issue_document(actor=world.admin, org=world.justice, doc_type="notice", owner=None,
                                content=make_content())


def test_void_requires_reason_and_is_audited(world):
    doc = world.document_a
    with pytest.raises(DomainError):
        services.void_document(actor=world.admin, document=doc, reason="  ")
    services.void_document(actor=world.admin, document=doc, reason="文号错误")
    doc.refresh_from_db()
    assert doc.status == "void" and doc.void_reason == "文号错误" and doc.voided_by == world.admin
    assert doc.version == 2
    event = AuditEvent.objects.get(action="document.void", object_id=str(doc.pk))
    assert event.reason == "文号错误" and event.before == {"status": "issued"}
    with pytest.raises(DomainError):
        services.void_document(actor=world.admin, document=doc, reason="再次作废")


def test_void_outside_scope_or_without_role_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.void_document(actor=world.walker_a, document=world.document_b, reason="越权")
    officer = make_user("t_doc_officer", world.town_a, [Role.OFFICER], "南湖执法员")
    with pytest.raises(PermissionDenied, match="没有作废公文的权限"):
        services.void_document(actor=officer, document=world.document_a, reason="无权")
    world.document_b.refresh_from_db()
    assert world.document_b.status == "issued"


def test_stale_void_is_refused(world):
    stale = IssuedDocument.objects.get(pk=world.document_a.pk)
    IssuedDocument.objects.filter(pk=stale.pk).update(version=5)
    from yifa.core.errors import StaleVersion

    with pytest.raises(StaleVersion):
        services.void_document(actor=world.admin, document=stale, reason="x")


def test_set_prefix_requires_admin(world):
    with pytest.raises(PermissionDenied):
        services.set_number_prefix(actor=world.supervisor, org=world.justice, doc_type="notice", prefix="X")
    with pytest.raises(DomainError):
        services.set_number_prefix(actor=world.admin, org=world.justice, doc_type="nope", prefix="X")
    obj = services.set_number_prefix(actor=world.admin, org=world.justice, doc_type="notice", prefix="测司通")
    assert AuditEvent.objects.filter(action="document.prefix_set", object_id=str(obj.pk)).exists()
