"""The sweep warns about certificates expiring within 90 / 30 days or expired
(idempotent: one notification per officer, certificate validity and threshold)."""

from yifa.core import sweep


@sweep.register("training", per_unit=True)
def run(today, org_ids=None):
    from .services import warn_certificates

    return warn_certificates(today, org_ids=org_ids)
