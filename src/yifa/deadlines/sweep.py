"""The sweep task: warnings and notifications for deadlines that turned yellow or red.

Set-based: each batch is one query for the candidates (active, in the level's window,
without a warning of that level), one bulk insert of warnings, and a fixed number of
queries to find who must be told. Running it twice creates nothing new.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from yifa.core.services import notify
from yifa.core.sweep import register
from yifa.orgs.models import GOVERNMENT_KINDS, Organization, OrgKind, Role, User

from .models import TrackedDeadline, Warning, WarningLevel
from .words import due_text

BATCH = 500
SUPERVISION_UNIT_ROLE = {
    OrgKind.INTERNAL_SUPERVISION_UNIT: Role.DEPARTMENT_LEGAL_OFFICER,
    OrgKind.TOWNSHIP_LEGAL_OFFICE: Role.TOWNSHIP_LEGAL_OFFICER,
}


def _path_ids(path: str) -> list[int]:
    return [int(s) for s in path.split(".") if s]


def recipients_by_org(orgs) -> dict[int, set]:
    """For each unit: the legal officers of its department's internal supervision unit (or
    its township's legal office) and the supervisors of its county's supervision office."""
    orgs = {o.pk: o for o in orgs}
    if not orgs:
        return {}
    ancestor_ids = {i for o in orgs.values() for i in _path_ids(o.path)}
    units = {o.pk: o for o in Organization.objects.filter(pk__in=ancestor_ids).only("id", "kind", "path")}
    owning, gov = {}, {}
    for o in orgs.values():
        chain = [units[i] for i in reversed(_path_ids(o.path)) if i in units]
        owning[o.pk] = next((u.pk for u in chain if u.kind in (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)), None)
        gov[o.pk] = next((u for u in chain if u.kind in GOVERNMENT_KINDS), None)

    # supervision units under the owning department / township
    sup_units = {u.pk: u for u in Organization.objects.filter(
        parent_id__in={v for v in owning.values() if v}, kind__in=list(SUPERVISION_UNIT_ROLE), is_active=True)
        .only("id", "kind", "parent_id")}
    role_q = Q(pk__in=[])
    for kind, role in SUPERVISION_UNIT_ROLE.items():
        ids = [u.pk for u in sup_units.values() if u.kind == kind]
        if ids:
            role_q |= Q(org_id__in=ids, role_assignments__role=role)
    by_unit: dict[int, set] = {}
    if sup_units:
        for user in User.objects.filter(role_q, is_active=True).only("id", "org_id").distinct():
            by_unit.setdefault(sup_units[user.org_id].parent_id, set()).add(user)

    # the county's supervision office: offices whose nearest government is the unit's
    govs = {g.pk: g for g in gov.values() if g is not None}
    by_gov: dict[int, set] = {}
    if govs:
        gov_q = Q()
        for g in govs.values():
            gov_q |= Q(path__startswith=g.path)
        offices = list(Organization.objects.filter(gov_q, kind=OrgKind.SUPERVISION_OFFICE, is_active=True)
                       .only("id", "path"))
        office_ancestors = {o.pk: o.kind for o in Organization.objects.filter(
            pk__in={i for off in offices for i in _path_ids(off.path)}).only("id", "kind")}
        office_gov = {}
        for off in offices:
            office_gov[off.pk] = next((i for i in reversed(_path_ids(off.path))
                                       if office_ancestors.get(i) in GOVERNMENT_KINDS), None)
        if offices:
            for user in (User.objects.filter(org_id__in=list(office_gov), role_assignments__role=Role.SUPERVISOR,
                                             is_active=True).only("id", "org_id").distinct()):
                by_gov.setdefault(office_gov[user.org_id], set()).add(user)

    out = {}
    for pk in orgs:
        users = set(by_unit.get(owning[pk], set()))
        if gov[pk] is not None:
            users |= by_gov.get(gov[pk].pk, set())
        out[pk] = users
    return out


def _message(d: TrackedDeadline, level: str) -> tuple[str, str]:
    if level == WarningLevel.RED:
        title = f"【超期】{d.title}"
        body = f"{d.org.name}：{d.rule.name}已于 {due_text(d)} 届满，尚未办结。依据：{d.citation}"
    else:
        title = f"【临期】{d.title}"
        body = f"{d.org.name}：{d.rule.name}将于 {due_text(d)} 届满，请抓紧办理。依据：{d.citation}"
    return title, body


def _warn_level(level: str, queryset, today) -> tuple[int, int]:
    warnings = notifications = 0
    already = Warning.objects.filter(deadline=OuterRef("pk"), level=level)
    while True:
        # in due order over the partial index of active deadlines (`deadline_active_due`): the
        # walk reads open work only, never the closed deadlines of past years
        batch = list(queryset.filter(~Exists(already)).select_related("org", "rule", "handler")
                     .order_by("due", "pk")[:BATCH])
        if not batch:
            return warnings, notifications
        Warning.objects.bulk_create([Warning(deadline=d, level=level, created_on=today) for d in batch],
                                    ignore_conflicts=True)
        warnings += len(batch)
        routed = recipients_by_org({d.org for d in batch})
        for d in batch:
            title, body = _message(d, level)
            recipients = set(routed.get(d.org_id, set()))
            if d.handler is not None and d.handler.is_active:
                recipients.add(d.handler)
            notifications += notify(recipients=recipients, title=title, body=body,
                                    url=reverse("deadlines:tracked_detail", args=[d.pk]), level=level,
                                    dedupe_key=f"deadline:{d.pk}:{level}")
        if len(batch) < BATCH:
            return warnings, notifications


@register("deadlines", per_unit=True)
def sweep_deadlines(today, org_ids=None) -> dict[str, int]:
    """`org_ids`: only the deadlines of these units (a part of the sweep on the task queue)."""
    counts = {}
    with transaction.atomic():
        for level, qs in ((WarningLevel.RED, TrackedDeadline.objects.red(today)),
                          (WarningLevel.YELLOW, TrackedDeadline.objects.yellow(today))):
            if org_ids is not None:
                qs = qs.filter(org_id__in=org_ids)
            w, n = _warn_level(level, qs, today)
            counts[f"{level}_warnings"] = w
            counts[f"{level}_notifications"] = n
    counts["warnings"] = counts["red_warnings"] + counts["yellow_warnings"]
    counts["notifications"] = counts["red_notifications"] + counts["yellow_notifications"]
    return counts
