"""Reads of the supervision app, always through `visible_to`."""

from django.db.models import Count, Q

from yifa.orgs.models import Organization

from .models import Finding, FindingCategory, FindingState, Inspection


def inspections_visible_to(user):
    return Inspection.objects.visible_to(user).select_related("org").annotate(finding_count=Count("findings"))


def findings_visible_to(user):
    return Finding.objects.visible_to(user).select_related("org", "inspection")


def target_orgs_for(user):
    root = user.scope_root
    if root is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=root.path).order_by("path")


def rectification_rates(user):
    """Per supervised unit: findings raised, corrected (or verified), and the rate."""
    rows = (findings_visible_to(user).values("org", "org__name")
            .annotate(total=Count("id"), done=Count("id", filter=~Q(state=FindingState.OPEN)))
            .order_by("org__name"))
    return [dict(r, rate=round(100 * r["done"] / r["total"], 1) if r["total"] else None) for r in rows]


def clues_visible_to(user):
    from .models import Clue

    return Clue.objects.visible_to(user).select_related("org", "case", "finding")


def clue_evidence(clue, limit: int = 50) -> list:
    """The records that triggered a clue not about one case, as (words, url) pairs (the
    rule's `evidence`); empty for a case clue (its case is the record)."""
    rule = clue.rule
    if clue.case_id or rule is None or rule.evidence is None:
        return []
    return list(rule.evidence(clue))[:limit]


def switches_visible_to(user):
    from .models import RuleSwitch

    return RuleSwitch.objects.visible_to(user).select_related("org")


def rule_params(code: str) -> list[dict]:
    """Rule `code`'s thresholds: each declared Param with the value in force (the
    administrator's, or the default), the stored row's version (0: none stored), its reason
    and who set it; one query."""
    from .models import RuleParam
    from .rules import RULES

    rows = {r.key: r for r in RuleParam.objects.filter(rule_code=code).select_related("updated_by")}
    out = []
    for p in RULES[code].params:
        row = rows.get(p.key)
        value = row.value if row is not None else p.default
        out.append({"param": p, "key": p.key, "label": p.label, "unit": p.unit, "kind": p.value_kind,
                    "default": p.default, "value": _plain(value), "is_default": row is None,
                    "version": row.version if row is not None else 0,
                    "rationale": row.rationale if row is not None else p.rationale,
                    "updated_by": row.updated_by if row is not None else None,
                    "updated_at": row.updated_at if row is not None else None})
    return out


def _plain(value):
    """A Decimal without trailing zeros (3, not 3.0000; 0.8, not 0.8000)."""
    from decimal import Decimal

    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else d.normalize()


def clue_period(user, start=None, end=None):
    """The user's clues raised in [start, end] (either may be None: open-ended)."""
    qs = clues_visible_to(user)
    if start is not None:
        qs = qs.filter(raised_on__gte=start)
    if end is not None:
        qs = qs.filter(raised_on__lte=end)
    return qs


def rule_period(start_text: str | None, end_text: str | None):
    """The period the hit rates cover, from the page's or API's `from`/`to` (YYYY-MM-DD);
    by default the current year. A malformed date or an inverted period is refused."""
    from datetime import date

    from django.utils.dateparse import parse_date

    from yifa.core import clock
    from yifa.core.errors import DomainError

    def one(text, field, label, default):
        if not (text or "").strip():
            return default
        try:
            d = parse_date(text.strip())
        except ValueError:
            d = None
        if d is None:
            raise DomainError(f"{label}格式不正确，应为“年-月-日”。", {field: ["日期格式不正确"]})
        return d

    year = clock.today().year
    start = one(start_text, "from", "起始日期", date(year, 1, 1))
    end = one(end_text, "to", "截止日期", date(year, 12, 31))
    if end < start:
        raise DomainError("截止日期不能早于起始日期。", {"to": ["早于起始日期"]})
    return start, end


def hit_rate(confirmed: int, dismissed: int):
    """Confirmation rate in percent (one decimal), None when nothing was decided yet."""
    decided = confirmed + dismissed
    return round(100 * confirmed / decided, 1) if decided else None


def rules_with_counts(user, start=None, end=None):
    """Every rule with the clues in the user's scope raised in [start, end]: raised,
    confirmed, dismissed, open and the confirmation rate (confirmed / (confirmed +
    dismissed)) — one grouped query over the clues."""
    from .models import ClueState
    from .rules import RULES

    counts = {r["rule_code"]: r for r in clue_period(user, start, end).order_by().values("rule_code").annotate(
        total=Count("id"), open=Count("id", filter=Q(state=ClueState.OPEN)),
        confirmed=Count("id", filter=Q(state=ClueState.CONFIRMED)),
        dismissed=Count("id", filter=Q(state=ClueState.DISMISSED)))}
    out = []
    for code, r in RULES.items():
        c = counts.get(code, {})
        row = {"rule": r, **{k: c.get(k, 0) for k in ("total", "open", "confirmed", "dismissed")}}
        row["rate"] = hit_rate(row["confirmed"], row["dismissed"])
        out.append(row)
    return out


def dismissal_reasons(user, code: str, start=None, end=None, limit: int = 10) -> list[dict]:
    """The most frequent reasons the user's scope gave for dismissing rule `code`'s clues."""
    from .models import ClueState

    return list(clue_period(user, start, end).filter(rule_code=code, state=ClueState.DISMISSED).order_by()
                .values("dismiss_reason").annotate(n=Count("id")).order_by("-n", "dismiss_reason")[:limit])


def letters_visible_to(user):
    from .models import OpinionLetter

    return OpinionLetter.objects.visible_to(user).select_related("org", "issuer")


def decisions_visible_to(user):
    from .models import SupervisionDecision

    return SupervisionDecision.objects.visible_to(user).select_related("org", "issuer", "letter")


def notices_visible_to(user):
    from .models import Notice

    return Notice.objects.visible_to(user).select_related("org")


def public_typical_cases():
    """Findings marked 典型案例 for the public portal: only the public, masked fields.
    Rows: {id, org_name, category, category_label, raised_on, summary, corrected}."""
    rows = (Finding.objects.filter(typical=True).exclude(public_summary="")
            .order_by("-raised_on", "-id")
            .values("id", "org__name", "category", "raised_on", "public_summary", "state"))
    labels = dict(FindingCategory.choices)
    return [{"id": r["id"], "org_name": r["org__name"], "category": r["category"],
             "category_label": labels.get(r["category"], r["category"]), "raised_on": r["raised_on"],
             "summary": r["public_summary"], "corrected": r["state"] != FindingState.OPEN} for r in rows]


def supervision_metrics(*, org=None, start, end, user=None) -> dict:
    """Supervision figures for `org`'s subtree in [start, end] (see `statistics.supervision_metrics`);
    for assessment and the dashboard."""
    from .statistics import supervision_metrics as compute

    return compute(org=org, start=start, end=end, user=user)
