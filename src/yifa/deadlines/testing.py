"""Test support: the generic scoping walk calls `add_scoping_objects(world)`."""

from datetime import date


def add_scoping_objects(w):
    """One tracked deadline in each sibling township (and nothing that needs a user)."""
    from .services import start_deadline

    w.deadline_a = start_deadline(actor=None, owner=("tests.owner", "A-1"), rule_code="penalty.publicity",
                                  start=date(2025, 6, 10), org=w.town_a, title="南湖镇处罚决定公示")
    w.deadline_b = start_deadline(actor=None, owner=("tests.owner", "B-1"), rule_code="penalty.publicity",
                                  start=date(2025, 6, 10), org=w.town_b, title="北山镇处罚决定公示")
