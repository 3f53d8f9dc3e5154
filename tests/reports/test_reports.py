"""The leader dashboard: rollups equal the records they summarise, stay idempotent, follow
changes, are read without touching the source tables, and never leave the user's scope."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from yifa.reports import selectors
from yifa.reports.figures import RATES, active_figures
from yifa.reports.models import FigureRollup
from yifa.reports.services import rebuild_rollups, sweep_rollups
from yifa.supervision.models import Finding

TODAY = date(2026, 11, 28)
SINCE = date(2020, 1, 1)


def _record_value(fig, org):
    qs = fig.records(org, SINCE, date(2026, 11, 30), TODAY)
    if fig.sum_field:
        return qs.aggregate(v=Sum(fig.sum_field))["v"] or 0
    return qs.count()


@pytest.mark.django_db
def test_every_figure_equals_its_records(world):
    rebuild_rollups(since=SINCE, today=TODAY)
    for org in (world.county, world.town_a, world.town_b, world.dept_a):
        values = selectors.figure_values(org, SINCE, date(2026, 11, 30))
        for fig in active_figures():
            assert values[fig.code] == Decimal(_record_value(fig, org)), (fig.code, org.name)
    # the world has records in the townships, so this is not a comparison of zeros
    county = selectors.figure_values(world.county, SINCE, date(2026, 11, 30))
    assert county["supervision.findings"] >= 2 and county["monitoring.cases_filed"] >= 2


@pytest.mark.django_db
def test_rebuild_is_idempotent_and_follows_changes(world):
    first = rebuild_rollups(since=SINCE, today=TODAY)
    assert first["created"] > 0
    assert rebuild_rollups(since=SINCE, today=TODAY) == {"created": 0, "updated": 0, "deleted": 0}
    assert sweep_rollups(TODAY) == {"rollups_changed": 0}

    def findings(org):
        return selectors.figure_values(org, date(2026, 1, 1), date(2026, 12, 31))["supervision.findings"]

    before_a, before_b = findings(world.town_a), findings(world.town_b)
    f = Finding.objects.create(org=world.town_a, category="procedure", source="public", description="新发现的问题",
                               raised_on=date(2026, 10, 1))
    assert findings(world.town_a) == before_a  # not yet rolled up: the dashboard reads rollups only
    # the finding's month row, and the same for its category (the problem-categories chart)
    assert sweep_rollups(TODAY) == {"rollups_changed": 2}
    assert findings(world.town_a) == before_a + 1
    assert findings(world.town_b) == before_b
    f.delete()
    sweep_rollups(TODAY)
    assert findings(world.town_a) == before_a


@pytest.mark.django_db
def test_rates_divide_their_figures(world):
    Finding.objects.create(org=world.town_a, category="procedure", source="public", description="已整改问题",
                           raised_on=date(2026, 3, 1), state="corrected", corrected_on=date(2026, 4, 1))
    rebuild_rollups(since=SINCE, today=TODAY)
    sections = selectors.dashboard(world.town_a, date(2026, 1, 1), date(2026, 12, 31))
    items = {v.code: v for s in sections for v in s["items"]}
    for r in RATES:
        if r.code in items:
            v = items[r.code]
            assert v.numerator == items[r.numerator].value and v.denominator == items[r.denominator].value
            expected = None if not v.denominator else (v.numerator * 100 / v.denominator).quantize(Decimal("0.1"))
            assert v.value == expected
    assert items["supervision.correction_rate"].value is not None


@pytest.mark.django_db
def test_dashboard_reads_rollups_not_source_tables(world, client_for):
    rebuild_rollups(since=SINCE, today=TODAY)
    c = client_for(world.leader)
    with CaptureQueriesContext(connection) as ctx:
        resp = c.get("/reports/?start=2020-01&end=2026-11")
    assert resp.status_code == 200
    sql = " ".join(q["sql"] for q in ctx.captured_queries).lower()
    for table in ("enforcement_case", "supervision_finding", "review_reviewitem", "accountability_wrongcase",
                  "training_attendance", "deadlines_warning"):
        assert f'"{table}"' not in sql, table
    # rollups, the ranking, advisor coverage (3), 查处准确率 (1, a UNION over files and clues) and
    # the ids of the leader's units, read once for every rollup sum (1)
    assert len(ctx.captured_queries) <= 22


@pytest.mark.django_db
def test_scope_of_the_dashboard(world, client_for):
    Finding.objects.create(org=world.town_b, category="procedure", source="public", description="北山独有问题",
                           raised_on=date(2026, 10, 1))
    rebuild_rollups(since=SINCE, today=TODAY)
    a = client_for(world.town_a_legal)
    assert a.get(f"/reports/?org={world.town_b.pk}").status_code == 404
    assert a.get(f"/reports/figures/supervision.findings/?org={world.town_b.pk}").status_code == 404
    assert a.get(f"/api/v1/reports/dashboard/?org={world.town_b.pk}").status_code == 404
    assert a.get(f"/reports/annual-report/?org={world.town_b.pk}&year=2025").status_code == 404
    assert a.get(f"/reports/export.xlsx?org={world.county.pk}").status_code == 404
    page = a.get("/reports/figures/supervision.findings/?start=2026-01&end=2026-12")
    assert page.status_code == 200 and "北山独有问题" not in page.content.decode()
    api = a.get("/api/v1/reports/dashboard/?start=2026-01&end=2026-12").json()
    assert api["org"]["id"] == world.town_a.scope_root().pk
    sup = client_for(world.supervisor)
    assert "北山独有问题" in sup.get("/reports/figures/supervision.findings/?start=2026-01&end=2026-12").content.decode()
    assert client_for(world.leader).get("/reports/figures/no.such/").status_code == 404
    assert sup.get("/reports/?org=abc").status_code == 404


@pytest.mark.django_db
def test_drilldown_count_equals_the_figure(world, client_for):
    rebuild_rollups(since=SINCE, today=TODAY)
    c = client_for(world.supervisor)
    api = c.get("/api/v1/reports/dashboard/?start=2020-01&end=2026-11").json()
    figures = [f for s in api["sections"] for f in s["figures"] if f["unit"] not in ("%", "学时")]
    assert figures
    import re

    for f in figures:
        html = c.get(f["records_url"]).content.decode()
        count = int(re.search(r'id="record-count">(\d+)<', html).group(1))
        assert count == f["value"], f["code"]


@pytest.mark.django_db
def test_drilldown_never_counts_past_the_cap(world, client_for, monkeypatch):
    """The drill-down counts at most the cap (+1): past it the page says “超过 N 条”."""
    import re

    from yifa.core import paging

    rebuild_rollups(since=SINCE, today=TODAY)
    c = client_for(world.supervisor)
    api = c.get("/api/v1/reports/dashboard/?start=2020-01&end=2026-11").json()
    fig = next(f for s in api["sections"] for f in s["figures"] if f["unit"] not in ("%", "学时") and f["value"] >= 2)
    monkeypatch.setattr(paging, "COUNT_CAP", 1)
    html = c.get(fig["records_url"]).content.decode()
    assert re.search(r'超过 <span id="record-count">1</span> 条', html), fig["code"]


@pytest.mark.django_db
def test_annual_report_and_excel(world, client_for):
    rebuild_rollups(since=SINCE, today=TODAY)
    c = client_for(world.leader)
    resp = c.get("/reports/annual-report/?year=2026")
    assert resp.status_code == 200
    data = b"".join(resp.streaming_content) if resp.streaming else resp.content
    from docx import Document

    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2026年度法治政府建设情况报告" in text and "【待起草人填写" in text
    findings = selectors.figure_values(world.county, date(2026, 1, 1), date(2026, 12, 31))["supervision.findings"]
    assert f"发现问题{int(findings)}个" in text
    assert c.get("/reports/annual-report/?year=1999").status_code == 404
    assert c.get("/reports/annual-report/?year=abc").status_code == 404
    pdf = c.get("/reports/annual-report/?year=2026&fmt=pdf")
    assert pdf.content[:4] == b"%PDF"

    x = c.get("/reports/export.xlsx?start=2026-01&end=2026-11")
    body = b"".join(x.streaming_content)
    assert zipfile.is_zipfile(io.BytesIO(body))
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(body)).active
    labels = [row[1] for row in ws.iter_rows(values_only=True)]
    assert "发现问题" in labels


@pytest.mark.django_db
def test_rollups_command(world):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("rollups", "--since", "2024-01", "--today", "2026-11-28", stdout=out)
    assert "新增" in out.getvalue()
    assert FigureRollup.objects.exists()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rollups", "--since", "2024-13", stdout=out)
