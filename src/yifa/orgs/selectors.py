from django.db.models import Prefetch, Q

from .models import ApiToken, Organization, RoleAssignment, User


def organizations_visible_to(user, *, q: str = "", kind: str = ""):
    qs = Organization.objects.visible_to(user).select_related("parent")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(short_name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def users_visible_to(user, *, q: str = "", role: str = "", org=None):
    qs = (
        User.objects.visible_to(user)
        .select_related("org")
        .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.only("user_id", "role")))
    )
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(phone__icontains=q))
    if role:
        qs = qs.filter(role_assignments__role=role)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs


SUBTREE_LITERALS = 500


def subtree_ids(org):
    """`org` and every unit under it, to filter rows by unit (`org_id__in=subtree_ids(org)`):
    their ids as a list when there are at most SUBTREE_LITERALS of them, else a subquery.

    With the ids written out, the planner knows how many units it is looking for and walks
    the rows' (org, …) index for just these; with a join on the unit path or a subquery it
    must guess, and on a province's tables it then scans every unit's rows to keep one
    county's (the dashboard's rollup sums at 10 M cases: 44 ms → 5 ms). A province-wide
    subtree keeps the subquery: it reads most rows anyway. The list is remembered on the
    `org` instance, which lives for one request."""
    cached = org.__dict__.get("_subtree_ids")
    if cached is not None:
        return cached
    sub = Organization.objects.filter(path__startswith=org.path).values("pk")
    ids = list(sub.values_list("pk", flat=True)[:SUBTREE_LITERALS + 1])
    out = ids if len(ids) <= SUBTREE_LITERALS else sub
    org.__dict__["_subtree_ids"] = out
    return out


def users_with_role_in(org, role):
    """Active users holding `role` attached to exactly `org` (for routing notifications)."""
    return User.objects.filter(org=org, is_active=True, role_assignments__role=role)


def unit_contacts(org) -> list:
    """Who a letter or recommendation to `org` goes to: the legal officers in the unit's
    subtree, or — if it has none — every active user there."""
    from .models import Role, User

    qs = User.objects.filter(org__path__startswith=org.path, is_active=True)
    users = list(qs.filter(role_assignments__role__in=(Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER))
                 .distinct())
    return users or list(qs)


def tokens_of(user):
    """A user's own API tokens, newest first (the list is per person: nobody else's)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
