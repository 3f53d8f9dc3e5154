"""Two issues at the same time never get the same number (threads, real transactions)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from yifa.documents import services
from yifa.documents.models import IssuedDocument
from yifa.orgs.models import Organization

from .conftest import make_content


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_gapless_numbers(monkeypatch):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("in-memory shared-cache SQLite reports table locks instead of waiting; run on PostgreSQL "
                    "or a file-backed test database")
    monkeypatch.setattr(services, "render_docx", lambda c: c.doc_number.encode())
    monkeypatch.setattr(services, "render_pdf", lambda c: c.doc_number.encode())
    org = Organization.objects.create(name="并发测试局", code="T-CONC", kind="county", path="")
    org.path = org.segment()
    org.save(update_fields=["path"])
    errors, n_threads, per_thread = [], 6, 4
    barrier = threading.Barrier(n_threads)

    def worker():
        try:
            barrier.wait()
            for _ in range(per_thread):
                services.issue_document(actor=None, org=org, doc_type="notice", owner=("tests.owner", "1"),
                                        content=make_content(date=datetime.date(2026, 5, 6)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    serials = sorted(IssuedDocument.objects.filter(org=org).values_list("serial", flat=True))
    assert serials == list(range(1, n_threads * per_thread + 1))
