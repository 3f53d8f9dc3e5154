"""The sweep runs every online supervision rule (idempotent: clues are unique per rule and case),
each over the cases changed since its last pass where the rule allows it (`Rule.changed_only`)."""

from yifa.core import sweep


@sweep.register("supervision")
def run(today):
    from .services import run_rules

    counts = run_rules(today=today, incremental=True)
    return {"clues": sum(counts.values())}
