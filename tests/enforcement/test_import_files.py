"""Import templates (from the import's column definitions) and the downloadable error
report instead of thousands of error rows on screen."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from yifa.core.xlsx import XLSX
from yifa.enforcement import imports
from yifa.enforcement.models import Case

pytestmark = pytest.mark.django_db


def _book(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize("kind", ["cases", "officers", "items", "bodies"])
def test_template_has_the_import_headers_and_an_example(world, client_for, kind):
    wb = _book(client_for(world.officer_a).get(f"/enforcement/import/template/{kind}/"))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == [h for h, _req in imports.COLUMNS[kind].values()]
    assert len(rows) == 2 and any(rows[1])
    assert "填写说明" in wb.sheetnames


def test_filled_template_imports(world, client_for, lib):
    """The template's headers are what the import reads: the example row, filled in, goes in."""
    wb = _book(client_for(world.officer_a).get("/enforcement/import/template/cases/"))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    values = {"办案单位代码": "T-DA", "事项编码": "SCJG-001", "执法证号": "T-0001,T-0002"}
    for i, h in enumerate(headers):
        if h in values:
            ws.cell(row=2, column=i + 1, value=values[h])
    buf = io.BytesIO()
    wb.save(buf)
    batch = imports.import_file(actor=world.officer_a, kind="cases", source_system="excel",
                                upload=SimpleUploadedFile("t.xlsx", buf.getvalue()))
    assert batch.errors == [] and Case.objects.filter(source_case_no="XZCF-2026-0001").exists()


def test_unknown_template_is_404(world, client_for):
    assert client_for(world.officer_a).get("/enforcement/import/template/nope/").status_code == 404


def test_errors_shown_twenty_with_a_full_report(world, client_for, lib):
    rows = ["来源案号,办案单位代码,事项编码,案件类型,立案日期,案由,当事人"]
    rows += [f"E-{i},T-DA,NOPE,行政处罚,2026-08-03,案由{i},某人" for i in range(30)]
    upload = SimpleUploadedFile("bad.csv", "\n".join(rows).encode("utf-8"), content_type="text/csv")
    c = client_for(world.officer_a)
    page = c.post("/enforcement/import/", {"kind": "cases", "source_system": "excel", "file": upload}).content.decode()
    table = page[page.index('id="import-errors"'):page.index("</table>", page.index('id="import-errors"'))]
    assert table.count("<tr>") == 1 + 20  # header + the first 20
    assert "共 30 处错误" in page and 'id="import-errors-download"' in page
    from yifa.enforcement.models import ImportBatch

    batch = ImportBatch.objects.latest("id")
    report = list(_book(c.get(f"/enforcement/import/{batch.pk}/errors/")).active.iter_rows(values_only=True))
    assert report[0] == ("行号", "列", "错误说明") and len(report) == 31  # one line per error
    assert report[1][0] == 2 and report[1][1] == "事项编码" and report[1][2]
    # another unit's user does not get the report
    assert client_for(world.dept_b_legal).get(f"/enforcement/import/{batch.pk}/errors/").status_code == 404
