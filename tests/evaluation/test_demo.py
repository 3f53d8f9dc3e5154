"""The demo's scoring: problems chosen by the loader, scores and grades computed by the
service's `compute_score`, figures read back from the records."""

import random
from datetime import date

import pytest

from yifa.supervision.evaluation import demo, services
from yifa.supervision.evaluation.models import CampaignState, Deduction, EvaluationFile, Suggestion
from yifa.supervision.evaluation.selectors import evaluation_metrics

pytestmark = pytest.mark.django_db


def test_demo_scoring_hits_target_from_records(world, closed_cases, monkeypatch):
    monkeypatch.setattr(demo, "PROBLEM_TARGET", 20)
    sheet = services.default_sheet()
    c = demo._campaign(world.supervision_office, "演示评查", (date(2026, 1, 1), date(2026, 10, 31)), sheet, 9,
                       CampaignState.CONCLUDED, date(2026, 11, 1), date(2026, 11, 20))
    files, suggestions = demo._sample(c, [(world.dept_a, 10), (world.town_a, 9)], [world.supervisor])
    assert len(files) == 19  # town_a closed only 5: the shortfall moved to dept_a
    per_file = {}
    for s in suggestions:
        per_file.setdefault(id(s.file), []).append(s)
    scored = [(f, per_file.get(id(f), []), c) for f in files]
    deductions = demo._score_all(random.Random(1), sheet, scored, {i.code: i for i in sheet.items.all()})
    EvaluationFile.objects.bulk_create(files)
    Suggestion.objects.bulk_create(suggestions)
    Deduction.objects.bulk_create(deductions)
    m = evaluation_metrics(world.county)
    assert m["files_evaluated"] == 19 and m["problems_found"] == 20
    for f in EvaluationFile.objects.filter(campaign=c).prefetch_related("deductions"):
        expected = services.compute_score(sheet, list(f.deductions.all()))
        assert (f.score, f.grade, f.problem_count) == (expected.score, expected.grade, expected.problems)
    assert not Suggestion.objects.filter(file__campaign=c, state="pending").exists()
