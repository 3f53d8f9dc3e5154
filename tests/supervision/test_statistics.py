"""Statistics per unit and period, drill-down lists accepting the filter parameters,
Excel export, and `supervision_metrics` for other modules."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from yifa.supervision import selectors, services
from yifa.supervision.models import Clue

pytestmark = pytest.mark.django_db
START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def data(world):
    w = world
    from yifa.supervision.models import Finding, Inspection, Notice, OpinionLetter, SupervisionDecision

    towns = [w.town_a, w.town_b]  # leave out the scoping walk's rows in the townships
    for model in (SupervisionDecision, Notice, OpinionLetter, Clue, Finding, Inspection):
        model.objects.filter(org__in=towns).delete()
    insp = services.create_inspection(actor=w.supervisor, org=w.supervision_office, kind="special", title="统计专项检查",
                                      period_start=date(2025, 5, 1), period_end=date(2025, 5, 31),
                                      targets=[w.dept_a, w.dept_b])
    fa1 = services.raise_finding(actor=w.supervisor, org=w.dept_a, category="procedure", source="congress",
                                 description="统计问题甲一", on=date(2025, 5, 10), inspection=insp)
    fa2 = services.raise_finding(actor=w.supervisor, org=w.dept_a, category="publicity", description="统计问题甲二",
                                 on=date(2025, 5, 12), inspection=insp)
    fb = services.raise_finding(actor=w.supervisor, org=w.dept_b, category="procedure", description="统计问题乙",
                                on=date(2025, 5, 15), inspection=insp)
    services.raise_finding(actor=w.supervisor, org=w.dept_a, category="procedure", description="统计问题去年",
                           on=date(2024, 6, 1))
    services.correct_finding(actor=w.dept_a_legal, finding=fa1, evidence="已整改", on=date(2025, 6, 1))
    services.mark_finding(actor=w.supervisor, finding=fb, is_major=True)
    letter = services.issue_letter(actor=w.supervisor, findings=[fa2], requirements="整改", on=date(2025, 6, 2))
    services.submit_rectification(actor=w.dept_a_legal, letter=letter, content="已整改", evidence="佐证",
                                  on=date(2025, 6, 20))
    services.letter_transition(actor=w.supervisor, letter=letter, action="accept", on=date(2025, 6, 25))
    services.issue_letter(actor=w.supervisor, findings=[fb], requirements="整改", on=date(2025, 7, 1))
    return w


def test_metrics(data):
    w = data
    full = selectors.supervision_metrics(start=START, end=END, user=w.supervisor)
    towns = [selectors.supervision_metrics(start=START, end=END, org=t) for t in (w.town_a, w.town_b)]

    def minus_towns(key):  # the scoping walk's rows live in the two townships
        if isinstance(full[key], dict):
            return {k: v - sum(t[key][k] for t in towns) for k, v in full[key].items()}
        return full[key] - sum(t[key] for t in towns)

    m = {k: minus_towns(k) for k in ("inspections", "special_inspections", "findings", "findings_corrected",
                                     "findings_major", "findings_by_category", "findings_by_source",
                                     "letters_issued", "letters_rectified", "letters_open")}
    m["rectification_rate"] = round(100 * m["letters_rectified"] / m["letters_issued"], 1)
    assert selectors.supervision_metrics(start=START, end=END, org=w.supervision_office)["inspections"] == 1
    assert m["inspections"] == 1 and m["special_inspections"] == 1
    assert m["findings"] == 3 and m["findings_corrected"] == 1 and m["findings_major"] == 1
    assert m["findings_by_category"]["procedure"] == 2 and m["findings_by_category"]["publicity"] == 1
    assert m["findings_by_source"]["congress"] == 1 and m["findings_by_source"]["administrative"] == 2
    assert m["letters_issued"] == 2 and m["letters_rectified"] == 1 and m["rectification_rate"] == 50.0
    assert m["letters_open"] == 1
    a = selectors.supervision_metrics(org=w.dept_a, start=START, end=END)
    assert a["findings"] == 2 and a["letters_issued"] == 1 and a["rectification_rate"] == 100.0
    assert a["inspections"] == 0  # organised by the supervision office, not by the department
    b_view = selectors.supervision_metrics(start=START, end=END, user=w.dept_b_legal)
    assert b_view["findings"] == 1 and b_view["letters_issued"] == 1 and b_view["rectification_rate"] == 0.0
    assert selectors.supervision_metrics(start=date(2024, 1, 1), end=date(2024, 12, 31), org=w.dept_a)["findings"] == 1


def test_page_drill_down_and_export(data, client_for, django_assert_max_num_queries):
    w = data
    c = client_for(w.supervisor)
    html = c.get("/supervision/statistics/?start=2025-01-01&end=2025-12-31").content.decode()
    assert 'id="stat-findings">3<' in html and 'id="stat-rate">50.0%<' in html
    corrected_url = "/supervision/findings/?start=2025-01-01&amp;end=2025-12-31&amp;corrected=true"
    assert corrected_url in html
    lst = c.get(corrected_url.replace("&amp;", "&")).content.decode()
    assert "统计问题甲一" in lst and "统计问题甲二" not in lst
    lst = c.get(f"/supervision/findings/?start=2025-01-01&end=2025-12-31&org={w.dept_b.pk}").content.decode()
    assert "统计问题乙" in lst and "统计问题甲一" not in lst
    lst = c.get("/supervision/letters/?start=2025-01-01&end=2025-12-31&rectified=true").content.decode()
    assert w.dept_a.name in lst and w.dept_b.name not in lst
    with django_assert_max_num_queries(20):
        c.get("/supervision/findings/?start=2025-01-01&end=2025-12-31&source=congress")
    assert "统计问题去年" not in c.get("/supervision/findings/?start=2025-01-01&end=2025-12-31").content.decode()
    # export
    resp = c.get("/supervision/statistics/export.xlsx?start=2025-01-01&end=2025-12-31")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    rows = {r[0]: r[1] for r in wb["总体情况"].iter_rows(values_only=True)}
    assert rows["发现问题（个）"] == 3 and rows["通知书、意见书整改率（%）"] == 50.0
    units = [r for r in wb["分单位"].iter_rows(values_only=True)]
    assert any(r[0] == w.dept_b.name and r[1] == 1 for r in units)
    assert c.get("/supervision/statistics/export.xlsx?start=bad").status_code == 400
    # API
    data_ = c.get("/api/v1/supervision/statistics/?start=2025-01-01&end=2025-12-31").json()
    assert data_["metrics"]["findings"] == 3 and len(data_["units"]) == 2
    drill = data_["drill"]["findings_corrected"]
    rows = c.get(drill).json()["results"]
    assert [r["description"] for r in rows] == ["统计问题甲一"]
    assert c.get(data_["drill"]["letters_rectified"]).json()["count"] == 1
    assert c.get("/api/v1/supervision/statistics/?end=2025-01-01&start=2025-12-31").status_code == 400
    # scope
    b = client_for(w.dept_b_legal)
    assert b.get(f"/supervision/statistics/?org={w.dept_a.pk}").status_code == 404
    assert b.get("/api/v1/supervision/statistics/?start=2025-01-01&end=2025-12-31").json()["metrics"]["findings"] == 1
    assert not Clue.objects.filter(org=w.dept_a).exists()
