"""Training the pre-review classifier (build time only: needs scikit-learn, from the `test`
extra). Used by `scripts/build_precheck_model.py` and `bench/precheck.py`; the web
application never imports this module, it reads the model file through `precheck_model`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from . import precheck
from .precheck_model import CATEGORIES, CORPUS, Model, corpus_sha256, normalize

PARAMS = {"ngram_range": (1, 3), "min_df": 2, "max_features": 6000, "C": 20.0, "sublinear_tf": True}
FOLDS = 5
SEED = 17
# The combined assistant (rules + classifier) must keep at least this precision in
# cross-validation; the lowest threshold that does is chosen (most recall).
TARGET_PRECISION = 0.9
THRESHOLDS = [round(0.20 + 0.025 * i, 3) for i in range(31)]  # 0.20 … 0.95


def load_corpus(path: Path = CORPUS) -> list[tuple[str, str, str]]:
    with open(path, encoding="utf-8") as f:
        rows = [(r["label"].strip(), r["text"].strip(), (r.get("source") or "").strip()) for r in csv.DictReader(f)]
    bad = {r[0] for r in rows} - set(CATEGORIES)
    if bad:
        raise ValueError(f"unknown labels in {path}: {sorted(bad)}")
    return [r for r in rows if r[1]]


def fit(texts: list[str], labels: list[str], params: dict = PARAMS) -> dict:
    """Train on (texts, labels) and return the model as data (what model.json holds)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char", ngram_range=params["ngram_range"], min_df=params["min_df"],
                          max_features=params["max_features"], sublinear_tf=params["sublinear_tf"],
                          preprocessor=normalize, lowercase=False, dtype=np.float64)
    x = vec.fit_transform(texts)
    clf = LogisticRegression(C=params["C"], max_iter=3000, class_weight="balanced")
    clf.fit(x, labels)
    classes = [str(c) for c in clf.classes_]
    coef = clf.coef_
    features = {}
    for gram, j in vec.vocabulary_.items():
        features[gram] = [round(float(vec.idf_[j]), 4)] + [round(float(coef[k, j]), 4) for k in range(len(classes))]
    return {"classes": classes, "ngram_range": list(params["ngram_range"]), "sublinear_tf": params["sublinear_tf"],
            "intercept": [round(float(b), 4) for b in clf.intercept_], "features": features, "threshold": 0.5}


def out_of_fold(rows, params: dict = PARAMS, folds: int = FOLDS, seed: int = SEED):
    """Stratified k-fold: for every clause, the model trained without its fold. Yields
    (fold number, test indices, Model)."""
    from sklearn.model_selection import StratifiedKFold

    labels = [r[0] for r in rows]
    texts = [r[1] for r in rows]
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for n, (train, test) in enumerate(skf.split(texts, labels), 1):
        data = fit([texts[i] for i in train], [labels[i] for i in train], params)
        yield n, list(test), Model(data)


def found_categories(text: str, model: Model | None, threshold: float | None = None) -> set[str]:
    return {h.category for h in precheck.check_clause(text, model=model, threshold=threshold)}


def choose_threshold(rows, params: dict = PARAMS) -> tuple[float, list[tuple[float, float, float]]]:
    """The lowest probability threshold at which rules + classifier keep TARGET_PRECISION
    across the folds, scored on the written clauses (template variants are trained on but not
    scored: their near-twins in other folds would flatter the figures).
    Returns (threshold, [(t, precision, recall)])."""
    probs: list[dict | None] = [None] * len(rows)
    rule_found: list[set] = [set()] * len(rows)
    for _n, test, model in out_of_fold(rows, params):
        for i in test:
            probs[i] = model.probabilities(rows[i][1])
            rule_found[i] = found_categories(rows[i][1], None)
    table = []
    for t in THRESHOLDS:
        tp = fp = fn = 0
        for (label, _text, src), p, rules in zip(rows, probs, rule_found):
            if src == "template":
                continue
            found = set(rules) | {c for c, v in p.items() if c != "none" and v >= t}
            if label == "none":
                fp += bool(found)
            elif label in found:
                tp += 1
            else:
                fn += 1
                fp += bool(found)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        table.append((t, precision, recall))
    ok = [row for row in table if row[1] >= TARGET_PRECISION]
    chosen = min(ok)[0] if ok else THRESHOLDS[-1]
    return chosen, table


def build(corpus: Path = CORPUS, params: dict = PARAMS) -> dict:
    rows = load_corpus(corpus)
    threshold, table = choose_threshold(rows, params)
    data = fit([r[1] for r in rows], [r[0] for r in rows], params)
    data["threshold"] = threshold
    data["corpus_sha256"] = corpus_sha256(corpus)
    data["corpus_size"] = len(rows)
    data["params"] = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
    data["threshold_table"] = [{"threshold": t, "precision": round(p, 4), "recall": round(r, 4)} for t, p, r in table]
    return data
