"""Bulk intake goes through the same scoped lookups as the API: a department cannot attach
its cases to another department's enforcement item or name another unit's officers."""

import pytest

from yifa.enforcement import imports
from yifa.enforcement.models import Case, EnforcementItem, Officer

pytestmark = pytest.mark.django_db


def test_import_refuses_another_departments_item_like_the_api(world, lib, client_for):
    from tests.conftest import make_user
    from yifa.orgs.models import Role

    officer_b = make_user("t_officer_b", world.dept_b, [Role.OFFICER], "环境执法员")
    EnforcementItem.objects.create(org=world.dept_b, code="HB-001", name="超标排放", category="penalty",
                                   legal_basis="《大气污染防治法》")
    row = {"source_case_no": "X-1", "org_code": "T-DB", "item_code": "SCJG-001", "case_type": "行政处罚",
           "filed_on": "2026-08-03", "title": "借用他局事项", "party_name": "王五"}
    batch = imports.import_rows(actor=officer_b, kind="cases", rows=[row], source_system="sys")
    assert batch.errors and "事项编码“SCJG-001”不存在或不在您的管理范围内" in str(batch.errors)
    assert not Case.objects.filter(source_case_no="X-1").exists()
    # the API refuses the same item
    resp = client_for(officer_b).post("/api/v1/enforcement/cases/", {
        "org": world.dept_b.pk, "item": lib.item.pk, "case_type": "penalty", "procedure": "general",
        "title": "借用他局事项", "party_name": "王五", "filed_on": "2026-08-03"}, content_type="application/json")
    assert resp.status_code == 400 and "item" in resp.json()["fields"]
    # another unit's officer is refused too
    row = dict(row, item_code="HB-001", officers=lib.o1.certificate_no, source_case_no="X-2")
    batch = imports.import_rows(actor=officer_b, kind="cases", rows=[row], source_system="sys")
    assert batch.errors and "执法证号不存在或不在您的管理范围内" in str(batch.errors)
    assert Officer.objects.filter(certificate_no=lib.o1.certificate_no, org=world.dept_a).exists()
