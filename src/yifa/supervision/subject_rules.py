"""线上监督 rules about records other than one case: an officer's fines always at the top of
the benchmark, a problem found again after its rectification (整改反弹), complaints about
one unit and matter repeating, a unit's penalty volume changing sharply month on month.

Each is one grouped, set-based query (`subjects(today)`, see `supervision.subjects`)
bounded by the period it checks; its thresholds are `Param`s read with `rules.param`
(imported when the query runs: `rules` imports this module to register the rules)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (Case as When_, CharField, Count, DateField, Exists, F, FloatField, Max, OuterRef, Q, Subquery,
                              Value, When)
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from yifa.enforcement.models import Case, CaseType, DiscretionBenchmark, Sanction

from .subjects import month_period, period_words, quarter_period

TOP_OF_RANGE = "discretion.top_of_range"
REBOUND = "rectification.rebound"
COMPLAINTS = "complaints.repeated"
PENALTY_TREND = "trend.penalty_volume"


def _param(code, key):
    from .rules import param

    return param(code, key)


def _choice_words(field: str, choices) -> When_:
    """A choice field's Chinese label as an SQL expression (for a subject's label)."""
    return When_(*[When(**{field: value}, then=Value(words)) for value, words in choices], default=Value(""),
                 output_field=CharField())


# --- period helpers ---------------------------------------------------------------------------

def previous_quarter(today: date) -> tuple[date, date]:
    """The last complete quarter before `today`'s: (first day, last day)."""
    q_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = q_start - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


def previous_months(today: date) -> tuple[date, date, date]:
    """(first day of the month before last, first day of last month, last day of last month)."""
    cur_end = today.replace(day=1) - timedelta(days=1)
    cur_start = cur_end.replace(day=1)
    prev_start = (cur_start - timedelta(days=1)).replace(day=1)
    return prev_start, cur_start, cur_end


# --- fines always at the top of the benchmark (one officer) ------------------------------------

def _benchmarked_fines(start: date, end: date):
    """Decided fines in [start, end] whose item has a benchmark range for the recorded
    circumstance level, annotated with that range (`_min`, `_max`)."""
    bench = DiscretionBenchmark.objects.filter(item=OuterRef("item"), level=OuterRef("circumstance")).order_by("pk")
    return (Case.objects.filter(case_type=CaseType.PENALTY, sanction=Sanction.FINE, decided_on__gte=start,
                                decided_on__lte=end, amount__isnull=False)
            .exclude(circumstance="")
            .annotate(_min=Subquery(bench.values("min_amount")[:1]), _max=Subquery(bench.values("max_amount")[:1]))
            .filter(_max__isnull=False, _max__gt=F("_min")))


def _top_q():
    """A fine at or above `position` of its benchmark range (or at its maximum)."""
    position = Decimal(str(_param(TOP_OF_RANGE, "position")))
    return Q(amount__gte=F("_min") + (F("_max") - F("_min")) * Value(position)) | Q(amount__gte=F("_max"))


def fines_at_top(today):
    """Officers who, in the last complete quarter, took part in at least `min_fines` decided
    fines with a benchmark and put at least `share` of them at the top of the range."""
    start, end = previous_quarter(today)
    share = float(_param(TOP_OF_RANGE, "share"))
    return (_benchmarked_fines(start, end).order_by()
            .values(subject_id=F("officers__id"), subject_org=F("officers__org_id"),
                    subject_label=Concat(F("officers__name"), Value("（"), F("officers__org__name"), Value("）"),
                                         output_field=CharField()))
            .annotate(_n=Count("pk", distinct=True), _top=Count("pk", filter=_top_q(), distinct=True))
            .filter(subject_id__isnull=False, _n__gte=_param(TOP_OF_RANGE, "min_fines"))
            .filter(_top__gte=Cast(F("_n"), FloatField()) * Value(share))
            .annotate(subject_type=Value("enforcement.officer", output_field=CharField()),
                      subject_period=Value(quarter_period(start), output_field=CharField())))


def fines_at_top_evidence(clue):
    start, end = previous_quarter(clue.raised_on)
    rows = (_benchmarked_fines(start, end).filter(officers=clue.subject_id).order_by("decided_on", "pk")
            .values("pk", "case_no", "title", "amount", "_min", "_max"))
    top_pks = set(_benchmarked_fines(start, end).filter(officers=clue.subject_id).filter(_top_q())
                  .values_list("pk", flat=True))
    return [(f"{r['case_no']} {r['title']}：罚款 {r['amount']:,.2f} 元，基准 {r['_min']:,.2f}—{r['_max']:,.2f} 元"
             + ("（顶格）" if r["pk"] in top_pks else ""), reverse("enforcement:case_detail", args=[r["pk"]]))
            for r in rows]


# --- 整改反弹: the same problem found again after its rectification was verified ---------------

def _earlier_verified(window_days: int):
    from .models import Finding, FindingState

    return (Finding.objects.filter(org=OuterRef("org"), category=OuterRef("category"), state=FindingState.VERIFIED,
                                   verified_on__lte=OuterRef("raised_on"), verified_on__gte=OuterRef("_since"))
            .exclude(pk=OuterRef("pk"))
            .filter(Q(sector__isnull=True) | Q(sector=OuterRef("sector"))))


def rectification_rebound(today):
    """Findings raised in the last `window_days` whose unit had a finding of the same
    category (and the same sector, when that one named a sector) verified as rectified in
    the `window_days` before it (not the findings recorded by confirming such a clue)."""
    from .models import Finding, FindingCategory

    days = _param(REBOUND, "window_days")
    recent = Finding.objects.filter(raised_on__gte=today - timedelta(days=days), raised_on__lte=today)
    # raised_on - days, as a date on every database (SQLite's date arithmetic yields text)
    since = Cast(F("raised_on") - Value(timedelta(days=days)), DateField())
    # a finding recorded by confirming a rebound clue is that rebound again, not a new one
    return (recent.exclude(clues__rule_code=REBOUND).alias(_since=since)
            .filter(Exists(_earlier_verified(days)))
            .order_by()
            .values(subject_id=F("pk"), subject_org=F("org_id"),
                    subject_label=Concat(F("org__name"), Value("："), _choice_words("category", FindingCategory.choices),
                                         Value("问题再次发现（"), Cast("raised_on", CharField()), Value("）"),
                                         output_field=CharField()))
            .annotate(subject_type=Value("supervision.finding", output_field=CharField()),
                      subject_period=Value("", output_field=CharField())))


def rectification_rebound_evidence(clue):
    from .models import Finding

    days = _param(REBOUND, "window_days")
    f = Finding.objects.filter(pk=clue.subject_id).first()
    if f is None:
        return []
    q = (Finding.objects.filter(org=f.org_id, category=f.category, state="verified", verified_on__lte=f.raised_on,
                                verified_on__gte=f.raised_on - timedelta(days=days)).exclude(pk=f.pk)
         .filter(Q(sector__isnull=True) | Q(sector=f.sector_id)).order_by("-verified_on"))
    out = [(f"本次发现：{f.raised_on:%Y-%m-%d} {f.description[:60]}", reverse("supervision:finding_detail", args=[f.pk]))]
    out += [(f"此前问题（{e.verified_on:%Y-%m-%d} 核验整改完毕）：{e.description[:60]}",
             reverse("supervision:finding_detail", args=[e.pk])) for e in q[:20]]
    return out


# --- complaints about the same unit and matter repeating ----------------------------------------

def repeated_complaints(today):
    """Units complained about at least `count` times on the same matter (投诉类别) within the
    last `window_days`: the clue's subject is the latest of those complaints, so a further
    complaint on the same matter raises a new clue."""
    from .complaints.models import Complaint, ComplaintCategory

    days = _param(COMPLAINTS, "window_days")
    return (Complaint.objects.filter(received_on__gte=today - timedelta(days=days), received_on__lte=today)
            .order_by()
            .values(subject_org=F("subject_unit_id"),
                    subject_label=Concat(F("subject_unit__name"), Value("：“"),
                                         _choice_words("category", ComplaintCategory.choices), Value("”类投诉反复发生"),
                                         output_field=CharField()))
            .annotate(_n=Count("pk"), subject_id=Max("pk"))
            .filter(subject_org__isnull=False, _n__gte=_param(COMPLAINTS, "count"))
            .annotate(subject_type=Value("complaints.complaint", output_field=CharField()),
                      subject_period=Value("", output_field=CharField())))


def repeated_complaints_evidence(clue):
    from .complaints.models import Complaint

    days = _param(COMPLAINTS, "window_days")
    last = Complaint.objects.filter(pk=clue.subject_id).first()
    if last is None:
        return []
    same = (Complaint.objects.filter(subject_unit=last.subject_unit_id, category=last.category,
                                     received_on__gte=last.received_on - timedelta(days=days),
                                     received_on__lte=last.received_on, pk__lte=last.pk)
            .order_by("received_on", "pk"))
    return [(f"{c.received_on:%Y-%m-%d} 收到投诉（{c.get_category_display()}）：{c.content[:40]}",
             reverse("complaints:detail", args=[c.pk])) for c in same[:50]]


# --- a unit's penalty volume changing sharply month on month ----------------------------------

def _penalties(start: date, end: date):
    return Case.objects.filter(case_type=CaseType.PENALTY, decided_on__gte=start, decided_on__lte=end)


def penalty_volume_trend(today):
    """Units whose decided penalties in the last complete month rose or fell by at least
    `change` against the month before, with at least `min_cases` in each month."""
    prev_start, cur_start, cur_end = previous_months(today)
    change = float(_param(PENALTY_TREND, "change"))
    prev = Cast(F("_prev"), FloatField())
    return (_penalties(prev_start, cur_end).order_by()
            .values(subject_id=F("org_id"), subject_org=F("org_id"), subject_label=F("org__name"))
            .annotate(_prev=Count("pk", filter=Q(decided_on__lt=cur_start)),
                      _cur=Count("pk", filter=Q(decided_on__gte=cur_start)))
            .filter(_prev__gte=_param(PENALTY_TREND, "min_cases"), _cur__gte=_param(PENALTY_TREND, "min_cases"))
            .filter(Q(_cur__gte=prev * Value(1 + change)) | Q(_cur__lte=prev * Value(1 - change)))
            .annotate(subject_type=Value("orgs.organization", output_field=CharField()),
                      subject_period=Value(month_period(cur_start), output_field=CharField())))


def penalty_volume_trend_evidence(clue):
    prev_start, cur_start, cur_end = previous_months(date(*map(int, clue.period.split("-")), 1)
                                                     + timedelta(days=40)) if clue.period else previous_months(
        clue.raised_on)
    counts = _penalties(prev_start, cur_end).filter(org=clue.subject_id).aggregate(
        prev=Count("pk", filter=Q(decided_on__lt=cur_start)), cur=Count("pk", filter=Q(decided_on__gte=cur_start)))
    return [(f"{period_words(month_period(prev_start))}作出行政处罚决定 {counts['prev']} 件", ""),
            (f"{period_words(month_period(cur_start))}作出行政处罚决定 {counts['cur']} 件", "")]


# --- the rules (registered in rules.RULES by rules.py) ----------------------------------------

def declare(Rule, Param):
    """The rules of this module, built with rules.Rule/Param (passed in: no import circle)."""
    return (
        Rule(TOP_OF_RANGE, "罚款长期顶格", "同一执法人员上一季度参与的有裁量基准的罚款决定达到规定件数，"
             "且罚款金额处于基准幅度高位（或上限）的比例达到规定比例。",
             "《行政处罚法》第五条（过罚相当）、第三十四条（裁量基准）；《国务院办公厅关于进一步规范行政裁量权基准制定和管理工作的意见》"
             "（国办发〔2022〕27号）", None, severity="medium",
             rationale="个案在基准范围内不等于裁量适当：一名执法人员的罚款长期集中在幅度顶端，说明情节认定可能"
                       "“一律从重”，未区分违法情节轻重，是过罚不相当的典型表现，需要抽查其案卷。",
             params=(Param("min_fines", "最少罚款件数", 5, "件", "件数太少时比例没有意义，五件以上才看分布。"),
                     Param("position", "高位起点（占基准幅度）", Decimal("0.9"), "", "罚款金额达到下限加幅度的九成即视为顶格。",
                           kind="share"),
                     Param("share", "顶格比例", Decimal("0.8"), "", "八成以上罚款处于高位，已明显偏离情节的正常分布。",
                           kind="share")),
             subjects=fines_at_top, evidence=fines_at_top_evidence),
        Rule(REBOUND, "整改反弹", "同一单位的同类问题（设有执法领域的，同一领域）在整改经核验后规定期间内再次被发现。",
             "《法治政府建设与责任落实督察工作规定》第二十条；《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度"
             "重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）", None, severity="high",
             rationale="整改通过核验后短期内同类问题再次出现，说明整改只做了个案纠正，没有从制度上解决问题，"
                       "应当约谈或升级监督措施。",
             params=(Param("window_days", "反弹观察期", 365, "天", "以十二个月为观察期，覆盖一个完整的年度执法周期。"),),
             subjects=rectification_rebound, evidence=rectification_rebound_evidence),
        Rule(COMPLAINTS, "同类投诉反复", "同一单位在规定期间内因同一类事项被投诉举报达到规定件数。",
             "《信访工作条例》第三十一条；《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度"
             "重大执法决定法制审核制度的指导意见》", None, severity="medium",
             rationale="同一单位同一类事项被反复投诉，往往不是个别人员的偶发问题，而是执法方式或制度上的问题，"
                       "应当作为监督检查的线索。",
             params=(Param("count", "投诉件数", 3, "件", "三件及以上即不属偶发。"),
                     Param("window_days", "统计期间", 90, "天", "以一个季度为期，问题仍在持续。")),
             subjects=repeated_complaints, evidence=repeated_complaints_evidence),
        Rule(PENALTY_TREND, "处罚量骤变", "单位上月作出的行政处罚决定件数较前一月上升或下降达到规定幅度（两个月均不少于规定件数）。",
             "《行政执法监督条例》（执法监督）；《法治政府建设实施纲要（2021—2025年）》（运用大数据开展监督）", None,
             severity="low",
             rationale="处罚量短期内大起大落，可能是运动式执法、突击罚款（“冲指标”）或执法懈怠的信号，"
                       "需要了解原因；季节性专项行动等正常原因可以说明后排除。",
             params=(Param("change", "变化幅度", Decimal("0.5"), "", "环比上升或下降五成以上视为骤变。", kind="share"),
                     Param("min_cases", "每月最少件数", 5, "件", "件数太少时比例波动没有意义。")),
             subjects=penalty_volume_trend, evidence=penalty_volume_trend_evidence),
    )
