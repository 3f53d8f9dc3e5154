"""The view kit's table export and phone card layout, on a table of its own."""

import io

import django_tables2 as tables
from django.test import RequestFactory
from openpyxl import load_workbook

from yifa.core.viewkit import card_layout, table_xlsx
from yifa.orgs.models import Organization


class OrgTable(tables.Table):
    name = tables.Column("名称", linkify=lambda record: f"/orgs/{record.pk}/")
    depth = tables.Column("层级")
    is_active = tables.BooleanColumn(verbose_name="启用")
    actions = tables.Column("操作", empty_values=(), orderable=False)

    class Meta:
        model = Organization
        fields = ("name", "depth", "is_active")

    def render_actions(self):
        return "<a href='#'>编辑</a>"


def _rows(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def test_export_caps_rows_and_says_so(world):
    qs = Organization.objects.order_by("path")
    n = qs.count()
    assert n > 3
    table = OrgTable(qs)
    table.request = RequestFactory().get("/")
    rows = _rows(table_xlsx(table, title="单位", max_rows=3))
    assert rows[0] == ["名称", "层级", "启用"]  # the actions column is not data
    assert len(rows) == 1 + 3 + 1 and "仅导出了前 3 条记录" in rows[-1][0]
    assert rows[1][0] == qs[0].name and "<a" not in rows[1][0]
    assert isinstance(rows[1][1], int) and rows[1][2] in ("是", "否")
    full = _rows(table_xlsx(OrgTable(qs), title="单位", max_rows=n))
    assert len(full) == 1 + n and "导出上限" not in str(full[-1][0])


def test_card_layout_labels_every_cell(world):
    html = card_layout(OrgTable(Organization.objects.all()[:1])).as_html(RequestFactory().get("/"))
    assert "table-cards" in html and 'data-label="名称"' in html and 'data-label="层级"' in html


def test_each_cell_names_its_column_once(world, client_for):
    """On a phone a row is a card whose cells say which column they are: `data-label` once
    per cell (it was written twice, by the kit and by the table template)."""
    import re

    page = client_for(world.supervisor).get("/enforcement/").content.decode()
    tds = re.findall(r"<td[^>]*>", page)
    assert tds and all(t.count("data-label=") == 1 for t in tds)
