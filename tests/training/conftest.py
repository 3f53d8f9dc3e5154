from datetime import date
from decimal import Decimal

import pytest

from yifa.enforcement.models import Officer
from yifa.training import services


@pytest.fixture
def officers(world):
    """Three officers of department A (one linked to the officer account), two of B, one of township A."""
    def make(org, name, cert, valid_to=date(2030, 12, 31), **kw):
        return Officer.objects.create(org=org, name=name, certificate_no=cert, valid_from=date(2022, 1, 1),
                                      valid_to=valid_to, **kw)

    return {
        "a1": make(world.dept_a, "甲一", "TRN-A1", user=world.officer_a),
        "a2": make(world.dept_a, "甲二", "TRN-A2"),
        "a3": make(world.dept_a, "甲三", "TRN-A3"),
        "b1": make(world.dept_b, "乙一", "TRN-B1"),
        "b2": make(world.dept_b, "乙二", "TRN-B2"),
        "t1": make(world.town_a, "镇一", "TRN-T1"),
    }


@pytest.fixture
def make_training(world):
    def make(actor=None, org=None, hours="8", held_on=date(2026, 3, 1), title="行政处罚法专题培训", **kw):
        actor = actor or world.supervisor
        return services.create_training(actor=actor, org=org or actor.org, title=title, held_on=held_on,
                                        hours=Decimal(hours), **kw)

    return make
