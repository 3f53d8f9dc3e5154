"""`scope_only` marks a visible_to() that is the user's scope subtree and nothing more; a
reader that already restricted its rows to a unit inside the scope (the dashboard's
drill-down) skips it only then. An override that restricts further, or differently, has no
mark and keeps the check."""

from yifa.core.scoping import restricts_beyond_scope
from yifa.enforcement.models import Case, Officer
from yifa.review.models import LegalAdvisor, ReviewItem


def test_plain_scope_and_the_case_subquery_are_scope_only():
    assert not restricts_beyond_scope(Case)  # CaseQuerySet: the same subtree, as an id subquery
    assert not restricts_beyond_scope(Officer)  # the base ScopedQuerySet


def test_overrides_without_the_mark_keep_their_check():
    assert restricts_beyond_scope(LegalAdvisor)  # the county's team, not the user's subtree
    assert restricts_beyond_scope(ReviewItem)
