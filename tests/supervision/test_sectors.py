"""点穴式监督: inspections and findings carry a sector (a data table the administrator edits);
statistics by sector; 查处准确率 by sector and year from case-file evaluation and online
supervision results."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from yifa.core.errors import DomainError
from yifa.enforcement.models import Case, EnforcementItem, Sector
from yifa.supervision import services
from yifa.supervision.evaluation.models import Campaign, EvaluationFile, ScoringSheet
from yifa.supervision.models import Clue, Finding, Inspection
from yifa.supervision.statistics import accuracy_by_sector, by_sector

pytestmark = pytest.mark.django_db


def sector(code):
    return Sector.objects.get(code=code)


def test_sectors_are_seeded_as_data_in_order():
    assert list(Sector.objects.values_list("name", flat=True)) == [
        "食品药品", "生态环境", "安全生产", "市场监管", "交通运输", "自然资源", "城市管理", "其他"]


def test_findings_take_the_inspections_sector_and_statistics_split_by_sector(world):
    w = world
    from yifa.supervision.models import Notice, OpinionLetter, SupervisionDecision

    for model in (SupervisionDecision, Notice, OpinionLetter, Clue, Finding, Inspection):
        model.objects.filter(org__in=[w.town_a, w.town_b]).delete()
    food, env = sector("food_drug"), sector("environment")
    insp = services.create_inspection(actor=w.supervisor, org=w.supervision_office, kind="special",
                                      title="食品安全点穴式专项检查", period_start=date(2025, 5, 1),
                                      period_end=date(2025, 5, 31), targets=[w.dept_a], sector=food)
    f1 = services.raise_finding(actor=w.supervisor, org=w.dept_a, category="procedure", description="以罚代管",
                                on=date(2025, 5, 10), inspection=insp)
    f2 = services.raise_finding(actor=w.supervisor, org=w.dept_b, category="procedure", description="未按规定监测",
                                on=date(2025, 5, 12), sector=env.pk)
    services.raise_finding(actor=w.supervisor, org=w.dept_b, category="procedure", description="无领域问题",
                           on=date(2025, 5, 12))
    assert f1.sector == food and f2.sector == env
    services.correct_finding(actor=w.dept_a_legal, finding=f1, evidence="已整改", on=date(2025, 6, 1))
    env.is_active = False
    env.save()
    with pytest.raises(DomainError, match="执法领域"):
        services.raise_finding(actor=w.supervisor, org=w.dept_b, category="procedure", description="停用领域",
                               sector=env)
    rows = {r["name"]: r for r in by_sector(w.supervisor, date(2025, 1, 1), date(2025, 12, 31))}
    assert (rows["食品药品"]["inspections"], rows["食品药品"]["findings"], rows["食品药品"]["finding_correction_rate"]) == (1, 1, 100.0)
    # a retired sector still shows while it has records; records without one are 未分领域
    assert rows["生态环境"]["findings"] == 1 and rows["未分领域"]["findings"] == 1
    assert rows["安全生产"]["findings"] == 0
    # the API shows the sector in words
    c_api = __import__("django.test", fromlist=["Client"]).Client()
    c_api.force_login(w.supervisor)
    got = c_api.get(f"/api/v1/supervision/findings/{f1.pk}/").json()
    assert got["sector_name"] == "食品药品"


@pytest.fixture
def judged(world):
    """Across New Year 2025/2026: evaluated files and handled clues on food and environment cases."""
    w = world
    food, env = sector("food_drug"), sector("environment")
    items = {s: EnforcementItem.objects.create(org=w.dept_a, code=f"ACC-{s.code}", name=f"{s.name}处罚",
                                               category="penalty", legal_basis="法", sector=s) for s in (food, env)}
    n = iter(range(1000))

    def case(s):
        i = next(n)
        return Case.objects.create(org=w.dept_a, case_no=f"ACC-{i}", title="案", item=items[s], party_name="当事人",
                                   filed_on=date(2025, 3, 1), source_case_no=f"ACC-{i}")

    sheet = ScoringSheet.objects.create(name="准确率测试标准")
    camp = Campaign.objects.create(org=w.supervision_office, title="准确率评查", period_start=date(2025, 1, 1),
                                   period_end=date(2025, 12, 31), sheet=sheet, state="scoring")
    seq = iter(range(1, 1000))
    for s, grade, day in ((food, "excellent", date(2025, 12, 31)), (food, "pass", date(2025, 6, 1)),
                          (food, "fail", date(2025, 7, 1)), (food, "pass", date(2026, 1, 2)),
                          (env, "fail", date(2026, 1, 5))):
        EvaluationFile.objects.create(campaign=camp, org=w.dept_a, case=case(s), seq=next(seq), state="submitted",
                                      grade=grade, submitted_on=day, score=Decimal("80"))
    # a file not yet graded is not judged
    EvaluationFile.objects.create(campaign=camp, org=w.dept_a, case=case(food), seq=next(seq))
    for s, state, day in ((food, "dismissed", date(2025, 8, 1)), (env, "confirmed", date(2025, 9, 1)),
                          (env, "dismissed", date(2026, 2, 1)), (env, "open", None)):
        Clue.objects.create(org=w.dept_a, rule_code="x", case=case(s), raised_on=date(2025, 7, 1), state=state,
                            handled_on=day)
    return w


def test_accuracy_by_sector_and_year(judged):
    acc = accuracy_by_sector(judged.supervisor, [2025, 2026])
    rows = {r["name"]: {c["year"]: (c["judged"], c["correct"], c["rate"]) for c in r["years"]} for r in acc["rows"]}
    # food 2025: 3 files (2 correct) + 1 dismissed clue = 3 of 4; 2026: 1 of 1
    assert rows["食品药品"] == {2025: (4, 3, 75.0), 2026: (1, 1, 100.0)}
    # environment 2025: a confirmed clue; 2026: a failed file and a dismissed clue
    assert rows["生态环境"] == {2025: (1, 0, 0.0), 2026: (2, 1, 50.0)}
    assert rows["安全生产"] == {2025: (0, 0, None), 2026: (0, 0, None)}
    assert [(c["judged"], c["correct"]) for c in acc["total"]] == [(5, 3), (3, 2)]
    # scope: a township sees none of the department's
    assert all(c["judged"] == 0 for r in accuracy_by_sector(judged.town_a_legal, [2025, 2026])["rows"]
               for c in r["years"] if r["name"] != "未分领域")


def test_statistics_page_and_export_show_sectors_and_accuracy(judged, client_for):
    c = client_for(judged.supervisor)
    html = c.get("/supervision/statistics/?start=2026-01-01&end=2026-12-31").content.decode()
    assert 'id="sector-table"' in html and 'id="accuracy-table"' in html
    assert "75.0% <small class=\"text-muted\">（3/4）</small>" in html
    resp = c.get("/supervision/statistics/export.xlsx?start=2026-01-01&end=2026-12-31")
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    rows = {r[0]: r for r in wb["查处准确率"].iter_rows(values_only=True)}
    assert rows["食品药品"][1:4] == (0, 4, 1) and rows["食品药品"][-2:] == (75.0, 100.0)
    assert "食品药品" in {r[0] for r in wb["按执法领域"].iter_rows(values_only=True)}


def test_leader_dashboard_shows_accuracy_by_year(judged, client_for):
    """The speech's 查处准确率 on the leader's dashboard: per year, computed from the same
    records as the statistics page (2025: 3 of 5 judged correct; 2026: 2 of 3)."""
    leader = client_for(judged.leader)
    html = leader.get("/reports/?start=2026-01&end=2026-12").content.decode()
    assert 'id="section-accuracy"' in html
    assert 'id="fig-accuracy-2025">60.0%' in html and "3 / 5 件查处正确" in html
    assert 'id="fig-accuracy-2026">66.7%' in html and "2 / 3 件查处正确" in html


def test_accuracy_totals_equal_the_sector_table_total(judged):
    from yifa.supervision.statistics import accuracy_totals

    assert accuracy_totals(judged.supervisor, [2025, 2026]) == accuracy_by_sector(judged.supervisor, [2025, 2026])["total"]
