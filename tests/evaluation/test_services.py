"""Services: reproducible sampling with quotas, objective items pre-filled from case data,
scoring (100 − deductions, veto → 不合格, thresholds from the sheet), optimistic locking,
conclusion and the 案卷评查通报, metrics for other modules."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from yifa.core.errors import DomainError, StaleVersion
from yifa.core.workflows import GuardFailed
from yifa.supervision.evaluation import selectors, services
from yifa.supervision.evaluation.defaults import DEFAULT_ITEMS, DEFAULT_SHEET_NAME
from yifa.supervision.evaluation.models import (Campaign, CampaignState, FileState, Grade,
                                                ScoringSheet, SuggestionState)

pytestmark = pytest.mark.django_db
P = date(2026, 1, 1), date(2026, 10, 31)


def make_campaign(world, targets=None, evaluators=None, **kw):
    targets = targets if targets is not None else [(world.dept_a, "count", 5), (world.town_a, "percent", 40)]
    return services.create_campaign(actor=world.supervisor, org=world.supervision_office, title="2026年度案卷评查",
                                    period_start=P[0], period_end=P[1], targets=targets,
                                    evaluators=evaluators if evaluators is not None else [world.supervisor,
                                                                                          world.dept_a_legal], **kw)


def item(code):
    return ScoringSheet.objects.get(name=DEFAULT_SHEET_NAME).items.get(code=code)


def started(world, closed_cases, **kw):
    c = make_campaign(world, **kw)
    c = services.sample(actor=world.supervisor, campaign=c, seed=42)
    return services.campaign_transition(actor=world.supervisor, campaign=c, action="start")


def test_default_sheet_is_seeded_as_local_default():
    s = ScoringSheet.objects.get(name=DEFAULT_SHEET_NAME)
    assert s.is_local_default and s.excellent_min == 90 and s.pass_min == 70
    assert s.items.count() == len(DEFAULT_ITEMS)
    assert set(s.items.values_list("category", flat=True)) == {"filing", "substance", "procedure", "document"}
    assert s.items.get(code="P2").is_veto and "陈述" in s.items.get(code="P2").text
    assert s.items.get(code="P1").is_veto and s.items.get(code="P1").check_code == "two_officers"


def test_sampling_is_reproducible_and_respects_quotas(world, closed_cases):
    c = make_campaign(world)
    c = services.sample(actor=world.supervisor, campaign=c, seed=12345)
    assert c.state == CampaignState.SAMPLED and c.seed == 12345
    files = list(c.files.order_by("seq"))
    by_org = {}
    for f in files:
        by_org.setdefault(f.org_id, []).append(f.case_id)
    assert len(by_org[world.dept_a.pk]) == 5
    assert len(by_org[world.town_a.pk]) == 2  # 40% of 5, rounded up
    allowed = {x.pk for x in closed_cases["dept_a"] + closed_cases["town_a"]}
    assert {f.case_id for f in files} <= allowed  # closed, inside the period, of the target units
    t = c.targets.get(org=world.dept_a)
    assert t.available == 16 and t.sampled == 5
    first = sorted(f.case_id for f in files)
    c = services.sample(actor=world.supervisor, campaign=c, seed=999)
    other = sorted(c.files.values_list("case_id", flat=True))
    c = services.sample(actor=world.supervisor, campaign=c, seed=12345)
    again = sorted(c.files.values_list("case_id", flat=True))
    assert again == first and other != first
    assert c.files.count() == 7


def test_sampling_without_seed_records_one(world, closed_cases):
    c = services.sample(actor=world.supervisor, campaign=make_campaign(world))
    assert c.seed is not None
    ids = sorted(c.files.values_list("case_id", flat=True))
    c = services.sample(actor=world.supervisor, campaign=c, seed=c.seed)
    assert sorted(c.files.values_list("case_id", flat=True)) == ids


def test_quota_above_available_is_refused_with_message(world, closed_cases):
    c = make_campaign(world, targets=[(world.dept_a, "count", 5), (world.town_a, "count", 9)])
    with pytest.raises(DomainError) as exc:
        services.sample(actor=world.supervisor, campaign=c, seed=1)
    assert "南湖镇" in exc.value.message and "9 件" in exc.value.message and "只有 5 件" in exc.value.message
    c.refresh_from_db()
    assert c.state == CampaignState.DRAFT and not c.files.exists()


def test_quota_validation(world, closed_cases):
    with pytest.raises(DomainError):
        make_campaign(world, targets=[(world.dept_a, "percent", 120)])
    with pytest.raises(DomainError):
        make_campaign(world, targets=[(world.dept_a, "count", Decimal("2.5"))])
    with pytest.raises(DomainError, match="相互包含"):
        make_campaign(world, targets=[(world.dept_a, "count", 1), (world.dept_a_unit, "count", 1)])
    with pytest.raises(DomainError):
        make_campaign(world, targets=[])


def test_scope_department_unit_only_within_department(world, closed_cases):
    with pytest.raises(PermissionDenied):
        services.create_campaign(actor=world.dept_a_legal, org=world.supervision_office, title="越权",
                                 period_start=P[0], period_end=P[1], targets=[(world.dept_a, "count", 1)])
    with pytest.raises(DomainError, match="监督范围"):
        services.create_campaign(actor=world.dept_a_legal, org=world.dept_a_unit, title="越权",
                                 period_start=P[0], period_end=P[1], targets=[(world.town_a, "count", 1)])
    c = services.create_campaign(actor=world.dept_a_legal, org=world.dept_a_unit, title="市场局内部评查",
                                 period_start=P[0], period_end=P[1], targets=[(world.dept_a, "count", 3)],
                                 evaluators=[world.dept_a_legal])
    assert Campaign.objects.visible_to(world.dept_a_legal).filter(pk=c.pk).exists()
    assert not Campaign.objects.visible_to(world.dept_b_legal).filter(pk=c.pk).exists()
    assert Campaign.objects.visible_to(world.supervisor).filter(pk=c.pk).exists()
    with pytest.raises(Http404):
        services.sample(actor=world.dept_b_legal, campaign=c, seed=1)


def test_objective_items_prefilled_from_case_data(world, closed_cases):
    targets = [(world.dept_a, "count", 16)]  # every closed 2026 case of dept_a
    c = services.sample(actor=world.supervisor, campaign=make_campaign(world, targets=targets), seed=3)
    found = {}
    for f in c.files.prefetch_related("suggestions__item"):
        found[f.case_id] = {s.item.code for s in f.suggestions.all()}
    assert "P1" in found[closed_cases["one_officer"].pk]
    assert "P5" in found[closed_cases["unserved"].pk]
    assert "P4" in found[closed_cases["late"].pk]
    assert "P3" in found[closed_cases["no_review"].pk]
    clean = closed_cases["dept_a"][0].pk
    assert found[clean] == {"P6"}  # no process records uploaded for any test case
    s = c.files.get(case=closed_cases["one_officer"]).suggestions.get(item__code="P1")
    assert "评查丙" in s.detail and "1 人" in s.detail


def test_missed_tracked_deadline_is_a_late_step(world, closed_cases):
    from yifa.deadlines import services as ds

    case = closed_cases["dept_a"][1]
    d = ds.start_deadline(actor=None, owner=case, rule_code="penalty.service", start=date(2026, 3, 1),
                          org=world.dept_a)
    ds.close_deadline(actor=None, deadline=d, met_on=date(2026, 4, 30))
    from yifa.supervision.evaluation import checks

    codes = dict(checks.compute([case.pk])[case.pk])
    assert "late_steps" in codes and "届满" in codes["late_steps"]


def test_scoring_veto_fails_file_whatever_the_score(world, closed_cases):
    c = started(world, closed_cases)
    f = c.files.order_by("seq").first()
    decisions = [{"suggestion": s.pk, "decision": "reject", "reason": "纸质卷宗中有记录"} for s in f.suggestions.all()]
    f = services.score_file(actor=world.dept_a_legal, file=f, deductions=[{"item": item("P2").pk, "note": "未告知"}],
                            decisions=decisions, submit=True, expected_version=f.version)
    assert f.state == FileState.SUBMITTED and f.veto and f.score == 100 and f.grade == Grade.FAIL
    assert f.problem_count == 1 and f.deductions.get().is_veto


def test_scoring_thresholds_and_floor(world, closed_cases):
    c = started(world, closed_cases)
    files = list(c.files.order_by("seq"))

    def score(f, codes_points):
        decisions = [{"suggestion": s.pk, "decision": "reject", "reason": "不成立"} for s in f.suggestions.all()]
        return services.score_file(actor=world.supervisor, file=f, submit=True, decisions=decisions,
                                   deductions=[{"item": item(code).pk, "points": p} for code, p in codes_points])

    assert score(files[0], [("L1", 5), ("W1", 3)]).grade == Grade.EXCELLENT  # 92
    f = score(files[1], [("L1", 5), ("S6", 10), ("W2", 5)])
    assert f.score == 80 and f.grade == Grade.PASS
    f = score(files[2], [("S4", 8), ("S5", 8), ("S6", 10), ("L1", 5)])
    assert f.score == 69 and f.grade == Grade.FAIL
    sheet = c.sheet
    services.update_sheet(actor=world.supervisor, sheet=sheet, pass_min=Decimal("60"))
    sheet.refresh_from_db()
    assert services.compute_score(sheet, [{"points": 31, "is_veto": False}]).grade == Grade.PASS
    assert services.compute_score(sheet, [{"points": 80, "is_veto": False}, {"points": 50, "is_veto": False}]).score == 0


def test_scoring_refusals(world, closed_cases):
    c = started(world, closed_cases)
    f = c.files.order_by("seq").first()
    with pytest.raises(PermissionDenied):
        services.score_file(actor=world.dept_b_legal, file=f, deductions=[])
    with pytest.raises(DomainError, match="不超过 5"):
        services.score_file(actor=world.supervisor, file=f, deductions=[{"item": item("L1").pk, "points": 6}])
    with pytest.raises(DomainError, match="未确认或排除"):
        services.score_file(actor=world.supervisor, file=f, deductions=[], submit=True)
    s = f.suggestions.first()
    with pytest.raises(DomainError, match="理由"):
        services.score_file(actor=world.supervisor, file=f, decisions=[{"suggestion": s.pk, "decision": "reject"}])
    f = services.score_file(actor=world.supervisor, file=f, deductions=[{"item": item("L1").pk, "points": 2}],
                            expected_version=f.version)
    with pytest.raises(StaleVersion):
        services.score_file(actor=world.dept_a_legal, file=f, deductions=[], expected_version=f.version - 1)
    f.refresh_from_db()
    assert f.deducted == 2 and f.state == FileState.PENDING


def test_confirmed_suggestion_becomes_a_problem(world, closed_cases):
    c = started(world, closed_cases, targets=[(world.dept_a, "count", 16)])
    f = c.files.get(case=closed_cases["late"])
    decisions = [{"suggestion": s.pk, "decision": "confirm" if s.item.code == "P4" else "reject", "reason": "否"}
                 for s in f.suggestions.select_related("item")]
    f = services.score_file(actor=world.supervisor, file=f, decisions=decisions, submit=True)
    d = f.deductions.get()
    assert d.item.code == "P4" and d.points == 5 and d.source == "suggested"
    assert f.score == 95 and f.grade == Grade.EXCELLENT
    assert f.suggestions.get(item__code="P4").state == SuggestionState.CONFIRMED
    f = services.reopen_file(actor=world.supervisor, file=f, reason="复核")
    assert f.state == FileState.PENDING and f.grade == ""


def test_conclude_results_notice_and_metrics(world, closed_cases, django_capture_on_commit_callbacks, client_for):
    c = started(world, closed_cases)
    with pytest.raises(GuardFailed, match="未评定"):
        services.campaign_transition(actor=world.supervisor, campaign=c, action="conclude")
    for i, f in enumerate(c.files.order_by("seq")):
        decisions = [{"suggestion": s.pk, "decision": "reject", "reason": "不成立"} for s in f.suggestions.all()]
        ded = [{"item": item("P2").pk}] if i == 0 else [{"item": item("W1").pk, "points": 2},
                                                        {"item": item("L3").pk, "points": 1}] if i < 3 else []
        services.score_file(actor=world.supervisor, file=f, deductions=ded, decisions=decisions, submit=True,
                            on=date(2026, 11, 10))
    c = services.campaign_transition(actor=world.supervisor, campaign=c, action="conclude")
    res = selectors.campaign_results(c)
    assert res["totals"]["evaluated"] == 7 and res["totals"]["problems"] == 5 and res["totals"]["fail"] == 1
    assert res["totals"]["by_category"] == {"filing": 2, "substance": 0, "procedure": 1, "document": 2}
    row = next(r for r in res["rows"] if r["org"] == world.dept_a.pk)
    assert row["evaluated"] == 5 and row["fail"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        c = services.issue_notice(actor=world.supervisor, campaign=c, on=date(2026, 11, 20))
    from yifa.core.models import Notification

    note = Notification.objects.get(recipient=world.dept_a_legal, dedupe_key=f"evaluation.campaign.{c.pk}.notice")
    assert c.notice_number in note.title
    assert client_for(world.dept_a_legal).get(note.url).status_code == 200
    assert not Notification.objects.filter(recipient=world.dept_b_legal, dedupe_key=note.dedupe_key).exists()
    assert c.notice.doc_type == "evaluation_notice" and c.notice_number
    from yifa.documents.models import media_path

    xml = zipfile.ZipFile(io.BytesIO(media_path(c.notice.docx_file).read_bytes())).read(
        "word/document.xml").decode()
    assert "评查案卷 7 份" in xml and "发现问题 5 个" in xml
    with pytest.raises(DomainError, match="已印发"):
        services.issue_notice(actor=world.supervisor, campaign=c)
    m = selectors.evaluation_metrics(world.county, date(2026, 1, 1), date(2026, 12, 31))
    assert m["files_evaluated"] == 7 and m["problems_found"] == 5 and m["grades"]["fail"] == 1
    assert selectors.evaluation_metrics(world.town_a)["files_evaluated"] == 2
    assert selectors.evaluation_metrics(world.dept_a)["problems_found"] == 5
    assert selectors.evaluation_metrics(world.county, date(2027, 1, 1), None)["files_evaluated"] == 0


def test_sheet_editing(world):
    s = services.create_sheet(actor=world.supervisor, name="专项评查标准", copy_from=ScoringSheet.objects.get(
        name=DEFAULT_SHEET_NAME))
    assert s.items.count() == len(DEFAULT_ITEMS)
    i = services.add_item(actor=world.admin, sheet=s, code="X1", category="document", text="测试项目",
                          max_points=4)
    with pytest.raises(DomainError):
        services.add_item(actor=world.admin, sheet=s, code="X1", category="document", text="重复", max_points=1)
    with pytest.raises(DomainError):
        services.update_sheet(actor=world.admin, sheet=s, excellent_min=60, pass_min=70)
    with pytest.raises(PermissionDenied):
        services.add_item(actor=world.officer_a, sheet=s, code="X2", category="document", text="x", max_points=1)
    i = services.update_item(actor=world.admin, item=i, is_veto=True)
    assert i.is_veto and i.max_points == 0
