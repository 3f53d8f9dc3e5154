"""Train the pre-review classifier on the corpus and write the model file shipped in the repo.

Usage: .venv/bin/python scripts/build_precheck_model.py [--corpus PATH] [--out PATH]

Needs scikit-learn (installed with the `test` extra). Reads
src/yifa/review/precheck_corpus/corpus.csv, chooses the probability threshold by stratified
5-fold cross-validation (rules + classifier keep precision >= 0.9), trains on the whole
corpus and writes src/yifa/review/precheck_corpus/model.json (n-gram idf and weights per
category, the threshold, the corpus SHA-256). Re-run it whenever the corpus changes; a test
fails when the model and the corpus disagree.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from yifa.review.precheck_model import CORPUS, MODEL  # noqa: E402
from yifa.review.precheck_train import build  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    data = build(args.corpus)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(f"corpus: {data['corpus_size']} clauses, sha256 {data['corpus_sha256'][:12]}…")
    print("threshold  precision  recall   (rules + classifier, 5-fold cross-validation)")
    for row in data["threshold_table"]:
        mark = "  <- chosen" if row["threshold"] == data["threshold"] else ""
        print(f"  {row['threshold']:.3f}     {row['precision']:.3f}    {row['recall']:.3f}{mark}")
    print(f"features: {len(data['features'])}; wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
