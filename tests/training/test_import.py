import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from yifa.core.errors import DomainError
from yifa.training import imports
from yifa.training.models import Attendance

pytestmark = pytest.mark.django_db
HEADER = ["执法证号", "用户名", "姓名", "出勤", "认定学时", "备注"]


def xlsx(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("出勤.xlsx", buf.getvalue())


def test_excel_import_all_rows(world, officers, make_training):
    t = make_training(hours="6")
    res = imports.import_file(actor=world.supervisor, training=t, upload=xlsx([
        ["TRN-A1", None, "甲一", "出席", None, None],
        ["TRN-A2", None, None, "出席", 3, "中途离场"],
        ["TRN-B1", None, "乙一", "缺席", None, "请假"],
        [None, world.dept_b_legal.username, None, None, None, None],
    ]))
    assert res == {"created": 4, "updated": 0}
    got = {a.officer.certificate_no if a.officer_id else a.user.username: (a.status, a.hours_credited)
           for a in Attendance.objects.filter(training=t).select_related("officer", "user")}
    assert got == {"TRN-A1": ("attended", Decimal("6.0")), "TRN-A2": ("attended", Decimal("3.0")),
                   "TRN-B1": ("absent", Decimal("0")), world.dept_b_legal.username: ("attended", Decimal("6.0"))}


def test_excel_import_errors_are_per_row_in_chinese_and_import_nothing(world, officers, make_training):
    t = make_training(hours="6")
    with pytest.raises(DomainError) as e:
        imports.import_file(actor=world.supervisor, training=t, upload=xlsx([
            ["TRN-A1", None, "甲一", "出席", None, None],        # fine
            ["NOPE-1", None, None, None, None, None],           # row 3: unknown certificate
            ["TRN-A2", None, "张冠李戴", None, None, None],       # row 4: name mismatch
            ["TRN-A3", None, None, "迟到", None, None],           # row 5: bad status
            ["TRN-B1", None, None, "出席", 7, None],              # row 6: more than the session
            [None, None, "无证号", None, None, None],              # row 7: neither certificate nor user name
            ["TRN-A1", None, None, None, None, None],           # row 8: duplicate of row 2
            ["TRN-B2", None, None, "缺席", 2, None],              # row 9: absent with hours
        ]))
    rows = e.value.fields["rows"]
    by_row = {r["row"]: r for r in rows}
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9}
    assert "不存在" in by_row[3]["message"] and by_row[3]["field"] == "执法证号"
    assert "不一致" in by_row[4]["message"] and by_row[4]["field"] == "姓名"
    assert "出席" in by_row[5]["message"] and by_row[5]["field"] == "出勤"
    assert "不能超过" in by_row[6]["message"] and by_row[6]["field"] == "认定学时"
    assert "至少填写一项" in by_row[7]["message"]
    assert "重复" in by_row[8]["message"]
    assert "缺席" in by_row[9]["message"]
    assert "本批出勤全部未导入" in e.value.message
    assert not Attendance.objects.filter(training=t).exists()


def test_import_scope_and_csv(world, officers, make_training):
    t = make_training(actor=world.dept_a_legal, org=world.dept_a, hours="4", held_on=date(2026, 5, 1))
    csv = "执法证号,姓名,出勤,认定学时\nTRN-A1,甲一,出席,\nTRN-B1,乙一,出席,\n".encode("gb18030")
    with pytest.raises(DomainError) as e:
        imports.import_file(actor=world.dept_a_legal, training=t, upload=SimpleUploadedFile("a.csv", csv))
    assert e.value.fields["rows"] == [{"row": 3, "field": "执法证号", "message": "乙一 不在您的管理范围内"}]
    assert not Attendance.objects.filter(training=t).exists()
    ok = "执法证号,姓名,出勤,认定学时\nTRN-A1,甲一,出席,\nTRN-A2,甲二,出席,2\n".encode("utf-8-sig")
    assert imports.import_file(actor=world.dept_a_legal, training=t, upload=SimpleUploadedFile("a.csv", ok)) == {
        "created": 2, "updated": 0}
    with pytest.raises(PermissionDenied):
        imports.import_file(actor=world.officer_a, training=t, upload=SimpleUploadedFile("a.csv", ok))
    with pytest.raises(DomainError, match="没有数据行"):
        imports.import_file(actor=world.dept_a_legal, training=t, upload=xlsx([]))
