"""Reads of the review app, already scoped."""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from .models import (OPEN_REVIEW_STATES, Adoption, AdvisorEvaluation, Assignment, DutyRota, ItemState, ItemType,
                     LegalAdvisor, ReviewItem, ReviewOpinion, Suggestion, Tier)


def items_visible_to(user):
    return ReviewItem.objects.visible_to(user).select_related("org")


def advisors_visible_to(user):
    return LegalAdvisor.objects.visible_to(user).select_related("org")


def awaiting(user):
    """Items whose current tier is assigned to `user` (their review to-do)."""
    return (ReviewItem.objects.filter(state__in=OPEN_REVIEW_STATES, assignments__reviewer=user,
                                      assignments__active=True, assignments__completed_on__isnull=True,
                                      assignments__tier=F("state"), assignments__round=F("round"))
            .select_related("org").distinct())


def rota(user, start, days=14):
    return (DutyRota.objects.visible_to(user).filter(date__gte=start, date__lt=start + timedelta(days=days))
            .select_related("advisor").order_by("date", "advisor__name"))


def workload(user, year=None):
    """Per reviewer: assignments, completed, open, recused (advisor workload)."""
    qs = Assignment.objects.filter(item__in=ReviewItem.objects.visible_to(user).values("pk"))
    if year:
        qs = qs.filter(assigned_on__year=year)
    labels = dict(Tier.choices)
    rows = list(qs.values("reviewer__display_name", "tier").annotate(
        total=Count("id"), completed=Count("id", filter=Q(completed_on__isnull=False, recused=False)),
        open=Count("id", filter=Q(completed_on__isnull=True, active=True, item__state__in=OPEN_REVIEW_STATES)),
        recused=Count("id", filter=Q(recused=True)),
    ).order_by("-total", "reviewer__display_name")[:200])
    for r in rows:
        r["tier_label"] = labels.get(r["tier"], r["tier"])
    return rows


def statistics(user, year=None) -> dict:
    """Figures per type, tier and unit, computed from the records (never typed in)."""
    items = ReviewItem.objects.visible_to(user)
    if year:
        items = items.filter(submitted_on__year=year)
    ids = items.values("pk")
    reviewed_states = [ItemState.OPINION_ISSUED, ItemState.ADOPTION_RECORDED, ItemState.CLEARED, ItemState.FILED]
    agg = dict(total=Count("id"), reviewed=Count("id", filter=Q(state__in=reviewed_states)),
               returned=Count("id", filter=Q(round__gt=1) | Q(state=ItemState.RETURNED)),
               in_review=Count("id", filter=Q(state__in=OPEN_REVIEW_STATES)),
               disagree=Count("id", filter=Q(final_conclusion="disagree")))
    type_labels = dict(ItemType.choices)
    by_type = [dict(r, label=type_labels.get(r["item_type"], r["item_type"]))
               for r in items.values("item_type").annotate(**agg).order_by("item_type")]
    by_unit = list(items.values("org__name").annotate(**agg).order_by("-total", "org__name")[:100])
    totals = items.aggregate(**agg)

    suggestions = Suggestion.objects.live().filter(opinion__item__in=ids)  # changed or dropped ones were never sent
    adoption = suggestions.aggregate(
        total=Count("id"), answered=Count("id", filter=~Q(adoption="")),
        adopted=Count("id", filter=Q(adoption=Adoption.ADOPTED)),
        partial=Count("id", filter=Q(adoption=Adoption.PARTIAL)),
        rejected=Count("id", filter=Q(adoption=Adoption.REJECTED)))
    answered = adoption["answered"] or 0
    adoption["rate"] = round(100 * (adoption["adopted"] + adoption["partial"]) / answered, 1) if answered else None

    duration = ExpressionWrapper(F("completed_on") - F("assigned_on"), output_field=DurationField())
    tier_labels = dict(Tier.choices)
    by_tier = []
    opinions = dict(ReviewOpinion.objects.filter(item__in=ids).values_list("tier").annotate(n=Count("id")))
    for row in (Assignment.objects.filter(item__in=ids, completed_on__isnull=False, recused=False)
                .values("tier").annotate(n=Count("id"), avg=Avg(duration)).order_by("tier")):
        avg = row["avg"]
        days = avg.total_seconds() / 86400 if hasattr(avg, "total_seconds") else (avg or 0) / 86400e6
        by_tier.append({"tier": row["tier"], "label": tier_labels.get(row["tier"], row["tier"]), "completed": row["n"],
                        "avg_days": round(days, 1), "opinions": opinions.get(row["tier"], 0)})
    by_tier.sort(key=lambda r: [t.value for t in Tier].index(r["tier"]) if r["tier"] in Tier.values else 9)
    return {"year": year, "totals": totals, "by_type": by_type, "by_unit": by_unit, "by_tier": by_tier,
            "adoption": adoption, "opinions": sum(opinions.values()), "workload": workload(user, year)}


def advisor_counts(user) -> dict:
    qs = LegalAdvisor.objects.visible_to(user)
    return qs.aggregate(total=Count("id"), active=Count("id", filter=Q(status="active")),
                        county_team=Count("id", filter=Q(county_team=True, status="active")))


def evaluations_of(advisor):
    return AdvisorEvaluation.objects.filter(advisor=advisor).order_by("-year")


def tier_limits(user) -> list:
    """The per-tier time limits as they apply to the user's county (rule + overrides)."""
    from yifa.deadlines import engine
    from yifa.deadlines.models import DeadlineRule

    from .models import TIER_RULE, county_root

    org = county_root(user)
    rules = {r.code: r for r in DeadlineRule.objects.filter(code__in=list(TIER_RULE.values()))}
    out = []
    for tier, code in TIER_RULE.items():
        if code in rules:
            eff = engine.effective_rule(rules[code], org)
            out.append({"tier": Tier(tier).label, "code": code, "n": eff.n, "basis": eff.basis,
                        "override": eff.is_override})
    return out


# --- 党政机关法律顾问全覆盖: which units have an advisor under contract ------------------------------

# The 党政机关 that must each have a legal advisor: the county government (served by the county
# team, 县政府法律顾问团, which sits in its advisor office), the justice bureau, every
# enforcement department and every township. Internal supervision units, township legal
# offices and the advisor office are parts of those units, not units of their own here.
COVERAGE_KINDS = ("county", "justice_bureau", "department", "township")


def under_contract_q(on) -> Q:
    """An advisor under contract on `on`: 在聘, and `on` inside the contract period (an open
    end counts as running)."""
    return (Q(status="active") & (Q(contract_start__isnull=True) | Q(contract_start__lte=on))
            & (Q(contract_end__isnull=True) | Q(contract_end__gte=on)))


def advisor_coverage(root, on) -> dict:
    """Coverage of `root`'s subtree on `on`: {units, covered, uncovered (the units without an
    advisor under contract, in tree order), rate (%, None with no unit), active (advisors under
    contract), county_team (of them in the county team)}. The county government counts as
    covered when its county team has a member under contract."""
    from yifa.orgs.models import Organization

    units = list(Organization.objects.filter(path__startswith=root.path, kind__in=COVERAGE_KINDS, is_active=True)
                 .order_by("path").only("id", "name", "path", "kind", "parent_id"))
    advisors = LegalAdvisor.objects.filter(under_contract_q(on), org__path__startswith=root.path)
    served = set(advisors.values_list("org_id", flat=True).distinct())
    team_paths = list(advisors.filter(county_team=True).values_list("org__path", flat=True).distinct())

    def covered(u):
        if u.pk in served:
            return True
        return u.kind == "county" and any(p.startswith(u.path) for p in team_paths)

    uncovered = [u for u in units if not covered(u)]
    n, ok = len(units), len(units) - len(uncovered)
    counts = advisors.aggregate(active=Count("id"), county_team=Count("id", filter=Q(county_team=True)))
    return {"on": on, "units": n, "covered": ok, "uncovered": uncovered,
            "rate": round(100 * ok / n, 1) if n else None, **counts}


def may_export_precheck_examples(user) -> bool:
    """The system administrator and the advisor office curate the pre-review corpus."""
    from yifa.orgs.models import Role

    return bool(user and user.is_authenticated) and user.has_role(Role.ADMIN, Role.ADVISOR_OFFICE)


def precheck_examples(user):
    """The reviewer's-loop examples of the items `user` sees (newest first); only for those
    who may export them (PermissionDenied otherwise)."""
    from django.core.exceptions import PermissionDenied

    from .models import PrecheckExample

    if not may_export_precheck_examples(user):
        raise PermissionDenied("只有系统管理员或法律顾问室可以查看和导出预审样本。")
    return PrecheckExample.objects.visible_to(user).select_related("item", "created_by").order_by("-id")
