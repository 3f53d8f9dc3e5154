"""The demo loader (small): every base library filled, cases in many states, some red."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_loader_small(_fast_hashers):
    from django.db import models
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
    # every open case has a 承办人: an officer of the case's own unit with an account
    open_cases = Case.objects.filter(is_open=True)
    assert open_cases.exists() and not open_cases.filter(handler__isnull=True).exists()
    assert not open_cases.exclude(handler__org=models.F("org")).exists()
    officer_of = dict(Officer.objects.filter(user__isnull=False).values_list("user_id", "org_id"))
    assert all(officer_of[h] == o for h, o in open_cases.values_list("handler_id", "org_id")[:500])
    assert not Officer.objects.filter(user__isnull=True).exists()
