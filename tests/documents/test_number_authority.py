"""The documents app is the only place a 文号 is made: registered (paper) documents share
the sequence with issued ones, records never hold a number of their own, and
`yifa documents check-numbers` finds what bypassed it."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction

from yifa.core.errors import DomainError
from yifa.documents import selectors, services
from yifa.documents.models import IssuedDocument

from .conftest import make_content

DAY = datetime.date(2026, 3, 2)


def _letter(world, **kw):
    from yifa.supervision.models import OpinionLetter

    return OpinionLetter.objects.create(org=world.dept_a, issuer=world.supervision_office, title="测试意见书",
                                        requirements="整改", issued_on=DAY, **kw)


def test_registered_and_issued_documents_share_one_sequence(world, fast_render):
    owner = ("tests.owner", "1")
    paper = services.register_document(actor=None, org=world.justice, doc_type="notice", owner=owner,
                                       title="纸质通报", date=DAY)
    issued = services.issue_document(actor=world.admin, org=world.justice, doc_type="notice", owner=owner,
                                     content=make_content(date=DAY))
    paper2 = services.register_document(actor=None, org=world.justice, doc_type="notice", owner=owner,
                                        title="纸质通报二", date=DAY)
    assert [paper.serial, issued.serial, paper2.serial] == [1, 2, 3]
    assert paper.doc_number == "测试县司法局通〔2026〕1号" and issued.doc_number == "测试县司法局通〔2026〕2号"
    assert not paper.has_files and issued.has_files
    assert services.next_number_preview(org=world.justice, doc_type="notice", year=2026) == "测试县司法局通〔2026〕4号"


def test_registered_document_has_no_files_to_serve(world, fast_render, client_for):
    doc = services.register_document(actor=None, org=world.justice, doc_type="notice", owner=("tests.owner", "1"),
                                     title="纸质通报", date=DAY)
    c = client_for(world.admin)
    page = c.get(f"/documents/{doc.pk}/").content.decode()
    assert "仅登记文号" in page and "download-docx" not in page
    assert c.get(f"/documents/{doc.pk}/pdf/").status_code == 404
    r = c.get(f"/api/v1/documents/issued/{doc.pk}/pdf/")
    assert r.status_code == 404 and "没有电子文件" in r.json()["message"]
    # the file check does not report the missing files of a registered document
    assert selectors.check_files().ok


def test_register_document_refuses_incomplete_input(world):
    before = IssuedDocument.objects.count()
    with pytest.raises(DomainError) as exc:
        services.register_document(actor=None, org=world.justice, doc_type="nope", owner=("t", "1"), title="",
                                   date=None)
    assert "未知的文种" in str(exc.value.message) and "标题" in str(exc.value.message)
    assert IssuedDocument.objects.count() == before


def test_database_refuses_a_number_without_its_document(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        _letter(world, doc_number="自编监意〔2026〕1号")


def test_database_refuses_a_duplicate_number_per_unit(world, fast_render):
    doc = services.register_document(actor=None, org=world.justice, doc_type="notice", owner=("t", "1"),
                                     title="通报", date=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(org=world.justice, doc_type="annual_report", doc_number=doc.doc_number,
                                      year=2026, serial=1, title="x", owner_type="t", owner_id="2", content={})


def test_check_numbers_reports_copies_that_differ(world, fast_render):
    doc = services.register_document(actor=None, org=world.supervision_office, doc_type="supervision_opinion_letter",
                                     owner=("t", "1"), title="意见书", date=DAY)
    letter = _letter(world, document=doc, doc_number=doc.doc_number)
    assert selectors.check_numbers().ok
    call_command("documents", "check-numbers")
    type(letter).objects.filter(pk=letter.pk).update(doc_number="自编监意〔2026〕9号")
    result = selectors.check_numbers()
    assert not result.ok and "自编监意〔2026〕9号" in result.mismatched[0]
    with pytest.raises(CommandError, match="1 个文号与公文不一致"):
        call_command("documents", "check-numbers")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
def test_eight_simultaneous_issues_get_eight_consecutive_numbers(monkeypatch):
    """8 threads issue the same type for one unit at once, with no sequence row yet (the
    first-creation race): 8 distinct, consecutive numbers."""
    from yifa.orgs.models import Organization

    monkeypatch.setattr(services, "render_docx", lambda c: c.doc_number.encode())
    monkeypatch.setattr(services, "render_pdf", lambda c: c.doc_number.encode())
    org = Organization.objects.create(name="八线程测试局", code="T-8", kind="county", path="")
    org.path = org.segment()
    org.save(update_fields=["path"])
    barrier, errors = threading.Barrier(8), []

    def worker(i):
        try:
            barrier.wait()
            if i % 2:
                services.register_document(actor=None, org=org, doc_type="notice", owner=("t", str(i)),
                                           title=f"登记{i}", date=DAY)
            else:
                services.issue_document(actor=None, org=org, doc_type="notice", owner=("t", str(i)),
                                        content=make_content(date=DAY))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    numbers = list(IssuedDocument.objects.filter(org=org).order_by("serial").values_list("serial", "doc_number"))
    assert [s for s, _ in numbers] == list(range(1, 9))
    assert len({n for _, n in numbers}) == 8
