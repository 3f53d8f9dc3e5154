"""Pages and API: scoped (404 outside scope), downloads verified against the stored SM3."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from yifa.audit.models import AuditEvent
from yifa.documents.models import IssuedDocument
from yifa.documents.testing import B_TITLE

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download_url(doc, fmt):
    return reverse("documents:download", args=[doc.pk, fmt])


@pytest.mark.parametrize("fmt, content_type, magic", [("docx", DOCX, b"PK"), ("pdf", "application/pdf", b"%PDF")])
def test_owner_downloads_verified_file(world, client_for, fmt, content_type, magic):
    doc = world.document_b
    resp = client_for(world.walker_b).get(download_url(doc, fmt))
    assert resp.status_code == 200
    assert resp["Content-Type"] == content_type
    body = b"".join(resp.streaming_content)
    assert body.startswith(magic) and body == doc.file_path(fmt).read_bytes()
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert quote(f"{doc.doc_number} {doc.title}.{fmt}") in disposition
    assert resp["X-Content-SM3"] == doc.file_info(fmt)[1]


def test_sibling_township_gets_404(world, client_for):
    a = client_for(world.walker_a)
    for fmt in ("docx", "pdf"):
        assert a.get(download_url(world.document_b, fmt)).status_code == 404
    assert a.get(reverse("documents:detail", args=[world.document_b.pk])).status_code == 404
    assert a.get(reverse("documents:void", args=[world.document_b.pk])).status_code == 404


def test_county_supervisor_sees_both(world, client_for):
    c = client_for(world.supervisor)
    assert c.get(download_url(world.document_a, "pdf")).status_code == 200
    assert c.get(download_url(world.document_b, "docx")).status_code == 200


def test_unknown_format_and_anonymous(world, client):
    assert client.get(download_url(world.document_a, "pdf")).status_code == 302  # to login
    client.force_login(world.walker_a)
    assert client.get(f"/documents/{world.document_a.pk}/exe/").status_code == 404


def test_tampered_file_is_refused_and_audited(world, client_for):
    doc = world.document_a
    path = doc.file_path("pdf")
    path.write_bytes(path.read_bytes() + b"\n% appended by an attacker")
    resp = client_for(world.walker_a).get(download_url(doc, "pdf"))
    assert resp.status_code == 409
    assert "校验失败" in resp.content.decode()
    assert "text/html" in resp["Content-Type"]
    event = AuditEvent.objects.get(action="document.integrity_failure", object_id=str(doc.pk))
    assert event.actor == world.walker_a and event.after == {"format": "pdf", "problem": "tampered"}
    # The other file is intact and still served.
    assert client_for(world.walker_a).get(download_url(doc, "docx")).status_code == 200


def test_missing_file_is_refused(world, client_for):
    world.document_a.file_path("docx").unlink()
    assert client_for(world.walker_a).get(download_url(world.document_a, "docx")).status_code == 409


def test_list_is_scoped_and_filterable(world, client_for):
    a = client_for(world.walker_a)
    body = a.get(reverse("documents:list")).content.decode()
    assert world.document_a.doc_number in body and B_TITLE not in body
    assert world.document_a.title in a.get(reverse("documents:list"), {"q": "南湖镇测试"}).content.decode()
    assert world.document_a.title not in a.get(reverse("documents:list"), {"q": "没有这个"}).content.decode()
    assert world.document_a.title in a.get(reverse("documents:list"), {"doc_type": "notice", "year": 2025}).content.decode()
    assert world.document_a.title not in a.get(reverse("documents:list"), {"year": 2024}).content.decode()
    assert B_TITLE in client_for(world.supervisor).get(reverse("documents:list")).content.decode()


def test_detail_shows_document_and_timeline(world, client_for):
    resp = client_for(world.walker_b).get(reverse("documents:detail", args=[world.document_b.pk]))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert world.document_b.doc_number in body and B_TITLE in body
    assert "印发公文" in body and "document.issue" not in body  # the audit timeline, in words
    assert download_url(world.document_b, "pdf") in body


def test_void_page(world, client_for):
    c = client_for(world.walker_a)
    url = reverse("documents:void", args=[world.document_a.pk])
    assert c.get(url).status_code == 200
    assert c.post(url, {"reason": ""}).status_code == 200  # form error, nothing changed
    resp = c.post(url, {"reason": "标题错误"})
    assert resp.status_code == 302
    world.document_a.refresh_from_db()
    assert world.document_a.status == "void" and world.document_a.void_reason == "标题错误"
    detail = c.get(reverse("documents:detail", args=[world.document_a.pk])).content.decode()
    assert "已作废" in detail and "标题错误" in detail


def test_api_list_is_scoped(world, client_for):
    resp = client_for(world.walker_a).get("/api/v1/documents/issued/")
    assert resp.status_code == 200
    rows = resp.json()["results"]
    assert [r["id"] for r in rows] == [world.document_a.pk]
    row = rows[0]
    assert row["org"] == world.town_a.pk and row["doc_number"] == world.document_a.doc_number
    assert row["doc_type"] == "notice" and row["title"] == world.document_a.title
    assert row["docx_url"].endswith(f"/api/v1/documents/issued/{world.document_a.pk}/docx/")
    assert row["pdf_url"].endswith(f"/api/v1/documents/issued/{world.document_a.pk}/pdf/")
    assert B_TITLE not in resp.content.decode()
    asked_for_b = client_for(world.walker_a).get("/api/v1/documents/issued/", {"org": world.town_b.pk})
    assert asked_for_b.status_code in (200, 400)
    if asked_for_b.status_code == 200:
        assert asked_for_b.json()["results"] == []
    both = client_for(world.supervisor).get("/api/v1/documents/issued/").json()["results"]
    assert {r["id"] for r in both} >= {world.document_a.pk, world.document_b.pk}


def test_api_detail_and_files(world, client_for):
    b, a = client_for(world.walker_b), client_for(world.walker_a)
    url = f"/api/v1/documents/issued/{world.document_b.pk}/"
    data = b.get(url).json()
    assert data["content"]["title"] == B_TITLE and data["content"]["doc_number"] == world.document_b.doc_number
    resp = a.get(url)
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    pdf = b.get(url + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert a.get(url + "pdf/").status_code == 404
    path = world.document_b.file_path("docx")
    path.write_bytes(b"PK tampered")
    tampered = b.get(url + "docx/")
    assert tampered.status_code == 409
    assert tampered.json()["code"] == "file_integrity"


def test_api_filters(world, client_for):
    c = client_for(world.supervisor)
    rows = c.get("/api/v1/documents/issued/", {"q": "北山镇测试"}).json()["results"]
    assert [r["id"] for r in rows] == [world.document_b.pk]
    assert c.get("/api/v1/documents/issued/", {"owner_type": "tests.owner", "owner_id": "A-1"}).json()["results"][0][
        "id"] == world.document_a.pk
    assert c.get("/api/v1/documents/issued/", {"doc_type": "nope"}).status_code == 400


def test_list_has_no_n_plus_one(world, client_for, django_assert_max_num_queries, fast_render):
    from yifa.documents import services
    from yifa.documents.testing import sample_content

    for i in range(5):
        services.issue_document(actor=None, org=world.town_a, doc_type="notice", owner=("tests.owner", str(i)),
                                content=sample_content(issuer="南湖镇人民政府", title=f"南湖镇公文{i}"))
    c = client_for(world.walker_a)
    c.get(reverse("documents:list"))  # warm caches (session, content types)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("documents:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get("/api/v1/documents/issued/").status_code == 200
    assert IssuedDocument.objects.visible_to(world.walker_a).count() == 6
