"""Demo data for the online rules that are not about one case, and a supervisor's handling of
clues so every rule's hit rate has figures.

The enforcement demo records no circumstance level on its fines, no problem found again
after its rectification, complaints spread thinly over 41 units and an even monthly
penalty volume, so the county would see none of these rules fire. This loader adds, dated
relative to today, what a county typically sees in a year:

- two officers whose fines last quarter were set at the top of the benchmark (recorded
  circumstance "一般", amount at the range's maximum) — their co-signing officers too;
- three problems found again within months of their rectification being verified;
- two units complained about repeatedly on the same matter;
- one unit's penalty volume dropping sharply after a special campaign month, and one rising;

then runs all the rules (idempotent) and has the supervisor confirm or dismiss (with a
reason) a few clues of every rule."""

import random
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Subquery

from yifa.core import clock, demo
from yifa.core.errors import DomainError

DISMISS_REASONS = [
    "经核实，系系统数据录入错误，已更正，不构成执法问题。",
    "经核实，属于法律、法规规定的例外情形，处理适当。",
    "经核实，该问题已在专项监督检查中发现并处理，不再重复立项。",
]
TREND_REASON = "当月开展专项整治行动，处罚量变化有正当原因。"


@demo.register("supervision_rules", order=75)
def load(ctx, progress):
    users = ctx.get("users", {})
    if users.get("supervisor") is None:
        progress("跳过：缺少监督员演示账号")
        return
    today = clock.today()
    rng = random.Random(1818)
    seeded = seed(ctx["orgs"], today, rng)
    progress("线上监督（非个案规则）示例：" + "，".join(f"{k} {v}" for k, v in seeded.items()))
    out = run_and_handle(users["supervisor"], today)
    progress(f"线上监督：新增线索 {out['raised']} 条，确认 {out['confirmed']} 条，排除 {out['dismissed']} 条")


def seed(orgs, today, rng) -> dict:
    return {"顶格罚款的执法人员": seed_top_fines(today),
            "整改反弹问题": seed_rebounds(orgs, today, rng),
            "同类投诉反复的单位": seed_complaints(orgs, today, rng),
            "处罚量骤变的单位": seed_penalty_trend(today)}


# --- fines at the top of the benchmark --------------------------------------------------------

def seed_top_fines(today, officers: int = 2) -> int:
    """The officers with the most general-procedure fines last quarter: their fines get the
    recorded circumstance "一般" and the amount at that benchmark's maximum."""
    from yifa.enforcement.models import Case, DiscretionBenchmark

    from .rules import param
    from .subject_rules import TOP_OF_RANGE, previous_quarter

    start, end = previous_quarter(today)
    fines = Case.objects.filter(case_type="penalty", sanction="fine", procedure="general", decided_on__gte=start,
                                decided_on__lte=end, item__benchmarks__level="general")
    top = list(fines.order_by().values("officers").annotate(n=Count("pk", distinct=True))
               .filter(n__gte=param(TOP_OF_RANGE, "min_fines")).order_by("-n", "officers")
               .values_list("officers", flat=True)[:officers])
    bench_max = DiscretionBenchmark.objects.filter(item=OuterRef("item"), level="general").values("max_amount")[:1]
    Case.objects.filter(pk__in=fines.filter(officers__in=top).values("pk")).update(
        circumstance="general", amount=Subquery(bench_max), discretion_reason="")
    return len(top)


# --- 整改反弹 ----------------------------------------------------------------------------------

def seed_rebounds(orgs, today, rng, n: int = 3) -> int:
    """Three units: a problem verified as rectified about five months ago, found again last month."""
    from yifa.orgs.demo import DEPARTMENTS

    from .demo import FINDINGS
    from .models import Finding, FindingState

    units = [orgs[f"QH-D-{c}"] for c, _ in DEPARTMENTS[:n]]
    rows = []
    for i, org in enumerate(units):
        category, text = FINDINGS[(3 * i + 1) % len(FINDINGS)]
        raised = today - timedelta(days=200 + 7 * i)
        verified = today - timedelta(days=150 + 5 * i)
        rows.append(Finding(org=org, category=category, description=text, raised_on=raised,
                            state=FindingState.VERIFIED, corrected_on=verified - timedelta(days=10),
                            evidence="已完成整改，相关案卷已补正，并组织全员学习。", verified_on=verified))
        rows.append(Finding(org=org, category=category, description=f"{text}（整改后再次发现）",
                            raised_on=today - timedelta(days=20 + rng.randrange(0, 10)), state=FindingState.OPEN))
    Finding.objects.bulk_create(rows)
    return len(units)


# --- complaints repeating ---------------------------------------------------------------------

COMPLAINT_TEXTS = {
    "fine": "反映执法人员在检查中未说明依据即当场罚款，罚款数额与同类商户相差较大。",
    "conduct": "反映执法人员检查时态度生硬，未出示执法证件。",
}


def seed_complaints(orgs, today, rng) -> int:
    """Two units complained about three or four times on one matter in the last two months:
    copies of a closed demo complaint (another complainant, matter and dates)."""
    from django.db.models import DateField, DateTimeField

    from yifa.orgs.demo import DEPARTMENTS

    from .complaints.models import Complaint

    template = Complaint.objects.filter(state="closed").order_by("pk").first()
    if template is None:
        return 0
    date_fields = [f.attname for f in Complaint._meta.concrete_fields if isinstance(f, DateField)
                   and not isinstance(f, DateTimeField)]
    rows, n = [], 0
    for (code, _), (category, times) in zip(DEPARTMENTS[3:5], (("fine", 4), ("conduct", 3)), strict=True):
        unit = orgs[f"QH-D-{code}"]
        for k in range(times):
            received = today - timedelta(days=60 - 14 * k)
            c = Complaint.objects.get(pk=template.pk)
            c.pk = c.id = None
            shift = received - template.received_on
            for name in date_fields:
                value = getattr(template, name)
                if value is not None:
                    setattr(c, name, min(today, value + shift))
            n += 1
            c.org = c.subject_unit = unit
            c.query_code = f"QHRULE{today:%y}{n:04d}"
            c.hotline_ticket = ""
            c.category, c.content = category, COMPLAINT_TEXTS[category]
            c.complainant_name = rng.choice(["王", "李", "赵", "刘"]) + rng.choice(["先生", "女士"])
            c.finding = None
            rows.append(c)
    Complaint.objects.bulk_create(rows)
    return 2


# --- penalty volume trend ---------------------------------------------------------------------

def seed_penalty_trend(today) -> int:
    """A special campaign month: the busiest department decided a burst of summary fines the
    month before last, so last month's volume drops by more than half; another department's
    volume rises by more than half last month. Copies of one of its summary fines (another
    party and number, decided and closed on a weekday)."""
    from yifa.enforcement.models import Case

    from .rules import param
    from .subject_rules import PENALTY_TREND, previous_months

    prev_start, cur_start, cur_end = previous_months(today)
    minimum = param(PENALTY_TREND, "min_cases")
    change = float(param(PENALTY_TREND, "change"))
    penalties = Case.objects.filter(case_type="penalty", decided_on__gte=prev_start, decided_on__lte=cur_end,
                                    org__kind="department")
    units = list(penalties.order_by().values("org").annotate(n=Count("pk")).order_by("-n", "org")
                 .values_list("org", flat=True)[:2])
    made = 0
    for i, org in enumerate(units):
        prev = penalties.filter(org=org, decided_on__lt=cur_start).count()
        cur = penalties.filter(org=org, decided_on__gte=cur_start).count()
        prev_add = max(0, minimum - prev)
        cur_add = max(0, minimum - cur)
        prev, cur = prev + prev_add, cur + cur_add
        if i == 0:  # a drop: the month before last at least cur / (1 - change)
            prev_add += max(0, int(cur / (1 - change)) + 1 - prev)
        else:  # a rise: last month at least prev * (1 + change)
            cur_add += max(0, int(prev * (1 + change)) + 1 - cur)
        made += _clone_summary_fines(org, prev_start, cur_start - timedelta(days=1), prev_add, f"{i}A")
        made += _clone_summary_fines(org, cur_start, cur_end, cur_add, f"{i}B")
    return len(units) if made else 0


def _clone_summary_fines(org_id, start: date, end: date, count: int, tag: str) -> int:
    from yifa.enforcement.models import Case

    template = (Case.objects.filter(org=org_id, case_type="penalty", procedure="summary", state="closed",
                                    sanction="fine").order_by("pk").first())
    if template is None or count <= 0:
        return 0
    officers = list(template.officers.all())
    weekdays = [start + timedelta(days=d) for d in range((end - start).days + 1)
                if (start + timedelta(days=d)).weekday() < 5]
    through = Case.officers.through
    made = []
    for k in range(count):
        day = weekdays[(3 * k) % len(weekdays)]
        c = Case.objects.get(pk=template.pk)
        c.pk = c.id = None
        c.case_no = f"{template.case_no[:30]}-ZX{tag}{k + 1:02d}"
        c.source_case_no = c.case_no
        c.party_name = f"专项整治当事人{tag}{k + 1:02d}"
        c.party_id_no = ""
        c.filed_on = c.decided_on = day
        c.closed_on = day + timedelta(days=1)
        c.title = f"{template.title}（专项整治）"
        made.append(c)
    Case.objects.bulk_create(made)
    through.objects.bulk_create([through(case_id=c.pk, officer_id=o.pk) for c in made for o in officers])
    return len(made)


# --- run and handle ---------------------------------------------------------------------------

def run_and_handle(supervisor, today, per_rule: int = 3) -> dict:
    """Run every rule (idempotent), then the supervisor handles the oldest open clues of each
    rule: of three, two confirmed as problems and one dismissed with a reason."""
    from . import services
    from .models import Clue, ClueState, FindingCategory
    from .rules import RULES

    counts = services.run_rules(today=today)
    out = {"raised": sum(counts.values()), "confirmed": 0, "dismissed": 0}
    categories = {"discretion": FindingCategory.SUBSTANCE, "rectification": FindingCategory.OTHER,
                  "complaints": FindingCategory.CONDUCT, "publicity": FindingCategory.PUBLICITY,
                  "records": FindingCategory.DOCUMENT, "officers": FindingCategory.SUBJECT}
    for code in RULES:
        handled = Clue.objects.filter(rule_code=code).exclude(state=ClueState.OPEN).count()
        if handled >= per_rule:
            continue
        clues = list(Clue.objects.filter(rule_code=code, state=ClueState.OPEN).order_by("pk")[:per_rule - handled])
        for i, clue in enumerate(clues):
            try:
                if i % 3 == 2 or code.startswith("trend."):
                    reason = TREND_REASON if code.startswith("trend.") else DISMISS_REASONS[clue.pk % 3]
                    services.dismiss_clue(actor=supervisor, clue=clue, reason=reason, on=today)
                    out["dismissed"] += 1
                else:
                    category = categories.get(code.split(".")[0], FindingCategory.PROCEDURE)
                    services.confirm_clue(actor=supervisor, clue=clue, category=category, on=today)
                    out["confirmed"] += 1
            except DomainError:
                continue
    return out
