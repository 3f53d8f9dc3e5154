"""Reads for the public portal. Everything here is public by law or by choice (published
decisions, typical cases chosen for exposure, the advisor list) and is read through the
owning apps' selectors and masking; nothing is scoped to a user (there is none)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from yifa.orgs.models import Organization, OrgKind, Role, RoleAssignment

LATEST = 5


def county():
    """The county the portal speaks for: the first county government in the tree."""
    return Organization.objects.filter(kind=OrgKind.COUNTY).order_by("path").only("name", "path").first()


def site_name() -> str:
    org = county()
    if org is None:
        return "本县"
    return org.name.removesuffix("人民政府") or org.name


def url_or_none(name, *args) -> str | None:
    """The URL of another app's page, or None while that app has not built it yet."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def first_url(*names) -> str | None:
    """The first of several possible names of another app's page that resolves."""
    for name in names:
        url = url_or_none(name)
        if url:
            return url
    return None


COMPLAINT_SUBMIT = ("complaints:public_submit", "complaints:public_new")
COMPLAINT_QUERY = ("complaints:public_query",)


def links() -> dict:
    """Where the other apps' public pages are (None for those not built)."""
    return {
        "decisions": url_or_none("enforcement:public_list"),
        "complaint_submit": first_url(*COMPLAINT_SUBMIT),
        "complaint_query": first_url(*COMPLAINT_QUERY),
        "typical_pages": typical_pages(),
    }


# --- enforcement decisions (公示) ----------------------------------------------------------

def latest_decisions(limit=LATEST) -> list[dict]:
    """The newest published decisions, masked by enforcement's own masking."""
    from yifa.enforcement.masking import masked_party
    from yifa.enforcement.selectors import published_cases

    out = []
    for case in published_cases()[:limit]:
        m = masked_party(case)
        out.append({"pk": case.pk, "case_no": case.case_no, "org": case.org.name, "party": m["party_name"],
                    "title": case.title, "decided_on": case.decided_on, "published_on": case.published_on,
                    "url": reverse("enforcement:public_detail", args=[case.pk])})
    return out


# --- typical cases (典型案例) --------------------------------------------------------------

def _text(obj, *names, default=""):
    for n in names:
        v = getattr(obj, n, None)
        if callable(v):
            v = v()
        if v not in (None, ""):
            return v
    return default


def _case_dict(obj, kind, url_name):
    org = getattr(obj, "org", None)
    url = None
    if hasattr(obj, "get_public_url"):
        url = obj.get_public_url()
    elif url_name:
        url = url_or_none(url_name, obj.pk)
    return {"kind": kind, "pk": obj.pk,
            "title": str(_text(obj, "typical_title", "public_title", "title", default=str(obj)))[:120],
            "summary": str(_text(obj, "typical_summary", "public_summary", "summary", "description"))[:300],
            "org": org.name if org is not None else "",
            "day": _text(obj, "typical_on", "published_on", "raised_on", "decided_on", "created_at", default=None),
            "url": url}


def _supervision_typical(limit):
    try:
        from yifa.supervision.selectors import public_typical_cases
    except ImportError:
        return None
    qs = public_typical_cases()
    return [_case_dict(f, "执法监督典型案例", "supervision:typical_detail") for f in qs[:limit]]


def _accountability_typical(limit):
    try:
        from yifa.accountability.selectors import public_typical_cases
    except ImportError:
        return None
    qs = public_typical_cases()
    return [_case_dict(c, "错案责任追究典型案例", "accountability:typical_detail") for c in qs[:limit]]


TYPICAL_SOURCES = (_supervision_typical, _accountability_typical)


def typical_cases(limit=LATEST) -> list[dict]:
    """Typical cases chosen for exposure by the supervision and accountability apps
    (whichever exist), newest first."""
    rows = []
    for source in TYPICAL_SOURCES:
        got = source(limit)
        if got:
            rows.extend(got)
    rows.sort(key=lambda r: (str(r["day"] or ""), r["pk"]), reverse=True)
    return rows[:limit]


def typical_pages() -> list[dict]:
    """Links to the apps' own public typical-case pages that exist."""
    pages = []
    for label, name in (("执法监督典型案例", "supervision:typical_list"),
                        ("错案责任追究典型案例", "accountability:typical_list")):
        url = url_or_none(name)
        if url:
            pages.append({"label": label, "url": url})
    return pages


# --- legal advisors (法律顾问名录) ----------------------------------------------------------

TIER_DUTY = "duty"
TIER_EXPERT = "expert"
TIER_TEAM = "team"
TIER_UNIT = "unit"
TIER_LABELS = {
    TIER_DUTY: "县政府法律顾问团 · 坐班律师（初审）",
    TIER_EXPERT: "县政府法律顾问团 · 专家律师（复审）",
    TIER_TEAM: "县政府法律顾问团",
    TIER_UNIT: "部门/乡镇法律顾问",
}
# Only these columns are ever read: no phone, licence number or account.
ADVISOR_FIELDS = ("pk", "name", "firm", "advisor_type", "specialties", "county_team", "org__name")


def advisors(q: str = "", tier: str = ""):
    """Active advisors with their tier, as dicts of public columns only."""
    from yifa.review.models import AdvisorStatus, LegalAdvisor

    def has_role(role):
        return Exists(RoleAssignment.objects.filter(user_id=OuterRef("user_id"), role=role))

    qs = (LegalAdvisor.objects.filter(status=AdvisorStatus.ACTIVE)
          .annotate(is_duty=has_role(Role.DUTY_LAWYER), is_expert=has_role(Role.EXPERT_LAWYER)))
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(firm__icontains=q) | Q(specialties__icontains=q)
                       | Q(org__name__icontains=q))
    if tier == TIER_DUTY:
        qs = qs.filter(county_team=True, is_duty=True)
    elif tier == TIER_EXPERT:
        qs = qs.filter(county_team=True, is_expert=True)
    elif tier == TIER_TEAM:
        qs = qs.filter(county_team=True)
    elif tier == TIER_UNIT:
        qs = qs.filter(county_team=False)
    return (qs.order_by("-county_team", "-is_duty", "-is_expert", "org__path", "name", "id")
            .values(*ADVISOR_FIELDS, "is_duty", "is_expert"))


def advisor_row(row: dict) -> dict:
    from yifa.review.models import AdvisorType

    if row["county_team"]:
        tier = TIER_DUTY if row["is_duty"] else TIER_EXPERT if row["is_expert"] else TIER_TEAM
    else:
        tier = TIER_UNIT
    specialties = [s.strip() for s in (row["specialties"] or "").replace(",", "、").replace("，", "、").split("、")
                   if s.strip()]
    return {"pk": row["pk"], "name": row["name"], "firm": row["firm"],
            "type": AdvisorType(row["advisor_type"]).label if row["advisor_type"] in AdvisorType.values else "",
            "specialties": specialties, "tier": tier, "tier_label": TIER_LABELS[tier], "unit": row["org__name"]}
