"""Pages and API of the assessment app: scope, forms, export, drill-down, query counts."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment.helpers import closed_case, extra_departments, manual_indicators, new_period, score_all
from yifa.assessment import selectors, services
from yifa.assessment.models import Interview, ManualScore, UnitResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(world):
    extra_departments(world, 2)
    closed_case(world.dept_a, on_time=True, closed_on=date(2025, 3, 1))
    p = new_period(world)
    score_all(world, p, {world.dept_b.pk: Decimal("0.3")})
    services.compute_period(actor=world.supervisor, period=p)
    return p


def test_supervisor_sees_ranking_with_drilldown(world, client_for, computed):
    c = client_for(world.supervisor)
    body = c.get(f"/assessment/periods/{computed.pk}/").content.decode()
    assert 'id="ranking"' in body and world.dept_a.name in body and world.town_b.name in body
    assert "后三名" in body
    r = UnitResult.objects.get(period=computed, org=world.dept_a)
    body = c.get(f"/assessment/results/{r.pk}/").content.decode()
    assert "得分 = 分值 ×" in body and 'class="drilldown"' in body
    url = r.scores.get(indicator__metric_code="enforcement.on_time_rate").drilldown_url
    page = c.get(url)
    assert page.status_code == 200 and "考核测试案件" in page.content.decode()


def test_unit_sees_only_its_own_result(world, client_for, computed):
    c = client_for(world.dept_a_legal)
    assert c.get(f"/assessment/periods/{computed.pk}/").status_code == 404
    own = UnitResult.objects.get(period=computed, org=world.dept_a)
    other = UnitResult.objects.get(period=computed, org=world.dept_b)
    assert c.get(f"/assessment/results/{own.pk}/").status_code == 200
    assert c.get(f"/assessment/results/{other.pk}/").status_code == 404
    home = c.get("/assessment/").content.decode()
    assert world.dept_a.name in home and world.dept_b.name not in home
    # the drill-down of another unit's metric is refused
    url = other.scores.get(indicator__metric_code="enforcement.on_time_rate").drilldown_url
    assert c.get(url).status_code == 404
    api = c.get("/api/v1/assessment/results/").json()
    assert {row["org"] for row in api["results"]} == {world.dept_a.pk}
    # the county leader sees every unit, read-only
    leader = client_for(world.leader)
    assert leader.get(f"/assessment/periods/{computed.pk}/").status_code == 200
    assert leader.post(f"/assessment/periods/{computed.pk}/op/compute/").status_code == 403
    assert leader.get(f"/assessment/periods/{computed.pk}/scores/").status_code == 403


def test_manual_score_form_and_missing_list(world, client_for):
    p = new_period(world)
    services.compute_period(actor=world.supervisor, period=p)
    c = client_for(world.supervisor)
    body = c.get(f"/assessment/periods/{p.pk}/").content.decode()
    assert 'id="missing-scores"' in body
    ind = manual_indicators(p)[0]
    resp = c.post(f"/assessment/periods/{p.pk}/scores/", {"org": world.dept_a.pk, "indicator": ind.pk,
                                                          "score": "999", "evidence": "x"})
    assert resp.status_code == 200 and "得分应在" in resp.content.decode()
    resp = c.post(f"/assessment/periods/{p.pk}/scores/", {"org": world.dept_a.pk, "indicator": ind.pk,
                                                          "score": "3.5", "evidence": "查阅述法材料"})
    assert resp.status_code == 302
    assert ManualScore.objects.get(indicator=ind, org=world.dept_a).score == Decimal("3.50")


def test_tree_page_weights_refused_with_message(world, client_for):
    p = new_period(world)
    c = client_for(world.supervisor)
    body = c.get(f"/assessment/periods/{p.pk}/indicators/").content.decode()
    assert "本地默认指标体系" in body and "得分 = 分值 × 监督意见书整改率" in body
    cat = services.tree_of(p)[0]
    resp = c.post(f"/assessment/periods/{p.pk}/indicators/", {"weights": "1", f"cat_{cat.pk}": "30"}, follow=True)
    assert "一级指标权重合计为 110%，应为 100%" in resp.content.decode()


def test_export_ranking_xlsx(world, client_for, computed):
    from openpyxl import load_workbook

    resp = client_for(world.supervisor).get(f"/assessment/periods/{computed.pk}/export.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("排名", "单位", "总分")
    assert len(rows) == 2 + UnitResult.objects.filter(period=computed).count()
    assert rows[2][0] == 1


def test_interview_page(world, client_for, computed):
    bottom = UnitResult.objects.filter(period=computed, bottom=True).select_related("org").first().org
    c = client_for(world.supervisor)
    assert c.get(f"/assessment/periods/{computed.pk}/interviews/new/?org={bottom.pk}").status_code == 200
    resp = c.post(f"/assessment/periods/{computed.pk}/interviews/new/", {
        "org": bottom.pk, "held_on": "2026-01-20", "interviewers": "副县长", "unit_head": "张局长",
        "summary": "指出按时办结率偏低", "follow_up": "限期整改", "follow_up_due": "2026-02-20"})
    iv = Interview.objects.get(period=computed)
    assert resp.status_code == 302 and iv.org == bottom
    assert "指出按时办结率偏低" in c.get(f"/assessment/interviews/{iv.pk}/").content.decode()
    assert world.leader and client_for(world.leader).get("/assessment/interviews/").status_code == 200


def test_api_weights_compute_ranking(world, client_for):
    c = client_for(world.supervisor)
    resp = c.post("/api/v1/assessment/periods/", {"org": world.county.pk, "year": 2025},
                  content_type="application/json")
    assert resp.status_code == 201
    pk = resp.json()["id"]
    tree = c.get(f"/api/v1/assessment/periods/{pk}/tree/").json()
    first = tree["categories"][0]
    resp = c.post(f"/api/v1/assessment/periods/{pk}/weights/",
                  {"categories": {str(first["id"]): "10"}, "indicators": {}}, content_type="application/json")
    assert resp.status_code == 400 and "应为 100%" in resp.json()["message"]
    assert resp.json()["fields"]["weights"]
    man = next(i for cat in tree["categories"] for i in cat["indicators"] if i["kind"] == "manual")
    resp = c.post("/api/v1/assessment/manual-scores/", {"period": pk, "indicator": man["id"], "org": world.dept_a.pk,
                                                        "score": "2", "evidence": "API 评分"},
                  content_type="application/json")
    assert resp.status_code == 201
    assert c.post(f"/api/v1/assessment/periods/{pk}/compute/").json()["complete"] is False
    missing = c.get(f"/api/v1/assessment/periods/{pk}/missing/").json()
    assert {m["org"] for m in missing} >= {world.dept_b.pk, world.town_a.pk}
    resp = c.post(f"/api/v1/assessment/periods/{pk}/close/", {}, content_type="application/json")
    assert resp.status_code == 400 and "仍有评分缺失" in resp.json()["message"]
    ranking = c.get(f"/api/v1/assessment/periods/{pk}/ranking/").json()
    assert all(r["rank"] is None for r in ranking)
    resp = c.post("/api/v1/assessment/interviews/", {"period": pk, "org": world.dept_a.pk, "held_on": "2026-01-20",
                                                     "interviewers": "x", "unit_head": "y", "summary": "z"},
                  content_type="application/json")
    assert resp.status_code == 400
    r = UnitResult.objects.get(period_id=pk, org=world.dept_a)
    detail = c.get(f"/api/v1/assessment/results/{r.pk}/").json()
    assert detail["total"] is None and any(s["drilldown_url"] for s in detail["scores"])
    assert any("得分 = 分值" in s["formula"] for s in detail["scores"])
    # a unit cannot write
    unit = client_for(world.dept_a_legal)
    assert unit.post(f"/api/v1/assessment/periods/{pk}/compute/").status_code == 404
    assert unit.get(f"/api/v1/assessment/results/{r.pk}/").status_code == 200


def test_api_metric_value_and_registry(world, client_for):
    closed_case(world.dept_a, on_time=False, closed_on=date(2025, 3, 1))
    c = client_for(world.supervisor)
    codes = {m["code"] for m in c.get("/api/v1/assessment/metrics/").json()}
    assert {"enforcement.on_time_rate", "review.adoption_rate", "supervision.letter_rectification_rate",
            "supervision.finding_correction_rate", "enforcement.publicity_on_time", "accountability.wrong_cases",
            "evaluation.score_rate", "training.completion_rate"} <= codes
    v = c.get("/api/v1/assessment/metrics/value/", {"metric": "enforcement.on_time_rate", "org": world.dept_a.pk,
                                                     "start": "2025-01-01", "end": "2025-12-31"}).json()
    assert (v["numerator"], v["denominator"], v["available"]) == (0, 1, True)
    unit = client_for(world.town_a_legal)
    assert unit.get("/api/v1/assessment/metrics/value/", {"metric": "enforcement.on_time_rate",
                                                          "org": world.dept_a.pk, "start": "2025-01-01",
                                                          "end": "2025-12-31"}).status_code == 404
    assert c.get("/api/v1/assessment/metrics/value/", {"metric": "x"}).status_code == 400


def test_commendation_flags_restricted_and_unchecked(world, client_for, monkeypatch):
    people = [world.officer_a, world.dept_a_legal]
    monkeypatch.setattr(selectors, "restriction_checker", lambda: None)
    res = selectors.commendation_candidates(people, date(2026, 6, 1))
    assert res["unchecked"] == 2 and not any(r.restricted for r in res["rows"])
    assert all("无法核查" in r.reason for r in res["rows"])

    def fake(person, on):
        hit = person == world.officer_a
        return {"promotion": hit, "title_evaluation": False, "commendation": hit, "until": date(2027, 1, 1),
                "reasons": ["警告（影响期至 2027-01-01）"] if hit else []}

    monkeypatch.setattr(selectors, "restriction_checker", lambda: fake)
    res = selectors.commendation_candidates(people, date(2026, 6, 1))
    assert [r.restricted for r in res["rows"]] == [True, False] and res["unchecked"] == 0
    assert "警告" in res["rows"][0].reason
    c = client_for(world.supervisor)
    body = c.get("/assessment/commendation/", {"person": [world.officer_a.pk, world.dept_a_legal.pk],
                                               "on": "2026-06-01"}).content.decode()
    assert "处于影响期，不得推荐" in body and "可推荐" in body
    api = c.post("/api/v1/assessment/commendation/", {"persons": [world.officer_a.pk], "on": "2026-06-01"},
                 content_type="application/json").json()
    assert api["rows"][0]["restricted"] is True


def test_commendation_with_the_real_registry(world):
    """With `yifa.accountability` installed, its `restriction_on` is the checker used."""
    check = selectors.restriction_checker()
    if check is None:
        pytest.skip("accountability registry not installed")
    res = selectors.commendation_candidates([world.officer_a], date(2026, 6, 1))
    assert res["available"] and res["rows"][0].checked and not res["rows"][0].restricted


def test_list_pages_query_counts(world, client_for, computed):
    c = client_for(world.supervisor)
    for url in ("/assessment/", f"/assessment/periods/{computed.pk}/", "/assessment/interviews/",
                f"/api/v1/assessment/results/?period={computed.pk}"):
        c.get(url)
        with CaptureQueriesContext(connection) as few:
            c.get(url)
        extra_departments(world, 0)
        more = [services.create_period(actor=world.supervisor, org=world.county, year=y) for y in (2021, 2022)]
        for p in more:
            score_all(world, p, {})
            services.compute_period(actor=world.supervisor, period=p)
        with CaptureQueriesContext(connection) as many:
            c.get(url)
        assert len(many) <= len(few) + 2, f"{url}: {len(few)} → {len(many)} queries"
        for p in more:
            p.results.all().delete()
            p.delete()


def test_bad_parameters_answer_4xx(world, client_for):
    c = client_for(world.supervisor)
    big = "9" * 30
    assert c.get("/assessment/metrics/records/", {"metric": "enforcement.on_time_rate", "org": big,
                                                 "start": "2025-01-01", "end": "2025-12-31"}).status_code == 400
    assert c.get("/assessment/metrics/records/", {"metric": "enforcement.on_time_rate", "org": "987654321",
                                                 "start": "2025-01-01", "end": "2025-12-31"}).status_code == 404
    assert c.get("/assessment/metrics/records/", {"metric": "enforcement.on_time_rate", "org": world.dept_a.pk,
                                                 "start": "2025-13-45", "end": "2025-12-31"}).status_code == 404
    assert c.get("/assessment/commendation/", {"person": big, "on": "2026-02-31"}).status_code == 400  # beyond 2**53
    assert c.get("/assessment/commendation/", {"person": "987654321", "on": "2026-02-31"}).status_code == 200
    assert c.post("/api/v1/assessment/commendation/", {"persons": [10**30]},
                  content_type="application/json").status_code == 400
    assert c.get("/api/v1/assessment/metrics/value/", {"metric": "enforcement.on_time_rate", "org": big,
                                                        "start": "2025-01-01", "end": "2025-12-31"}).status_code == 400
    p = new_period(world)
    resp = c.post(f"/assessment/periods/{p.pk}/indicators/", {"weights": "1", "cat_x": "1"}, follow=True)
    assert resp.status_code == 200 and "不属于该考核期间" in resp.content.decode()


def test_manual_score_attachment_upload_and_download(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = new_period(world)
    ind = manual_indicators(p)[0]
    c = client_for(world.supervisor)
    f = SimpleUploadedFile("述法材料.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    resp = c.post(f"/assessment/periods/{p.pk}/scores/", {"org": world.dept_a.pk, "indicator": ind.pk,
                                                          "score": "3", "evidence": "见附件", "attachment": f})
    assert resp.status_code == 302
    ms = ManualScore.objects.get(indicator=ind, org=world.dept_a)
    resp = c.get(f"/assessment/manual-scores/{ms.pk}/attachment/")
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == b"%PDF-1.4 evidence"
    assert client_for(world.dept_b_legal).get(f"/assessment/manual-scores/{ms.pk}/attachment/").status_code == 404
    assert client_for(world.dept_a_legal).get(f"/assessment/manual-scores/{ms.pk}/attachment/").status_code == 200
