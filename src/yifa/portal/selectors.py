"""Reads for the public portal. Everything here is public by law or by choice (published
decisions, typical cases chosen for exposure, the advisor list) and is read through the
owning apps' selectors and masking; nothing is scoped to a user (there is none)."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from yifa.orgs.models import Organization, OrgKind, Role, RoleAssignment

LATEST = 5


COUNTY_CACHE_KEY = "portal:county:v1"
COUNTY_CACHE_SECONDS = 600


def county() -> dict | None:
    """The county the portal speaks for — the first county government in the tree — as
    {id, name, path}, cached with the figures (ten minutes)."""
    got = cache.get(COUNTY_CACHE_KEY)
    if got is None:
        org = Organization.objects.filter(kind=OrgKind.COUNTY).order_by("path").values("id", "name", "path").first()
        got = org or {}
        cache.set(COUNTY_CACHE_KEY, got, COUNTY_CACHE_SECONDS)
    return got or None


def county_org():
    """The county as an Organization, checked against the database: a cached county that
    no longer exists (the tree was rebuilt, e.g. a demo reset) is forgotten and looked up
    again instead of failing the page."""
    c = county()
    if c is None:
        return None
    org = Organization.objects.filter(pk=c["id"], path=c["path"]).first()
    if org is None:
        cache.delete(COUNTY_CACHE_KEY)
        c = county()
        org = Organization.objects.filter(pk=c["id"]).first() if c else None
    return org


def county_units():
    """The ids of the county's units (a subquery), or None when there is no county."""
    c = county()
    if c is None:
        return None
    return Organization.objects.filter(path__startswith=c["path"]).values("pk")


def site_name() -> str:
    c = county()
    if c is None:
        return "本县"
    return c["name"].removesuffix("人民政府") or c["name"]


ICP_LOOKUP_URL = "https://beian.miit.gov.cn/"


def footer() -> list[dict]:
    """The site footer lines (settings YIFA_PORTAL_*): 主办单位 (the county government
    when not set), ICP 备案号 (linked to the MIIT register), 网站标识码, 联系方式 — each
    {label, value, url}; a value that is not set is left out, never shown empty."""
    from django.conf import settings

    c = county()
    sponsor = str(getattr(settings, "YIFA_PORTAL_SPONSOR", "") or "").strip() or (c["name"] if c else "")
    rows = [("主办单位", sponsor, None),
            ("ICP 备案号", str(getattr(settings, "YIFA_PORTAL_ICP", "") or "").strip(), ICP_LOOKUP_URL),
            ("网站标识码", str(getattr(settings, "YIFA_PORTAL_SITE_CODE", "") or "").strip(), None),
            ("联系方式", str(getattr(settings, "YIFA_PORTAL_CONTACT", "") or "").strip(), None)]
    return [{"label": label, "value": value, "url": url} for label, value, url in rows if value]


def chrome() -> dict:
    """What every portal page's frame needs (site name, menu links, footer), so a public
    page of another app (the complaint form) sits in the same layout."""
    return {"site": site_name(), "links": links(), "footer": footer()}


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
# Each owning app publishes its own public selector `public_typical_cases()` returning rows
# of public, already-masked fields (supervision: {id, org_name, category_label, raised_on,
# summary, corrected}). They are imported lazily: an app that has not built its selector
# yet simply contributes nothing. The portal never reads those apps' models itself.

def _row(kind, source, r, day_key):
    return {"kind": kind, "pk": r["id"], "anchor": f"{source}-{r['id']}", "org": r.get("org_name", ""),
            "title": r.get("title") or f"{r.get('org_name', '')}{r.get('category_label', '')}问题",
            "label": r.get("category_label", ""), "summary": r.get("summary", ""), "day": r.get(day_key),
            "status": ("已整改" if r["corrected"] else "整改中") if "corrected" in r else ""}


def _supervision_typical(limit):
    try:
        from yifa.supervision.selectors import public_typical_cases
    except ImportError:
        return []
    return [_row("执法监督典型案例", "supervision", r, "raised_on") for r in public_typical_cases()[:limit]]


def _accountability_typical(limit):
    try:
        from yifa.accountability.selectors import public_typical_cases
    except ImportError:
        return []
    return [_row("错案责任追究典型案例", "accountability", r, "day") for r in public_typical_cases(limit=limit)]


TYPICAL_SOURCES = (_supervision_typical, _accountability_typical)


def typical_cases(limit=LATEST) -> list[dict]:
    """Typical cases chosen for exposure by the supervision and accountability apps
    (whichever provide them), newest first."""
    rows = [row for source in TYPICAL_SOURCES for row in source(limit)]
    rows.sort(key=lambda r: (str(r["day"] or ""), r["pk"]), reverse=True)
    return rows[:limit]


def typical_pages() -> list[dict]:
    """Links to the apps' own public typical-case pages that exist."""
    pages = []
    for label, names in (("执法监督典型案例", ("supervision:typical",)),
                         ("错案责任追究典型案例", ("accountability:typical", "accountability:public_typical"))):
        url = first_url(*names)
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

    qs = LegalAdvisor.objects.filter(status=AdvisorStatus.ACTIVE)
    units = county_units()
    if units is not None:
        qs = qs.filter(org_id__in=units)
    qs = (qs.annotate(is_duty=has_role(Role.DUTY_LAWYER), is_expert=has_role(Role.EXPERT_LAWYER)))
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
