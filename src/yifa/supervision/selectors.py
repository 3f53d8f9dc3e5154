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


def switches_visible_to(user):
    from .models import RuleSwitch

    return RuleSwitch.objects.visible_to(user).select_related("org")


def rules_with_counts(user):
    """Every rule with the user's open and total clue counts."""
    from .models import ClueState
    from .rules import RULES

    counts = {r["rule_code"]: r for r in clues_visible_to(user).values("rule_code").annotate(
        total=Count("id"), open=Count("id", filter=Q(state=ClueState.OPEN)))}
    return [{"rule": r, "total": counts.get(code, {}).get("total", 0), "open": counts.get(code, {}).get("open", 0)}
            for code, r in RULES.items()]


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
