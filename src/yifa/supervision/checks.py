"""三项制度 checks (行政执法公示、执法全过程记录、重大执法决定法制审核), per unit and
period, computed from case data.

- Publicity on time: decided cases whose decision must be published (publicity state other
  than 无需公示); on time when published no later than the publicity due date computed by
  the deadline engine for the case's rule, unit (overrides apply) and decision date; not
  yet published and past due fails; not yet due is left out (nothing to judge yet).
- Process-record completeness: concluded cases that fall under a record requirement
  (`rules.REQUIRED_RECORDS`); complete when every required kind is present.
- Legal review done where required: decided cases meeting the review thresholds
  (`rules.review_required_q`); done when the review passed.
- 事前公开 (per unit, not per case): every unit with enforcement items in force; done when
  its PriorDisclosure covers items, bases and procedures and was published by the
  period's end.
- 事中亮证: cases filed in the period that reached an on-site step (a penalty, coercion or
  inspection case past filing); done when the showing of certificates is recorded.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from yifa.core import clock
from yifa.core.errors import DomainError
from yifa.enforcement.models import Case, CaseType, PublicityState

from .rules import REQUIRED_RECORDS, concluded_q, records_missing_q, review_required_q


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    ok_label: str
    fail_label: str
    per_unit: bool = False  # judged per unit (事前公开), not per case: no case list behind it


CHECKS = {c.code: c for c in (
    Check("publicity", "行政执法公示按时率", "按时公示", "未按时公示"),
    Check("records", "全过程记录完整率", "记录完整", "记录缺失"),
    Check("review", "重大执法决定法制审核率", "已审核", "应审未审"),
    Check("disclosure", "事前公开（执法事项、依据、程序）", "已公开", "未公开", per_unit=True),
    Check("certificates", "事中出示执法证件率", "已亮证", "未登记亮证"),
)}

ON_SITE_TYPES = (CaseType.PENALTY, CaseType.COERCION, CaseType.INSPECTION)

PUBLICITY_RULE = {CaseType.PENALTY: "penalty.publicity", CaseType.PERMIT: "permit.publicity"}
DEFAULT_PUBLICITY_RULE = "enforcement.publicity"


def parse_period(start, end, today=None):
    """`start`/`end` as ISO strings or dates; defaults to the current year up to today."""
    from django.utils.dateparse import parse_date

    today = today or clock.today()

    def one(value, field, default):
        if value in (None, ""):
            return default
        if isinstance(value, date):
            return value
        try:
            d = parse_date(str(value))
        except ValueError:
            d = None
        if d is None:
            raise DomainError("日期格式不正确，应为 YYYY-MM-DD。", {field: ["日期格式不正确"]})
        return d

    s = one(start, "start", date(today.year, 1, 1))
    e = one(end, "end", today)
    if e < s:
        raise DomainError("结束日期不能早于开始日期。", {"end": ["不能早于开始日期"]})
    return s, e


def _cases(user, org=None):
    qs = Case.objects.visible_to(user)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs


def _publicity_population(user, start, end, org=None):
    return (_cases(user, org).filter(decided_on__gte=start, decided_on__lte=end)
            .exclude(publicity_state=PublicityState.NONE))


def _records_population(user, start, end, org=None):
    applies = Q(pk__in=[])
    for req in REQUIRED_RECORDS:
        applies |= Q(case_type__in=req.case_types, procedure__in=req.procedures)
    return (_cases(user, org).annotate(_concluded=Coalesce("decided_on", "closed_on"))
            .filter(concluded_q()).filter(applies, _concluded__gte=start, _concluded__lte=end))


def _review_population(user, start, end, org=None):
    return _cases(user, org).filter(decided_on__gte=start, decided_on__lte=end).filter(review_required_q())


def _certificates_population(user, start, end, org=None):
    """Cases filed in the period that reached their on-site step (past filing)."""
    return (_cases(user, org).filter(filed_on__gte=start, filed_on__lte=end, case_type__in=ON_SITE_TYPES)
            .exclude(state__in=("filed", "planned")))


def _disclosure_verdicts(user, end, org=None) -> dict:
    """{unit id: ok} for the units with enforcement items in force in the user's scope."""
    from yifa.enforcement.models import EnforcementItem, PriorDisclosure

    items = EnforcementItem.objects.visible_to(user).filter(is_active=True)
    if org is not None:
        items = items.filter(org__path__startswith=org.path)
    units = set(items.values_list("org_id", flat=True).distinct())
    done = {d.org_id: d.complete and d.published_on <= end
            for d in PriorDisclosure.objects.filter(org_id__in=units)}
    return {u: done.get(u, False) for u in units}


class _PublicityDue:
    """Publicity due dates by (rule, unit, decision date), computed once each with the engine."""

    def __init__(self):
        from yifa.deadlines import engine

        self.engine, self.cal, self.rules, self.memo = engine, engine.db_calendar(), {}, {}

    def __call__(self, code, org, start):
        key = (code, org.pk, start)
        if key not in self.memo:
            if (code, org.pk) not in self.rules:
                self.rules[(code, org.pk)] = self.engine.effective_rule(self.engine.get_rule(code), org)
            eff = self.rules[(code, org.pk)]
            # a span into a year without a notice is judged on its provisional date
            self.memo[key] = self.engine.due_date(self.cal, start=start, n=eff.n, unit=eff.unit,
                                                  direction=eff.direction)
        return self.memo[key]


def _publicity_verdicts(user, start, end, org=None, today=None):
    """{case pk: (org_id, ok)} for the cases that can be judged."""
    from yifa.orgs.models import Organization

    today = today or clock.today()
    rows = list(_publicity_population(user, start, end, org)
                .values_list("pk", "org_id", "case_type", "decided_on", "published_on"))
    orgs = Organization.objects.in_bulk({r[1] for r in rows})
    due_of, out = _PublicityDue(), {}
    for pk, org_id, case_type, decided_on, published_on in rows:
        due = due_of(PUBLICITY_RULE.get(case_type, DEFAULT_PUBLICITY_RULE), orgs[org_id], decided_on)
        if due is None:
            continue
        if published_on is not None:
            out[pk] = (org_id, published_on <= due)
        elif due < today:
            out[pk] = (org_id, False)
    return out


def _org_names(ids):
    from yifa.orgs.models import Organization

    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))


def _rate(ok, total):
    return round(100 * ok / total, 1) if total else None


def three_systems(user, start, end, org=None, today=None) -> dict:
    """Per unit: for each check the cases judged, those passing and the rate; and the totals."""
    per = {}

    def add(org_id, code, total, ok):
        row = per.setdefault(org_id, {c: {"total": 0, "ok": 0} for c in CHECKS})
        row[code]["total"] += total
        row[code]["ok"] += ok

    for org_id, ok in _publicity_verdicts(user, start, end, org, today).values():
        add(org_id, "publicity", 1, int(ok))
    for r in (_records_population(user, start, end, org).values("org_id")
              .annotate(total=Count("pk", distinct=True),
                        bad=Count("pk", distinct=True, filter=records_missing_q()))):
        add(r["org_id"], "records", r["total"], r["total"] - r["bad"])
    for r in (_review_population(user, start, end, org).values("org_id")
              .annotate(total=Count("pk"), ok=Count("pk", filter=Q(legal_review_result="passed")))):
        add(r["org_id"], "review", r["total"], r["ok"])
    for org_id, ok in _disclosure_verdicts(user, end, org).items():
        add(org_id, "disclosure", 1, int(ok))
    for r in (_certificates_population(user, start, end, org).values("org_id")
              .annotate(total=Count("pk"), ok=Count("pk", filter=Q(certificate_shown=True)))):
        add(r["org_id"], "certificates", r["total"], r["ok"])
    names = _org_names(per)
    rows = []
    totals = {c: {"total": 0, "ok": 0} for c in CHECKS}
    for org_id, checks in sorted(per.items(), key=lambda kv: names.get(kv[0], "")):
        for code, v in checks.items():
            v["fail"], v["rate"] = v["total"] - v["ok"], _rate(v["ok"], v["total"])
            totals[code]["total"] += v["total"]
            totals[code]["ok"] += v["ok"]
        rows.append({"org": org_id, "org_name": names.get(org_id, ""), **checks,
                     "cells": [dict(checks[c], code=c) for c in CHECKS]})
    for v in totals.values():
        v["fail"], v["rate"] = v["total"] - v["ok"], _rate(v["ok"], v["total"])
    return {"start": start, "end": end, "rows": rows, "totals": totals,
            "total_cells": [dict(totals[c], code=c) for c in CHECKS]}


def failing_cases(user, check, start, end, org=None, today=None):
    """The cases failing `check` in the period (a queryset, for lists and drill-down)."""
    if check not in CHECKS:
        raise DomainError("未知的检查项目。", {"check": ["应为 publicity、records、review 或 certificates"]})
    if check == "disclosure":  # judged per unit: no cases behind it
        qs = Case.objects.none()
    elif check == "certificates":
        qs = _certificates_population(user, start, end, org).filter(certificate_shown=False)
    elif check == "publicity":
        bad = [pk for pk, (_o, ok) in _publicity_verdicts(user, start, end, org, today).items() if not ok]
        qs = Case.objects.filter(pk__in=bad)
    elif check == "records":
        qs = _records_population(user, start, end, org).filter(records_missing_q())
    else:
        qs = _review_population(user, start, end, org).exclude(legal_review_result="passed")
    return qs.select_related("org", "item").order_by("-decided_on", "-id").distinct()
