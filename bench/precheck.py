"""Precision and recall of the pre-review assistant on the labelled sample clauses.

Usage: .venv/bin/python bench/precheck.py [--verbose]

Pure Python: imports only `yifa.review.precheck` (no Django setup needed). A clause
counts as a true positive when the assistant flags it with the labelled category; a
flagged negative clause, or a flag of another category only, is a false positive; an
unflagged (or wrongly categorised) positive clause is a false negative.
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from yifa.review.precheck import check_clause  # noqa: E402

SAMPLES = ROOT / "tests" / "review" / "precheck_samples.csv"
# Written after the rules were frozen, never used to tune them: an honest estimate.
HOLDOUT = ROOT / "tests" / "review" / "precheck_holdout.csv"


def load_samples(path=SAMPLES):
    with open(path, encoding="utf-8") as f:
        return [(row["label"].strip(), row["text"].strip()) for row in csv.DictReader(f) if row["text"].strip()]


def evaluate(samples):
    tp = fp = fn = tn = 0
    errors = []
    per_category = {}
    for label, text in samples:
        found = {h.category for h in check_clause(text)}
        stats = per_category.setdefault(label, [0, 0])
        stats[1] += 1
        if label == "none":
            if found:
                fp += 1
                errors.append(("FP", label, sorted(found), text))
            else:
                tn += 1
                stats[0] += 1
            continue
        if label in found:
            tp += 1
            stats[0] += 1
        else:
            fn += 1
            errors.append(("FN", label, sorted(found), text))
        if found - {label} and label not in found:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"samples": len(samples), "positives": tp + fn, "negatives": tn + sum(1 for e in errors if e[0] == "FP"
                                                                                  and e[1] == "none"),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall,
            "per_category": per_category, "errors": errors}


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    for name, path in (("labelled set (used to write the rules)", SAMPLES), ("hold-out set", HOLDOUT)):
        print(f"== {name}: {path.relative_to(ROOT)}")
        report(evaluate(load_samples(path)), argv)
    print("== all samples")
    report(evaluate(load_samples(SAMPLES) + load_samples(HOLDOUT)), argv)
    return 0


def report(result, argv):
    print(f"samples: {result['samples']} (positive {result['positives']}, negative {result['negatives']})")
    print(f"TP {result['tp']}  FP {result['fp']}  FN {result['fn']}  TN {result['tn']}")
    print(f"precision: {result['precision']:.3f}")
    print(f"recall:    {result['recall']:.3f}")
    for cat, (ok, total) in sorted(result["per_category"].items()):
        print(f"  {cat:<11} {ok}/{total} correct")
    if "--verbose" in argv or "-v" in argv:
        for kind, label, found, text in result["errors"]:
            print(f"{kind} [{label}] found={found}: {text}")


if __name__ == "__main__":
    sys.exit(main())
