"""Scoping: the one way to read scoped data.

Every scoped model uses `ScopedManager` and names the path to its owning unit in
`scope_field` ("org" by default; "" for Organization itself). `visible_to(user)` keeps
the rows whose unit lies in the user's scope subtree: one indexed prefix query on the
unit's materialised path.
"""

from django.db import models


def scope_only(method):
    """Marks a `visible_to()` that keeps exactly the rows whose scope field lies in the
    user's scope subtree, nothing more: a reader that already restricted the rows to a unit
    inside that scope may skip it. An override that restricts further has no mark."""
    method.scope_only = True
    return method


def restricts_beyond_scope(model) -> bool:
    """Whether `model`'s visible_to() hides rows of the user's own scope subtree."""
    return not getattr(type(model._default_manager.all()).visible_to, "scope_only", False)


class ScopedQuerySet(models.QuerySet):
    @scope_only
    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        root = user.scope_root
        if root is None:
            return self.none()
        field = getattr(self.model, "scope_field", "org")
        path_lookup = f"{field}__path__startswith" if field else "path__startswith"
        return self.filter(**{path_lookup: root.path})

    def in_subtree(self, org):
        """Rows owned by `org` or any unit under it (no user involved: for sweeps)."""
        field = getattr(self.model, "scope_field", "org")
        path_lookup = f"{field}__path__startswith" if field else "path__startswith"
        return self.filter(**{path_lookup: org.path})


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


def is_visible(user, obj) -> bool:
    """Whether a single object is in the user's scope (for permission checks on writes)."""
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()


def org_in_scope(user, org) -> bool:
    """Whether unit `org` lies in the user's scope subtree (the path test of `visible_to`,
    for a unit already in hand)."""
    root = getattr(user, "scope_root", None)
    return root is not None and org is not None and org.path.startswith(root.path)


def require_org_in_scope(actor, org, message="该单位不在您的管理范围内。") -> None:
    """Refuse a write on a unit outside the actor's scope; `actor=None` is the system."""
    from django.core.exceptions import PermissionDenied

    if actor is not None and not org_in_scope(actor, org):
        raise PermissionDenied(message)
