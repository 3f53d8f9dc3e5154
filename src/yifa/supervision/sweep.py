"""The sweep runs every online supervision rule (idempotent: clues are unique per rule and case)."""

from yifa.core import sweep


@sweep.register("supervision")
def run(today):
    from .services import run_rules

    counts = run_rules(today=today)
    return {"clues": sum(counts.values())}
