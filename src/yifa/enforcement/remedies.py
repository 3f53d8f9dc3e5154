"""Reconsideration and litigation periods of an enforcement case, as the enforcement app
sees them (行政处罚法 art. 73 ¶3: the late-payment surcharge is not counted while the party's
reconsideration or suit runs).

The registry of reconsideration and litigation cases lives in the accountability app, which
depends on this one; so that app registers a source here (in its `AppConfig.ready`) instead
of enforcement importing it. A source takes case ids and answers, in one query per table,
the periods of each case."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RemedyPeriod:
    """A reconsideration or suit against the case's decision, from its filing to the day its
    outcome took effect (both counted as part of the period); `end` None: still running."""

    kind_label: str   # 行政复议 / 行政诉讼
    reference: str    # the court's or reconsideration organ's case number
    start: date
    end: date | None


Source = Callable[[list[int]], dict[int, list[RemedyPeriod]]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def periods_for(case_ids: Iterable[int]) -> dict[int, list[RemedyPeriod]]:
    ids = sorted({int(i) for i in case_ids if i is not None})
    out: dict[int, list[RemedyPeriod]] = {}
    if not ids:
        return out
    for source in _sources:
        for case_id, periods in source(ids).items():
            out.setdefault(case_id, []).extend(periods)
    for periods in out.values():
        periods.sort(key=lambda p: (p.start, p.end or date.max))
    return out
