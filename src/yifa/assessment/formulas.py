"""Scoring formulas as data: an indicator stores `formula` (kind) and `params`; this module
turns them into a score and into the Chinese text shown on the pages.

- rate:      score = points × rate. params: {"empty": "full"|"zero"} — what a unit with no
             records for the metric gets (default full marks: nothing to fail).
- threshold: full marks at or above `target`, zero at or below `floor`, linear between:
             score = points × clamp((rate − floor) / (target − floor), 0, 1).
             params: {"target": 0.95, "floor": 0.6, "empty": "full"}.
- deduction: score = max(0, points − per_item × count) (e.g. wrong cases).
             params: {"per_item": 2}.
- manual:    an assessor scores 0 … points with evidence.
"""

from decimal import ROUND_HALF_UP, Decimal

from yifa.core.errors import DomainError

TWO = Decimal("0.01")


def q2(x) -> Decimal:
    return Decimal(x).quantize(TWO, rounding=ROUND_HALF_UP)


def _pct(x) -> str:
    return f"{(Decimal(str(x)) * 100).normalize():f}%"


def validate(kind: str, params: dict) -> dict:
    """Checked, normalised params for `kind`; DomainError naming the bad parameter."""
    params = dict(params or {})
    out = {}
    if kind in ("rate", "threshold"):
        empty = params.get("empty", "full")
        if empty not in ("full", "zero"):
            raise DomainError("参数 empty 应为 full（无记录得满分）或 zero（无记录得零分）。", {"params": ["empty 无效"]})
        out["empty"] = empty
    if kind == "threshold":
        try:
            target, floor = Decimal(str(params.get("target", "0.95"))), Decimal(str(params.get("floor", "0.6")))
        except Exception as exc:
            raise DomainError("达标线和零分线应为 0～1 之间的小数。", {"params": ["target/floor 无效"]}) from exc
        if not (0 <= floor < target <= 1):
            raise DomainError("应满足 0 ≤ 零分线 < 达标线 ≤ 1。", {"params": ["target/floor 无效"]})
        out.update(target=str(target), floor=str(floor))
    elif kind == "deduction":
        try:
            per = Decimal(str(params.get("per_item", "1")))
        except Exception as exc:
            raise DomainError("每件扣分应为正数。", {"params": ["per_item 无效"]}) from exc
        if per <= 0:
            raise DomainError("每件扣分应为正数。", {"params": ["per_item 无效"]})
        out["per_item"] = str(per)
    elif kind not in ("rate", "manual"):
        raise DomainError("计分公式无效。", {"formula": ["应为 rate / threshold / deduction / manual"]})
    return out


def describe(kind: str, params: dict, metric_name: str = "") -> str:
    """The formula in Chinese, as shown on the pages."""
    m = metric_name or "指标值"
    empty = "无相关记录时得满分" if (params or {}).get("empty", "full") == "full" else "无相关记录时得 0 分"
    if kind == "rate":
        return f"得分 = 分值 × {m}（{empty}）"
    if kind == "threshold":
        t, f = params.get("target", "0.95"), params.get("floor", "0.6")
        return (f"{m} ≥ {_pct(t)} 得满分，≤ {_pct(f)} 得 0 分，其间按比例计分："
                f"得分 = 分值 × ({m} − {_pct(f)}) ÷ ({_pct(t)} − {_pct(f)})（{empty}）")
    if kind == "deduction":
        return f"每发生 1 件（{m}）扣 {Decimal(str(params.get('per_item', '1'))).normalize():f} 分，扣完为止：得分 = max(0, 分值 − 每件扣分 × 件数)"
    return "评分人依据佐证材料在 0～分值之间评分"


def score(kind: str, params: dict, points: Decimal, result) -> tuple[Decimal, str]:
    """(score, explanation) for a metric result (`value` is a rate 0..1 or a count)."""
    points = Decimal(points)
    params = params or {}
    if kind in ("rate", "threshold"):
        if result.value is None:
            if params.get("empty", "full") == "full":
                return q2(points), "本期无相关记录，按满分计"
            return q2(0), "本期无相关记录，按 0 分计"
        rate = Decimal(str(result.value))
        shown = (f"{result.numerator}/{result.denominator} = {_pct(round(rate, 4))}" if result.numerator is not None
                 else f"{_pct(round(rate, 4))}（{result.denominator} 件）" if result.denominator is not None
                 else _pct(round(rate, 4)))
        if kind == "rate":
            return q2(points * rate), shown
        target, floor = Decimal(params.get("target", "0.95")), Decimal(params.get("floor", "0.6"))
        share = min(Decimal(1), max(Decimal(0), (rate - floor) / (target - floor)))
        return q2(points * share), f"{shown}，得分比例 {_pct(round(share, 4))}"
    if kind == "deduction":
        count = int(result.value or 0)
        per = Decimal(str(params.get("per_item", "1")))
        return q2(max(Decimal(0), points - per * count)), f"{count} 件 × {per.normalize():f} 分"
    raise ValueError(f"formula {kind} is not computed from a metric")
