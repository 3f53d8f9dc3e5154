"""The demo loader (small): every base library filled, cases in many states, some red."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_loader_small(_fast_hashers):
    from django.utils import timezone

    from yifa.enforcement import demo as enforcement_demo
    from yifa.enforcement.models import Case, EnforcementItem, Officer, OnTimeRollup
    from yifa.orgs import demo as orgs_demo

    ctx = {}
    orgs_demo.load(ctx, lambda m: None)
    messages = []
    enforcement_demo.build(ctx, messages.append, per_day=1.0)
    assert Officer.objects.count() == 237 and EnforcementItem.objects.count() == 56
    states = set(Case.objects.values_list("state", flat=True))
    assert {"filed", "investigating", "decided", "closed", "seized", "accepted"} <= states
    assert Case.objects.red(timezone.localdate()).exists()
    assert OnTimeRollup.objects.exists()
    assert any("执法案件" in m for m in messages)
