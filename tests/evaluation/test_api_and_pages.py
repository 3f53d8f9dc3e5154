"""API (campaigns, sampling, scoring with 409 on stale versions, results, metrics, sheets),
pages (scoring form, lists without N+1, Excel export) and scope."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yifa.supervision.evaluation import services
from yifa.supervision.evaluation.defaults import DEFAULT_SHEET_NAME
from yifa.supervision.evaluation.models import Campaign, EvaluationFile, FileState, ScoringSheet

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision/evaluation"


def _item(code):
    return ScoringSheet.objects.get(name=DEFAULT_SHEET_NAME).items.get(code=code)


def _create(client, world, **over):
    body = {"org": world.supervision_office.pk, "title": "API 评查", "period_start": "2026-01-01",
            "period_end": "2026-10-31", "targets": [{"org": world.dept_a.pk, "count": 4},
                                                    {"org": world.town_a.pk, "percent": "50"}],
            "evaluators": [world.supervisor.pk, world.dept_a_legal.pk]}
    body.update(over)
    return client.post(f"{BASE}/campaigns/", body, content_type="application/json")


def test_api_campaign_journey(world, closed_cases, client_for):
    sup = client_for(world.supervisor)
    r = _create(sup, world)
    assert r.status_code == 201, r.json()
    cid, version = r.json()["id"], r.json()["version"]
    assert r.json()["org"] == world.supervision_office.pk and len(r.json()["targets"]) == 2
    r = sup.post(f"{BASE}/campaigns/{cid}/transitions/", {"action": "sample", "seed": 77, "version": version},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["seed"] == 77 and r.json()["state"] == "sampled"
    ids = sorted(EvaluationFile.objects.filter(campaign_id=cid).values_list("case_id", flat=True))
    assert len(ids) == 7  # 4 + ceil(50% of 5)
    r = sup.post(f"{BASE}/campaigns/{cid}/transitions/", {"action": "resample", "seed": 77},
                 content_type="application/json")
    assert sorted(EvaluationFile.objects.filter(campaign_id=cid).values_list("case_id", flat=True)) == ids
    r = sup.post(f"{BASE}/campaigns/{cid}/transitions/", {"action": "conclude"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    r = sup.post(f"{BASE}/campaigns/{cid}/transitions/", {"action": "start"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "scoring"

    legal = client_for(world.dept_a_legal)  # an evaluator from a department sees the county campaign
    assert legal.get(f"{BASE}/campaigns/{cid}/").status_code == 200
    files = legal.get(f"{BASE}/files/?campaign={cid}").json()["results"]
    assert len(files) == 7
    f = files[0]
    decisions = [{"suggestion": s["id"], "decision": "reject", "reason": "不成立"} for s in f["suggestions"]]
    body = {"deductions": [{"item": _item("P2").pk, "note": "未告知陈述申辩权"}], "decisions": decisions,
            "submit": True, "version": f["version"]}
    r = legal.post(f"{BASE}/files/{f['id']}/score/", body, content_type="application/json")
    assert r.status_code == 200, r.json()
    assert r.json()["grade"] == "fail" and r.json()["veto"] is True and r.json()["grade_label"] == "不合格"
    r = sup.post(f"{BASE}/files/{f['id']}/score/", body, content_type="application/json")  # stale version
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    r = sup.post(f"{BASE}/files/{files[1]['id']}/score/", {"deductions": [{"item": _item("L1").pk, "points": 9}]},
                 content_type="application/json")
    assert r.status_code == 400 and "不超过" in r.json()["message"]
    r = client_for(world.dept_b_legal).post(f"{BASE}/files/{files[1]['id']}/score/", {},
                                            content_type="application/json")
    assert r.status_code == 404
    r = client_for(world.admin).post(f"{BASE}/files/{files[1]['id']}/score/", {}, content_type="application/json")
    assert r.status_code == 403  # sees the county but is not an evaluator
    res = sup.get(f"{BASE}/campaigns/{cid}/results/").json()
    row = next(x for x in res if x["org"] == world.dept_a.pk or x["org"] == world.town_a.pk and x["fail"])
    assert sum(x["evaluated"] for x in res) == 1 and sum(x["fail"] for x in res) == 1 and row
    assert {"pass", "excellent", "by_category", "average"} <= set(res[0])
    m = sup.get(f"{BASE}/metrics/?start=2026-01-01").json()
    assert m["files_evaluated"] == 1 and m["problems_found"] == 1 and m["grades"]["fail"] == 1
    assert sup.get(f"{BASE}/metrics/?org={world.dept_b.pk}").json()["files_evaluated"] == 0
    assert client_for(world.town_a_legal).get(f"{BASE}/metrics/?org={world.dept_a.pk}").status_code == 400


def test_api_quota_refused_and_bad_input(world, closed_cases, client_for):
    sup = client_for(world.supervisor)
    cid = _create(sup, world, targets=[{"org": world.town_a.pk, "count": 50}]).json()["id"]
    r = sup.post(f"{BASE}/campaigns/{cid}/transitions/", {"action": "sample"}, content_type="application/json")
    assert r.status_code == 400 and "只有 5 件" in r.json()["message"]
    assert _create(sup, world, targets=[{"org": world.town_a.pk}]).status_code == 400
    assert _create(sup, world, targets=[{"org": world.town_a.pk, "count": 1, "percent": 5}]).status_code == 400
    town = client_for(world.town_a_legal)
    r = _create(town, world, org=world.town_a_office.pk, targets=[{"org": world.dept_a.pk, "count": 1}])
    assert r.status_code == 400 and r.json()["fields"]["targets"]
    r = town.patch(f"{BASE}/campaigns/{cid}/", {"title": "x"}, content_type="application/json")
    assert r.status_code == 404


def test_api_sheets(world, client_for):
    sup = client_for(world.supervisor)
    sheets = sup.get(f"{BASE}/sheets/").json()["results"]
    default = next(s for s in sheets if s["name"] == DEFAULT_SHEET_NAME)
    assert default["is_local_default"] and any(i["is_veto"] for i in default["items"])
    r = sup.post(f"{BASE}/sheets/{default['id']}/items/", {"code": "Z9", "category": "document", "text": "新项目",
                                                           "max_points": "2"}, content_type="application/json")
    assert r.status_code == 201
    r = sup.patch(f"{BASE}/sheets/{default['id']}/", {"pass_min": "60", "version": default["version"]},
                  content_type="application/json")
    assert r.status_code == 409  # adding the item moved the version
    r = client_for(world.officer_a).post(f"{BASE}/sheets/", {"name": "x"}, content_type="application/json")
    assert r.status_code == 403


def test_pages_scoring_form_and_lists(world, closed_cases, client_for, django_assert_max_num_queries):
    c = services.create_campaign(actor=world.supervisor, org=world.supervision_office, title="页面评查",
                                 period_start=date(2026, 1, 1), period_end=date(2026, 10, 31),
                                 targets=[(world.dept_a, "count", 16)], evaluators=[world.supervisor])
    c = services.sample(actor=world.supervisor, campaign=c, seed=5)
    services.campaign_transition(actor=world.supervisor, campaign=c, action="start")
    sup = client_for(world.supervisor)
    f = c.files.get(case=closed_cases["one_officer"])
    page = sup.get(f"/supervision/evaluation/files/{f.pk}/").content.decode()
    assert "客观项建议" in page and "评查丙" in page and "score-form" in page
    sug = f.suggestions.get(item__code="P1")
    post = {"version": f.version, f"sug_{sug.pk}": "confirm", "submit": "1"}
    for s in f.suggestions.exclude(pk=sug.pk):
        post[f"sug_{s.pk}"], post[f"sugr_{s.pk}"] = "reject", "纸质卷宗有记录"
    sup.post(f"/supervision/evaluation/files/{f.pk}/op/score/", post)
    f.refresh_from_db()
    assert f.state == FileState.SUBMITTED and f.grade == "fail"
    assert "不合格" in sup.get(f"/supervision/evaluation/files/{f.pk}/").content.decode()
    for url in ("/supervision/evaluation/", "/supervision/evaluation/campaigns/", "/supervision/evaluation/files/",
                f"/supervision/evaluation/campaigns/{c.pk}/", "/supervision/evaluation/sheets/",
                f"/supervision/evaluation/sheets/{c.sheet_id}/"):
        assert sup.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as few_files:
        sup.get("/supervision/evaluation/files/")
    with CaptureQueriesContext(connection) as few_campaigns:
        sup.get("/supervision/evaluation/campaigns/")
    for i in range(3):
        more = services.create_campaign(actor=world.supervisor, org=world.supervision_office, title=f"另一次{i}",
                                        period_start=date(2026, 1, 1), period_end=date(2026, 10, 31),
                                        targets=[(world.town_a, "count", 3)])
        services.sample(actor=world.supervisor, campaign=more, seed=i)
    assert EvaluationFile.objects.filter(campaign__org=world.supervision_office).count() == 25
    with django_assert_max_num_queries(len(few_campaigns.captured_queries)):
        sup.get("/supervision/evaluation/campaigns/")
    with django_assert_max_num_queries(len(few_files.captured_queries)):
        sup.get("/supervision/evaluation/files/")
    with django_assert_max_num_queries(len(few_files.captured_queries) + 2):
        sup.get(f"{BASE}/files/")
    r = sup.get(f"/supervision/evaluation/campaigns/{c.pk}/export/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    other = client_for(world.town_b_legal)
    assert other.get(f"/supervision/evaluation/campaigns/{c.pk}/").status_code == 404
    assert other.get(f"/supervision/evaluation/files/{f.pk}/").status_code == 404
    # the evaluated unit sees its own file, read-only
    unit = client_for(world.dept_a_legal)
    body = unit.get(f"/supervision/evaluation/files/{f.pk}/").content.decode()
    assert "不合格" in body and "score-form" not in body
    assert Campaign.objects.visible_to(world.dept_a_legal).filter(pk=c.pk).count() == 0


def test_pages_create_sample_and_evaluators(world, closed_cases, client_for):
    sup = client_for(world.supervisor)
    sheet = ScoringSheet.objects.get(name=DEFAULT_SHEET_NAME)
    r = sup.post("/supervision/evaluation/campaigns/new/", {
        "org": world.supervision_office.pk, "title": "页面新建评查", "period_start": "2026-01-01",
        "period_end": "2026-10-31", "sheet": sheet.pk, "targets": [world.dept_a.pk, world.town_a.pk],
        "quota_kind": "count", "quota_value": "6", "evaluators": [world.supervisor.pk]})
    c = Campaign.objects.get(title="页面新建评查")
    assert r.status_code == 302
    sup.post(f"/supervision/evaluation/campaigns/{c.pk}/op/sample/", {"seed": "11", "version": c.version})
    c.refresh_from_db()
    assert c.state == "draft" and not c.files.exists()  # town_a closed only 5: refused
    t = c.targets.get(org=world.town_a)
    sup.post(f"/supervision/evaluation/campaigns/{c.pk}/op/quotas/", {
        "version": c.version, f"kind_{t.pk}": "percent", f"value_{t.pk}": "60"})
    c.refresh_from_db()
    sup.post(f"/supervision/evaluation/campaigns/{c.pk}/op/sample/", {"seed": "11", "version": c.version})
    c.refresh_from_db()
    assert c.state == "sampled" and c.seed == 11 and c.files.count() == 9
    sup.post(f"/supervision/evaluation/campaigns/{c.pk}/op/evaluators/", {
        "version": c.version, "evaluators": [world.supervisor.pk, world.dept_a_legal.pk]})
    assert set(c.evaluator_links.values_list("user_id", flat=True)) == {world.supervisor.pk, world.dept_a_legal.pk}
    body = sup.get("/supervision/evaluation/files/?year=2030").content.decode()
    assert "EV-A-" not in body
