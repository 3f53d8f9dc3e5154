"""The pre-review assistant: the quality gate on the labelled clauses, and hints on items."""

import importlib.util
from pathlib import Path

from yifa.review import precheck

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_precheck", ROOT / "bench" / "precheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_large_enough_and_balanced():
    bench = _bench()
    samples = bench.load_samples(bench.SAMPLES) + bench.load_samples(bench.HOLDOUT)
    labels = [label for label, _ in samples]
    assert len(samples) >= 150
    assert labels.count("none") >= 50 and len(labels) - labels.count("none") >= 100
    assert {"permit", "penalty", "coercion", "fee", "business", "obligation"} <= set(labels)


def test_quality_gate_precision_and_recall():
    bench = _bench()
    for path in (bench.SAMPLES, bench.HOLDOUT):
        result = bench.evaluate(bench.load_samples(path))
        assert result["precision"] >= 0.9, (path.name, result["errors"])
        assert result["recall"] >= 0.8, (path.name, result["errors"])


def test_hint_quotes_clause_and_cites_basis():
    text = "第一条 为加强管理，制定本办法。\n第五条 违反本办法的，处五百元罚款。第六条 本办法由县司法局负责解释。"
    hints = precheck.check_text(text)
    assert len(hints) == 1
    h = hints[0]
    assert h.category == "penalty" and "处五百元罚款" in h.quote and "行政处罚法" in h.basis


def test_restating_the_law_is_not_flagged():
    assert not precheck.check_clause("违反本办法规定的，依照《中华人民共和国城乡规划法》有关规定予以处罚。")
    assert not precheck.check_clause("行政机关不得违规收取任何费用。")


def test_missing_procedures_by_type():
    missing = precheck.missing_procedures("major_decision", {"legal_basis": "x"})
    codes = {m.code for m in missing}
    assert {"procedure.expert_argumentation", "procedure.risk_assessment", "procedure.drafting_explanation"} <= codes
    assert "procedure.counterparty" not in codes
