"""The view kit on the enforcement pages: the case list's Excel export (scoped, dates as
dates) and the confirm text on irreversible steps (撤销立案, 结案, 撤销处罚决定)."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from yifa.core.xlsx import XLSX
from yifa.enforcement import services
from yifa.enforcement.models import Case
from yifa.enforcement.workflows import PENALTY_SUMMARY

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return [list(r) for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True)]


def _case(world, lib, **kw):
    return services.file_case(**{**dict(actor=world.officer_a, org=world.dept_a, item=lib.item,
                                        filed_on=date(2026, 8, 3), title="案由甲", party_name="李四",
                                        officers=[lib.o1, lib.o2]), **kw})


def test_case_export_scoped_and_filtered(world, lib, client_for):
    a = _case(world, lib)
    _case(world, lib, title="另一案由", filed_on=date(2026, 8, 4))
    rows = _rows(client_for(world.officer_a).get("/enforcement/?export=xlsx"))
    header = rows[0]
    assert "案号" in header and "立案日期" in header and "期限状态" in header
    assert len(rows) == 3
    filed = rows[1][header.index("立案日期")]
    assert isinstance(filed, datetime)
    assert all("<" not in str(c) for r in rows for c in r)
    narrowed = _rows(client_for(world.officer_a).get("/enforcement/?q=另一案由&export=xlsx"))
    assert [r[header.index("案由")] for r in narrowed[1:]] == ["另一案由"]
    assert a.case_no in " ".join(str(r[0]) for r in rows[1:])
    assert _rows(client_for(world.dept_b_legal).get("/enforcement/?export=xlsx"))[1:] == []


def test_irreversible_steps_ask_first(world, lib, client_for):
    case = _case(world, lib)
    page = client_for(world.officer_a).get(f"/enforcement/cases/{case.pk}/").content.decode()
    form = page[page.index('data-action="dismiss"'):][:300]
    assert 'data-confirm="将撤销立案' in form
    form = page[page.index('data-action="investigate"'):][:300]
    assert "data-confirm" not in form.split(">")[0]  # an ordinary step just acts
    texts = {t.action: t.confirm for t in PENALTY_SUMMARY.transitions}
    assert texts["annul_decision"].startswith("将撤销处罚决定") and texts["close"].startswith("将结案")
    assert Case.objects.filter(pk=case.pk).exists()
