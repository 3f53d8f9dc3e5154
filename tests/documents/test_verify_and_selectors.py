import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.urls import reverse

from yifa.documents import selectors, services

from .conftest import make_content


def test_verify_command_reports_tampering_and_orphans(world, media_root, capsys):
    call_command("documents", "verify")
    assert "公文文件完整" in capsys.readouterr().out
    orphan = media_root / "documents" / "2025" / "orphan.pdf"
    orphan.write_bytes(b"%PDF left behind")
    world.document_b.file_path("docx").write_bytes(b"changed")
    with pytest.raises(CommandError, match="1 个公文文件"):
        call_command("documents", "verify", "--orphans")
    captured = capsys.readouterr()
    assert "documents/2025/orphan.pdf" in captured.out
    assert world.document_b.doc_number in captured.err


def test_documents_of_owner_is_scoped(world, fast_render):
    doc = services.issue_document(actor=None, org=world.town_b, doc_type="notice", owner=world.town_b_office,
                                  content=make_content())
    assert list(selectors.documents_of(world.town_b_office)) == [doc]
    assert list(selectors.documents_of(world.town_b_office, user=world.walker_b)) == [doc]
    assert list(selectors.documents_of(world.town_b_office, user=world.walker_a)) == []
    html = render_to_string("documents/_owner_documents.html", {"documents": [doc]})
    assert doc.doc_number in html and reverse("documents:download", args=[doc.pk, "pdf"]) in html


def test_owner_link_only_when_visible(world, fast_render):
    doc = services.issue_document(actor=None, org=world.town_b, doc_type="notice", owner=world.town_b_office,
                                  content=make_content())
    assert selectors.owner_of(doc, world.walker_a) is None
    label, url = selectors.owner_of(doc, world.walker_b) or (None, None)
    if hasattr(world.town_b_office, "get_absolute_url"):
        assert label == world.town_b_office.name and url == world.town_b_office.get_absolute_url()
    assert selectors.owner_of(world.document_b, world.walker_b) is None  # ("tests.owner", …): no such model
