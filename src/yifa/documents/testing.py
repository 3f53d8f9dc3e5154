"""Test support: the generic scoping walk calls `add_scoping_objects(world)`."""

import datetime
import json
from contextlib import contextmanager

B_TITLE = "北山镇测试公文"

# The world's two documents are the same in every test: render them once per process
# (the PDF engine needs ~0.5 s per document) and reuse the bytes.
_RENDERED: dict[tuple[str, str], bytes] = {}


def sample_content(*, issuer: str, title: str, **extra):
    from .content import Block, OfficialContent

    return OfficialContent(issuer=issuer, title=title, addressee="各村（社区）",
                           body=[Block("paragraph", "现将有关事项通知如下。")], signature=issuer,
                           date=extra.pop("date", datetime.date(2025, 6, 10)), **extra)


@contextmanager
def memoised_rendering():
    """Within the block, `services.render_docx/render_pdf` reuse earlier output for equal content."""
    from . import services

    originals = services.render_docx, services.render_pdf

    def memo(fmt, render):
        def rendered(content):
            key = (fmt, json.dumps(content.to_dict(), sort_keys=True, ensure_ascii=False))
            if key not in _RENDERED:
                _RENDERED[key] = render(content)
            return _RENDERED[key]
        return rendered

    services.render_docx, services.render_pdf = memo("docx", originals[0]), memo("pdf", originals[1])
    try:
        yield
    finally:
        services.render_docx, services.render_pdf = originals


def add_scoping_objects(w):
    """One issued document in each sibling township (a system issue)."""
    from .services import issue_document

    with memoised_rendering():
        w.document_a = issue_document(actor=None, org=w.town_a, doc_type="notice", owner=("tests.owner", "A-1"),
                                      content=sample_content(issuer="南湖镇人民政府", title="南湖镇测试公文"))
        w.document_b = issue_document(actor=None, org=w.town_b, doc_type="notice", owner=("tests.owner", "B-1"),
                                      content=sample_content(issuer="北山镇人民政府", title=B_TITLE))
    w["b_markers"] = set(w.get("b_markers", set())) | {B_TITLE}
