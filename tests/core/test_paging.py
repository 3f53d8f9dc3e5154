"""CappedPaginator: a long list is paginated without counting all of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yifa.core.paging import CappedPaginator
from yifa.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_counts_at_most_the_cap(world):
    qs = Organization.objects.order_by("pk")
    total = qs.count()
    assert total > 5
    small = CappedPaginator(qs, 2, cap=5)
    with CaptureQueriesContext(connection) as q:
        assert small.count == 5 and small.capped
    assert "LIMIT 6" in q.captured_queries[0]["sql"].upper()
    assert small.num_pages == 3
    assert [o.pk for o in small.get_page(3)] == list(qs.values_list("pk", flat=True)[4:5])
    assert small.get_page(99).number == 3  # past the cap: the last offered page
    whole = CappedPaginator(qs, 2, cap=1000)
    assert whole.count == total and not whole.capped
