"""`subtree_ids(org)`: the ids of a unit and everything under it, written out for a small
subtree (the planner then reads just these units' rows by index) and a subquery for a large
one; either way the same units, and rows filtered by it are the rows of the subtree."""

from django.db.models import QuerySet

from yifa.orgs import selectors
from yifa.orgs.models import Organization


def test_a_small_subtree_is_its_ids_written_out(world):
    ids = selectors.subtree_ids(world.county)
    assert isinstance(ids, list)
    expected = set(Organization.objects.filter(path__startswith=world.county.path).values_list("pk", flat=True))
    assert set(ids) == expected
    assert world.county.pk in ids and world.town_a_office.pk in ids
    assert world.city.pk not in ids and world.province.pk not in ids


def test_a_large_subtree_is_a_subquery_with_the_same_units(world, monkeypatch):
    monkeypatch.setattr(selectors, "SUBTREE_LITERALS", 3)
    sub = selectors.subtree_ids(world.county)
    assert isinstance(sub, QuerySet)
    small = Organization.objects.filter(path__startswith=world.county.path)
    assert set(Organization.objects.filter(pk__in=sub).values_list("pk", flat=True)) == \
        set(small.values_list("pk", flat=True))
    assert len(small) > 3


def test_remembered_on_the_instance_not_across_instances(world, django_assert_num_queries):
    org = Organization.objects.get(pk=world.town_a.pk)
    with django_assert_num_queries(1):
        first = selectors.subtree_ids(org)
        assert selectors.subtree_ids(org) is first
    fresh = Organization.objects.get(pk=world.town_a.pk)
    with django_assert_num_queries(1):
        selectors.subtree_ids(fresh)


def test_dashboard_sums_only_the_subtrees_rollups(world):
    from datetime import date
    from decimal import Decimal

    from yifa.reports.models import FigureRollup
    from yifa.reports.selectors import figure_values

    month = date(2026, 5, 1)
    for org, v in ((world.town_a, 2), (world.town_a_office, 3), (world.town_b, 7)):
        FigureRollup.objects.create(org=org, code="monitoring.cases_filed", month=month, value=v)
    values = figure_values(Organization.objects.get(pk=world.town_a.pk), month, month)
    assert values["monitoring.cases_filed"] == Decimal(5)
    values = figure_values(Organization.objects.get(pk=world.county.pk), month, month)
    assert values["monitoring.cases_filed"] == Decimal(12)
