"""The 条例's three instruments — 通知书 / 意见书 / 决定书 — are each counted by the
statistics (page, export, API), the leader dashboard, the annual report and the notice draft."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from yifa.reports import selectors as report_selectors
from yifa.reports.services import rebuild_rollups
from yifa.supervision import selectors, services
from yifa.supervision.models import Clue, Finding, Inspection, Notice, OpinionLetter, SupervisionDecision

pytestmark = pytest.mark.django_db
START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def data(world):
    w = world
    for model in (SupervisionDecision, Notice, OpinionLetter, Clue, Finding, Inspection):
        model.objects.filter(org__in=[w.town_a, w.town_b]).delete()

    def finding(org, text):
        return services.raise_finding(actor=w.supervisor, org=org, category="procedure", description=text,
                                      on=date(2025, 8, 20))

    w.f1, w.f2, w.f3 = finding(w.dept_a, "未出示执法证件"), finding(w.dept_a, "未告知陈述申辩"), finding(w.dept_b, "证据不足")
    w.notice = services.issue_letter(actor=w.supervisor, findings=[w.f1], tier="notice", requirements="立即纠正。",
                                     on=date(2025, 9, 1))
    opinion = services.issue_letter(actor=w.supervisor, findings=[w.f2], requirements="限期整改。", on=date(2025, 9, 1))
    services.issue_letter(actor=w.supervisor, findings=[w.f3], requirements="限期整改。", on=date(2025, 9, 2))
    # the opinion letter's 30 days (and the National Day week) have passed: a decision follows
    w.decision = services.escalate_letter(actor=w.supervisor, letter=opinion, kind="correct", reasons="逾期未整改",
                                          requirements="责令于三十日内纠正违法行为并报告。", on=date(2025, 10, 20))
    return w


def test_metrics_and_units_count_each_instrument(data):
    w = data
    m = selectors.supervision_metrics(start=START, end=END, user=w.supervisor)
    assert (m["notices_issued"], m["opinions_issued"], m["decisions_issued"], m["instruments_issued"]) == (1, 2, 1, 4)
    assert m["letters_issued"] == 3
    from yifa.supervision.statistics import per_unit

    rows = {r["org_name"]: r for r in per_unit(w.supervisor, START, END)}
    a, b = rows[w.dept_a.name], rows[w.dept_b.name]
    assert (a["notices_issued"], a["opinions_issued"], a["decisions_issued"]) == (1, 1, 1)
    assert (b["notices_issued"], b["opinions_issued"], b["decisions_issued"]) == (0, 1, 0)


def test_page_export_and_api(data, client_for):
    c = client_for(data.supervisor)
    html = c.get("/supervision/statistics/?start=2025-01-01&end=2025-12-31").content.decode()
    assert 'id="stat-instruments">4<' in html
    assert "tier=notice" in html and "tier=opinion" in html
    lst = c.get("/supervision/letters/?start=2025-01-01&end=2025-12-31&tier=notice").content.decode()
    assert data.notice.title in lst
    resp = c.get("/supervision/statistics/export.xlsx?start=2025-01-01&end=2025-12-31")
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    rows = {r[0]: r[1] for r in wb["总体情况"].iter_rows(values_only=True)}
    assert rows["其中：行政执法监督通知书（份）"] == 1 and rows["行政执法监督意见书（份）"] == 2
    assert rows["行政执法监督决定书（份）"] == 1 and rows["印发监督文书合计（份）"] == 4
    api = c.get("/api/v1/supervision/statistics/?start=2025-01-01&end=2025-12-31").json()["metrics"]
    assert (api["notices_issued"], api["opinions_issued"], api["decisions_issued"]) == (1, 2, 1)


def test_dashboard_and_annual_report_count_all_three(data, client_for):
    rebuild_rollups(since=START, today=date(2025, 12, 31))
    v = report_selectors.figure_values(data.county, START, END)
    assert (v["supervision.notices"], v["supervision.opinion_letters"], v["supervision.decisions"]) == (1, 2, 1)
    html = client_for(data.leader).get("/reports/?start=2025-01&end=2025-12").content.decode()
    for label in ("制发监督通知书", "制发监督意见书", "制发监督决定书"):
        assert label in html
    drill = client_for(data.leader).get("/reports/figures/supervision.decisions/?start=2025-01&end=2025-12")
    assert drill.status_code == 200 and data.f2.org.name in drill.content.decode()


def test_notice_draft_counts_the_instruments_on_its_findings(data):
    w = data
    text = services.draft_notice_text([w.f1, w.f2], START, END)
    assert "制发行政执法监督通知书 1 份、意见书 1 份、决定书 1 份" in text
    assert "决定书 0 份" in services.draft_notice_text([w.f3])
    assert "制发行政执法监督通知书" not in services.draft_notice_text([])
