"""The pre-review assistant: corpus, shipped model, rules + classifier hints, the bench."""

import importlib.util
from pathlib import Path

import pytest

from yifa.review import precheck, precheck_model

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_precheck", ROOT / "bench" / "precheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_is_large_varied_and_labelled_with_the_eight_categories():
    from yifa.review.precheck_train import load_corpus

    rows = load_corpus()
    labels = [label for label, _, _ in rows]
    assert len(rows) >= 800
    assert set(labels) == set(precheck_model.CATEGORIES)
    assert labels.count("none") >= 300
    assert len({text for _, text, _ in rows}) == len(rows)  # no duplicate clause
    # written by hand (or folded in from the first sample set) is the bulk; templates a minority
    sources = [source for _, _, source in rows]
    assert sources.count("template") * 3 < len(rows)
    # the hold-out stays out of the corpus, so its figures stay honest
    holdout = {text for _, text in _bench().load_samples(_bench().HOLDOUT)}
    assert not holdout & {text for _, text, _ in rows}


def test_shipped_model_was_built_from_the_corpus_as_it_is():
    """Rebuild with `scripts/build_precheck_model.py` after changing the corpus."""
    model = precheck_model.load()
    assert model.data["corpus_sha256"] == precheck_model.corpus_sha256(), "corpus changed: rebuild model.json"
    assert set(model.classes) == set(precheck_model.CATEGORIES)
    assert 0 < model.threshold < 1


@pytest.mark.parametrize("clause, category", [
    ("从事民宿经营的，应当取得县文旅局出具的备案证明后方可营业。", "permit"),
    ("对违反本规定的商户，由县城管局责令停业整顿三日。", "penalty"),
    ("对非法营运车辆，暂扣车辆至案件处理完毕。", "coercion"),
    ("全县中小学校服统一由县某某服装有限公司供应。", "business"),
    ("享受人才补贴的人员，须承诺三年内不得迁出本县。", "obligation"),
    ("对信息公开申请，行政机关可视情况决定是否答复。", "duty"),
])
def test_assistant_flags_clear_clauses(clause, category):
    assert category in {h.category for h in precheck.check_clause(clause)}


@pytest.mark.parametrize("clause", [
    "本办法由县司法局负责解释。",
    "所需经费列入县级财政预算，专款专用。",
    "县政府对在垃圾分类工作中成绩突出的单位和个人给予表彰。",
    "镇政府应当自收到申请之日起二十日内作出答复。",
])
def test_assistant_passes_clear_lawful_clauses(clause):
    assert precheck.check_clause(clause) == []


def test_model_hint_says_it_comes_from_the_model_with_its_confidence():
    model = precheck_model.load()
    clause = "全县中小学校服统一由县某某服装有限公司供应。"
    hints = precheck.check_clause(clause, model=model, threshold=0.0)
    assert precheck.rule_hints(clause) == []  # no keyword rule sees it: the hint is the model's
    hint = next(h for h in hints if h.category == "business")
    assert hint.source == "model" and hint.rule_code == "model.business" and hint.quote == clause
    assert "统计模型" in hint.explanation and f"（{hint.confidence:.2f}）" in hint.explanation
    # the words that moved the model are named, taken from the clause itself
    assert hint.matched and all(w in clause for w in hint.matched.split("、"))
    assert f"“{hint.matched.split('、')[0]}”" in hint.explanation
    assert "公平竞争审查条例" in hint.basis
    # rules alone: no hint
    assert precheck.check_clause(clause, model=None) == []


def test_pure_python_model_matches_scikit_learn():
    """The shipped model is applied without scikit-learn; its probabilities must equal
    scikit-learn's on the same training data."""
    pytest.importorskip("sklearn")
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from yifa.review.precheck_train import PARAMS, fit

    texts = ["须经批准后方可营业。", "处五百元罚款。", "本办法由县司法局负责解释。", "查封其经营场所。",
             "应当取得许可证后方可经营。", "并处一千元罚款。", "经费列入预算。", "扣押其车辆。"]
    labels = ["permit", "penalty", "none", "coercion", "permit", "penalty", "none", "coercion"]
    params = dict(PARAMS, min_df=1)
    model = precheck_model.Model(fit(texts, labels, params))
    vec = TfidfVectorizer(analyzer="char", ngram_range=params["ngram_range"], min_df=1,
                          max_features=params["max_features"], sublinear_tf=True,
                          preprocessor=precheck_model.normalize, lowercase=False)
    clf = LogisticRegression(C=params["C"], max_iter=3000, class_weight="balanced").fit(vec.fit_transform(texts), labels)
    probe = "未经批准，不得营业，违者处罚款。"
    expected = dict(zip(clf.classes_, clf.predict_proba(vec.transform([probe]))[0]))
    got = model.probabilities(probe)
    assert np.allclose([got[c] for c in clf.classes_], [expected[c] for c in clf.classes_], atol=2e-3)


def test_bench_reports_the_blind_file_as_absent_when_it_is_missing(tmp_path, capsys, monkeypatch):
    bench = _bench()
    monkeypatch.setattr(bench, "BLIND", tmp_path / "precheck_blind.csv")
    bench.main(["--no-cv"])
    out = capsys.readouterr().out
    assert "ABSENT" in out and "hold-out" in out and "precision" in out


def test_bench_evaluates_a_blind_file_when_present(tmp_path, capsys, monkeypatch):
    bench = _bench()
    blind = tmp_path / "precheck_blind.csv"
    blind.write_text("label,text\npenalty,违反本规定的，处五百元罚款。\nnone,本办法由县司法局负责解释。\n", encoding="utf-8")
    monkeypatch.setattr(bench, "BLIND", blind)
    bench.main(["--no-cv"])
    out = capsys.readouterr().out
    assert "ABSENT" not in out and "samples: 2 (positive 1, negative 1)" in out


def test_bench_counts_per_category():
    bench = _bench()
    result = bench.evaluate([("penalty", "a"), ("penalty", "b"), ("none", "c"), ("fee", "d")],
                            predict=lambda t: {"a": {"penalty"}, "b": set(), "c": {"penalty"}, "d": {"permit"}}[t])
    assert (result["tp"], result["fp"], result["fn"], result["tn"]) == (1, 2, 2, 0)
    assert result["per_category"]["penalty"] == {"tp": 1, "fp": 1, "fn": 1, "n": 2}
    assert result["per_category"]["permit"]["fp"] == 1


def test_hint_quotes_clause_and_cites_basis():
    text = "第一条 为加强管理，制定本办法。\n第五条 违反本办法的，处五百元罚款。第六条 本办法由县司法局负责解释。"
    hints = precheck.check_text(text)
    assert len(hints) == 1, hints
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
