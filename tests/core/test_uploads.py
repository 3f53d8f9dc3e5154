"""The one upload validator (core.uploads) and control characters at the input boundary."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yifa.core.errors import DomainError
from yifa.core.text import clean_data, clean_text
from yifa.core.uploads import EVIDENCE, MEDIA, TABLES, check_upload, read_table

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x00" * 64
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def zip_bytes(*names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for n in names:
            z.writestr(n, "<x/>")
    return buf.getvalue()


def up(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("name,data,kinds", [
    ("扫描件.pdf", PDF, EVIDENCE), ("现场.PNG", PNG, EVIDENCE), ("现场.jpg", JPEG, EVIDENCE),
    ("整改.docx", zip_bytes("word/document.xml"), EVIDENCE), ("执法记录.mp4", MP4, MEDIA),
    ("cases.xlsx", zip_bytes("xl/workbook.xml"), TABLES), ("cases.csv", "名称,日期\n甲,2026-01-01\n".encode(), TABLES),
])
def test_files_whose_name_and_content_agree_are_accepted(name, data, kinds):
    checked = check_upload(up(name, data), kinds=kinds, max_bytes=1024 * 1024)
    assert checked.name == name and checked.size == len(data) and len(checked.sm3) == 64
    assert checked.content_type == checked.kind.content_type


@pytest.mark.parametrize("name,data,message", [
    ("x.exe", b"%PDF-1.7\n" + MZ, "不在允许范围内"),          # PDF header, named .exe
    ("x.pdf", MZ, "内容不是PDF"),                               # an executable named .pdf
    ("x.html", PNG, "不在允许范围内"),                          # a PNG named .html
    ("x.png", PNG[:16] + b"<html><script>alert(1)</script>", "网页代码"),
    ("x.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom<html><script>x</script>", "结构"),
    ("x.docx", zip_bytes("xl/workbook.xml"), "与扩展名不符"),    # a workbook named .docx
    ("x.docx", b"PK\x03\x04 not really a zip", "已损坏"),
    ("x", PDF, "没有扩展名"),
])
def test_files_whose_name_and_content_disagree_are_refused(name, data, message):
    kinds = EVIDENCE + MEDIA
    with pytest.raises(DomainError) as exc:
        check_upload(up(name, data), kinds=kinds, max_bytes=1024 * 1024, field="attachment")
    assert message in exc.value.message
    assert "attachment" in exc.value.fields


def test_size_and_emptiness_are_checked():
    with pytest.raises(DomainError, match="空文件"):
        check_upload(up("a.pdf", b""), kinds=EVIDENCE, max_bytes=100)
    with pytest.raises(DomainError, match="大小限制（1 KB）"):
        check_upload(up("a.pdf", PDF + b" " * 2048), kinds=EVIDENCE, max_bytes=1024)


def test_names_lose_directories_and_control_characters():
    checked = check_upload(up("../../etc/现场\x07.png", PNG), kinds=EVIDENCE, max_bytes=1024 * 1024)
    assert checked.name == "现场.png"


def test_a_binary_csv_is_refused():
    with pytest.raises(DomainError, match="二进制"):
        read_table(up("cases.csv", b"a,b\n\x00\x01,2\n"))


def test_read_table_cleans_every_cell():
    rows = read_table(up("t.csv", "名称,说明\n甲\x07乙,含\x1b控制符\n".encode()))
    assert rows == [{"名称": "甲乙", "说明": "含控制符"}]


def test_clean_text_keeps_tabs_and_newlines():
    assert clean_text("a\tb\r\nc\x00d\x7fe\x85f") == "a\tb\r\ncdef"
    assert clean_data({"k\x01": ["x\x02", {"y": "z\x03"}], "n": 1}) == {"k": ["x", {"y": "z"}], "n": 1}


@pytest.mark.parametrize("how", ["json", "api-form", "api-multipart", "page-form"])
def test_control_characters_are_removed_at_the_input_boundary(world, client_for, how):
    """A text posted with control characters — as JSON, as an API form, as an API multipart
    body, or through an HTML form — is stored without them (once, in core), so the export
    of it cannot fail."""
    from yifa.supervision.models import Finding

    c = client_for(world.supervisor)
    data = {"org": world.dept_b.pk, "category": "document", "source": "judicial",
            "description": "文书\x0b不规范\x01（\x1b[31m）", "on": "2025-08-05"}
    if how == "json":
        resp = c.post("/api/v1/supervision/findings/", data, content_type="application/json")
    elif how == "api-form":
        from urllib.parse import urlencode
        resp = c.post("/api/v1/supervision/findings/", urlencode(data),
                      content_type="application/x-www-form-urlencoded")
    elif how == "api-multipart":
        resp = c.post("/api/v1/supervision/findings/", data)
    else:
        resp = c.post("/supervision/findings/new/", data)
    assert resp.status_code in (201, 302), resp.content[:500]
    f = Finding.objects.get(org=world.dept_b, source="judicial")
    assert f.description == "文书不规范（[31m）"


def test_control_characters_in_the_query_string_are_removed(world, client_for):
    c = client_for(world.supervisor)
    resp = c.get("/supervision/findings/", {"q": "文书\x01"})
    assert resp.status_code == 200
    assert resp.wsgi_request.GET["q"] == "文书"
