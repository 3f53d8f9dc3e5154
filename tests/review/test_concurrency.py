"""Two reviewers submitting the same tier at the same moment: one succeeds, the other
gets a clear 409, and nothing is half-saved."""

import threading

import pytest
from django.db import connection

from yifa.core.errors import DomainError
from yifa.review import services
from yifa.review.models import ReviewItem, ReviewOpinion, Tier

from .conftest import item_fields

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The test database on SQLite is in-memory with a shared cache, whose table locks fail at
    # once instead of waiting: the race is exercised on PostgreSQL (`make test` runs both).
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks that wait (PostgreSQL)"),
]


def test_same_tier_at_once(office):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields())
    item = services.act(item, "accept", actor=w.office_user)
    # the office reassigns to duty2 while duty still has the page open: both submit
    barrier = threading.Barrier(2)
    results = {}

    def submit(name, user):
        try:
            barrier.wait(timeout=10)
            services.submit_opinion(actor=user, item=item, tier=Tier.FIRST, conclusion="agree", authority="a",
                                    procedure="p", content="c", expected_version=item.version)
            results[name] = "ok"
        except DomainError as exc:
            results[name] = (exc.status, exc.message)
        except Exception as exc:  # noqa: BLE001 — reported below
            results[name] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(f"t{i}", w.duty)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    outcomes = sorted(results.values(), key=str)
    assert outcomes.count("ok") == 1, results
    loser = [o for o in outcomes if o != "ok"][0]
    assert isinstance(loser, tuple) and loser[0] == 409, results
    assert ReviewOpinion.objects.filter(item=item, tier=Tier.FIRST).count() == 1
    assert ReviewItem.objects.get(pk=item.pk).state == Tier.SECOND
