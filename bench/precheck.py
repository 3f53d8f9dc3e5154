"""Precision and recall of the pre-review assistant (keyword rules + statistical classifier).

Usage: .venv/bin/python bench/precheck.py [--verbose] [--no-cv]

1. The corpus (src/yifa/review/precheck_corpus/corpus.csv), stratified 5-fold
   cross-validation: the classifier is retrained on four folds and the fifth is scored with
   rules + classifier at the shipped threshold; reported on every clause and on the written
   clauses alone (template variants excluded from scoring). Needs scikit-learn (`test`
   extra); `--no-cv` skips it.
2. tests/review/precheck_holdout.csv (50 clauses written after the first rules, never in
   the corpus), with the shipped model.
3. tests/review/precheck_blind.csv, a hold-out written blind from the category definitions
   only, with the shipped model — when the file is present; the bench says so when it is not.

A clause counts as a true positive of its category when the assistant flags that category;
a flag of another category (or any flag on a `none` clause) is a false positive of the
flagged category; a positive clause without its category is a false negative. Overall:
a positive clause is TP when its category is among the flags, else FN (and also FP when
something else was flagged); a flagged `none` clause is FP.
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from yifa.review import precheck  # noqa: E402
from yifa.review.precheck_model import CATEGORIES, load  # noqa: E402

HOLDOUT = ROOT / "tests" / "review" / "precheck_holdout.csv"
BLIND = ROOT / "tests" / "review" / "precheck_blind.csv"
POSITIVE = [c for c in CATEGORIES if c != "none"]


def load_samples(path):
    with open(path, encoding="utf-8") as f:
        return [(row["label"].strip(), row["text"].strip()) for row in csv.DictReader(f) if (row["text"] or "").strip()]


def evaluate(samples, predict=None):
    """samples: [(label, text)]; predict(text) -> set of flagged categories (default: the
    shipped assistant)."""
    if predict is None:
        def predict(text):
            return {h.category for h in precheck.check_clause(text)}

    tp = fp = fn = tn = 0
    per = {c: {"tp": 0, "fp": 0, "fn": 0, "n": 0} for c in CATEGORIES}
    errors = []
    for label, text in samples:
        found = set(predict(text))
        per[label]["n"] += 1
        for c in found - {label}:
            per[c]["fp"] += 1
        if label == "none":
            if found:
                fp += 1
                errors.append(("FP", label, sorted(found), text))
            else:
                tn += 1
            continue
        if label in found:
            tp += 1
            per[label]["tp"] += 1
        else:
            fn += 1
            per[label]["fn"] += 1
            if found:
                fp += 1
            errors.append(("FN", label, sorted(found), text))
    return {"samples": len(samples), "positives": tp + fn, "negatives": sum(1 for s in samples if s[0] == "none"),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
            "per_category": per, "errors": errors}


def _rel(path):
    try:
        return path.relative_to(ROOT)
    except ValueError:
        return path


def _ratio(a, b):
    return a / b if b else 1.0


def report(result, verbose=False):
    print(f"samples: {result['samples']} (positive {result['positives']}, negative {result['negatives']})")
    print(f"TP {result['tp']}  FP {result['fp']}  FN {result['fn']}  TN {result['tn']}")
    print(f"overall   precision {result['precision']:.3f}   recall {result['recall']:.3f}")
    print("  category     n   precision  recall")
    for c in POSITIVE:
        s = result["per_category"][c]
        print(f"  {c:<10} {s['n']:>4}   {_ratio(s['tp'], s['tp'] + s['fp']):.3f}      {_ratio(s['tp'], s['tp'] + s['fn']):.3f}")
    n_none = result["per_category"]["none"]["n"]
    flagged = sum(1 for e in result["errors"] if e[0] == "FP")
    print(f"  {'none':<10} {n_none:>4}   flagged {flagged}")
    if verbose:
        for kind, label, found, text in result["errors"]:
            print(f"  {kind} [{label}] found={found}: {text}")


def cross_validate(verbose=False):
    from yifa.review.precheck_train import FOLDS, load_corpus, out_of_fold

    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("(scikit-learn is not installed: install the test extra to cross-validate)")
        return
    rows = load_corpus()
    threshold = load().threshold
    found = [set()] * len(rows)
    rules_only = [set()] * len(rows)
    for _n, test, model in out_of_fold(rows):
        for i in test:
            found[i] = {h.category for h in precheck.check_clause(rows[i][1], model=model, threshold=threshold)}
            rules_only[i] = {h.category for h in precheck.check_clause(rows[i][1], model=None)}

    def by(predictions, subset):
        lookup = {rows[i][1]: predictions[i] for i in subset}
        return evaluate([(rows[i][0], rows[i][1]) for i in subset], lambda text: lookup[text])

    everything = list(range(len(rows)))
    written = [i for i, r in enumerate(rows) if r[2] != "template"]
    print(f"== corpus, {FOLDS}-fold stratified cross-validation, rules + classifier (threshold {threshold:.3f})")
    report(by(found, everything), verbose)
    print(f"== corpus, written clauses only ({len(written)}; template variants trained on, not scored)")
    report(by(found, written), verbose)
    print("== corpus, keyword rules alone (for comparison)")
    report(by(rules_only, everything))


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    verbose = "--verbose" in argv or "-v" in argv
    model = load()
    print(f"model: {len(model.features)} n-gram features, threshold {model.threshold:.3f}, "
          f"trained on {model.data.get('corpus_size')} clauses")
    if "--no-cv" not in argv:
        cross_validate(verbose)
    print(f"== hold-out: {_rel(HOLDOUT)} (shipped model)")
    report(evaluate(load_samples(HOLDOUT)), verbose)
    if BLIND.exists():
        print(f"== blind hold-out: {_rel(BLIND)} (shipped model)")
        report(evaluate(load_samples(BLIND)), verbose)
    else:
        print(f"== blind hold-out: {_rel(BLIND)} is ABSENT — no blind figures (add the file, header label,text)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
