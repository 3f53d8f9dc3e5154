"""Test support: the generic scoping walk calls `add_scoping_objects(world)`."""

import datetime

B_TITLE = "北山镇测试公文"


def sample_content(*, issuer: str, title: str, **extra):
    from .content import Block, OfficialContent

    return OfficialContent(issuer=issuer, title=title, addressee="各村（社区）",
                           body=[Block("paragraph", "现将有关事项通知如下。")], signature=issuer,
                           date=extra.pop("date", datetime.date(2025, 6, 10)), **extra)


def add_scoping_objects(w):
    """One issued document in each sibling township (a system issue)."""
    from .services import issue_document

    w.document_a = issue_document(actor=None, org=w.town_a, doc_type="notice", owner=("tests.owner", "A-1"),
                                  content=sample_content(issuer="南湖镇人民政府", title="南湖镇测试公文"))
    w.document_b = issue_document(actor=None, org=w.town_b, doc_type="notice", owner=("tests.owner", "B-1"),
                                  content=sample_content(issuer="北山镇人民政府", title=B_TITLE))
    w["b_markers"] = set(w.get("b_markers", set())) | {B_TITLE}
