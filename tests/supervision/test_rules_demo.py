"""The demo county's data raise clues for every online rule (written over RULES, so a rule
added later is covered too), and the supervisor's handling gives each rule a hit rate."""

import pytest

from yifa.supervision.subject_rules import COMPLAINTS, PENALTY_TREND, REBOUND, TOP_OF_RANGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_county(db):
    from yifa.enforcement import demo as enf_demo
    from yifa.orgs import demo as org_demo
    from yifa.supervision import demo, rules_demo
    from yifa.supervision.complaints import demo as complaints_demo

    ctx, msgs = {}, []
    org_demo.load(ctx, msgs.append)
    enf_demo.load(ctx, msgs.append)
    demo.load(ctx, msgs.append)
    complaints_demo.load(ctx, msgs.append)
    rules_demo.load(ctx, msgs.append)
    return ctx, msgs


def test_every_rule_has_clues_and_handled_ones(demo_county):
    from django.db.models import Count, Q

    from yifa.supervision.models import Clue
    from yifa.supervision.rules import RULES

    ctx, msgs = demo_county
    counts = {r["rule_code"]: r for r in Clue.objects.values("rule_code").annotate(
        n=Count("pk"), confirmed=Count("pk", filter=Q(state="confirmed")),
        dismissed=Count("pk", filter=Q(state="dismissed")))}
    print({code: counts.get(code, {}).get("n", 0) for code in RULES})
    assert not [code for code in RULES if counts.get(code, {}).get("n", 0) < 1]
    assert not [code for code in RULES if counts[code]["confirmed"] + counts[code]["dismissed"] < 1]
    assert counts[TOP_OF_RANGE]["n"] >= 2 and counts[REBOUND]["n"] >= 3
    assert counts[COMPLAINTS]["n"] >= 2 and counts[PENALTY_TREND]["n"] >= 2
    assert any(c.dismiss_reason for c in Clue.objects.filter(state="dismissed"))
    assert any("非个案规则" in m for m in msgs)
    # idempotent: a rerun adds only what the handling itself produced (a finding recorded
    # by confirming a clue may be a problem found again after its rectification), then nothing
    from yifa.supervision import services

    assert sum(v for k, v in services.run_rules().items() if k != REBOUND) == 0
    assert sum(services.run_rules().values()) == 0
