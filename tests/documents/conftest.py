import datetime

import pytest

from yifa.documents.content import Block, OfficialContent


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files go to a temporary MEDIA_ROOT (set before `world` issues its documents)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def media_root(_media_root):
    return _media_root


def make_content(**overrides) -> OfficialContent:
    data = dict(
        issuer="清河县司法局文件",
        title="关于《清河县城市管理办法（草案）》的合法性审查意见书",
        addressee="县城市管理局",
        body=[
            Block("paragraph", "你局报送的《清河县城市管理办法（草案）》收悉。经审查，现提出如下意见："),
            Block("heading1", "一、关于制定主体和权限"),
            Block("paragraph", "草案由县人民政府制定，符合《规章制定程序条例》的规定。"),
            Block("heading2", "（一）具体条款"),
            Block("list", items=["第三条“相关部门”表述不明确，建议列明。", "第五条设定罚款缺少上位法依据。"]),
            Block("table", rows=[["条款", "问题", "建议"], ["第三条", "表述不清", "列明部门"]]),
        ],
        signature="清河县司法局",
        date=datetime.date(2026, 11, 28),
        cc=["县人民政府办公室", "县人大常委会法工委"],
        attachments=["审查意见明细表", "相关法律依据"],
    )
    data.update(overrides)
    return OfficialContent(**data)


@pytest.fixture
def content():
    return make_content()


@pytest.fixture
def fast_render(monkeypatch):
    """For tests about numbering, scoping and files rather than layout: skip the slow PDF engine."""
    from yifa.documents import services

    monkeypatch.setattr(services, "render_docx", lambda c: f"PK fake docx {c.doc_number}".encode())
    monkeypatch.setattr(services, "render_pdf", lambda c: f"%PDF fake {c.doc_number}".encode())
