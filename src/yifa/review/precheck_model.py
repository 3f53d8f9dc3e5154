"""The pre-review assistant's statistical classifier, applied in pure Python.

`scripts/build_precheck_model.py` trains a character n-gram TF-IDF + logistic regression
(scikit-learn) on `precheck_corpus/corpus.csv` and writes `precheck_corpus/model.json`: the
vocabulary with its idf and per-category weights, the intercepts, the probability threshold
chosen by cross-validation and the SHA-256 of the corpus it was trained on. This module
reproduces the vectoriser and the softmax, so run time needs neither scikit-learn nor
numpy and downloads nothing. No Django import (bench/precheck.py runs it alone).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import lru_cache
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "precheck_corpus"
CORPUS = CORPUS_DIR / "corpus.csv"
MODEL = CORPUS_DIR / "model.json"

CATEGORIES = ("permit", "penalty", "coercion", "fee", "business", "obligation", "duty", "none")

_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+条|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])\s*")
_SPACE = re.compile(r"\s\s+")
_DIGITS = re.compile(r"\d+(\.\d+)?")


def normalize(text: str) -> str:
    """The text the model sees: without the article/item number, digits folded to one sign
    (amounts and days vary, their presence matters), lower case, single spaces."""
    text = _ARTICLE.sub("", (text or "").strip())
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).lower()


def char_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """The same n-grams as scikit-learn's `analyzer="char"` on an already normalised text."""
    out = []
    length = len(text)
    for n in range(min_n, min(max_n, length) + 1):
        out.extend(text[i:i + n] for i in range(length - n + 1))
    return out


def corpus_sha256(path: Path = CORPUS) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Model:
    """A trained model as data (see `to_dict` in the build script)."""

    def __init__(self, data: dict):
        self.data = data
        self.classes: list[str] = data["classes"]
        self.min_n, self.max_n = data["ngram_range"]
        self.sublinear_tf: bool = data.get("sublinear_tf", True)
        self.intercept: list[float] = data["intercept"]
        self.threshold: float = data["threshold"]
        # feature -> (idf, [weight per class])
        self.features: dict[str, tuple[float, list[float]]] = {f: (v[0], v[1:]) for f, v in data["features"].items()}

    def probabilities(self, clause: str) -> dict[str, float]:
        counts: dict[str, int] = {}
        for gram in char_ngrams(normalize(clause), self.min_n, self.max_n):
            if gram in self.features:
                counts[gram] = counts.get(gram, 0) + 1
        values = {}
        for gram, c in counts.items():
            tf = 1.0 + math.log(c) if self.sublinear_tf else float(c)
            values[gram] = tf * self.features[gram][0]
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        scores = list(self.intercept)
        for gram, v in values.items():
            weights = self.features[gram][1]
            x = v / norm
            for k, w in enumerate(weights):
                scores[k] += w * x
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {cls: e / total for cls, e in zip(self.classes, exps)}

    def evidence(self, clause: str, category: str, k: int = 3) -> list[str]:
        """Up to k phrases of the clause (overlapping n-grams merged; letters only, no digits
        or punctuation) that pushed it most towards `category`, for the reviewer to see why
        the model spoke."""
        if category not in self.classes:
            return []
        idx = self.classes.index(category)
        text = normalize(clause)
        scored = []
        for n in range(max(2, self.min_n), self.max_n + 1):
            for i in range(len(text) - n + 1):
                gram = text[i:i + n]
                if gram in self.features and all(ch.isalpha() for ch in gram):
                    score = self.features[gram][1][idx] * self.features[gram][0]
                    if score > 0:
                        scored.append((score, i, i + n))
        # the strongest n-grams, merged where they overlap into phrases ranked by their best n-gram
        spans: list[list] = []  # [start, end, best score]
        for score, a, b in sorted(scored, reverse=True)[:4 * k]:
            spans.append([a, b, score])
        spans.sort()
        merged: list[list] = []
        for a, b, score in spans:
            if merged and a < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
                merged[-1][2] = max(merged[-1][2], score)
            else:
                merged.append([a, b, score])
        spans = sorted(merged, key=lambda m: -m[2])[:k]
        return [text[a:b] for a, b, _ in spans]

    def flags(self, clause: str, threshold: float | None = None) -> list[tuple[str, float]]:
        """Categories (not `none`) whose probability reaches the threshold, most likely first."""
        t = self.threshold if threshold is None else threshold
        probs = self.probabilities(clause)
        return sorted(((c, p) for c, p in probs.items() if c != "none" and p >= t), key=lambda cp: -cp[1])


@lru_cache(maxsize=1)
def load(path: str | None = None) -> Model:
    with open(path or MODEL, encoding="utf-8") as f:
        return Model(json.load(f))


def confidence_words(p: float) -> str:
    """How sure the model is, in words a reviewer reads, with the figure."""
    if p >= 0.9:
        word = "很可能"
    elif p >= 0.75:
        word = "较可能"
    else:
        word = "有可能"
    return f"模型判断：{word}（{p:.2f}）"
