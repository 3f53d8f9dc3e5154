"""Supervision statistics per unit and period: inspections, findings by category and
source, corrected, letters issued and rectified (rectification rate), decisions, clues
raised and confirmed. Every figure has the query string of the list it drills down to.

`supervision_metrics(...)` is the small entry point other modules (assessment, the
leader dashboard) call: the county's (or a unit's subtree's) figures as a dict.
"""

from urllib.parse import urlencode

from django.db.models.functions import ExtractYear
from django.db.models import Count, Q

from yifa.orgs.models import Organization

from .models import (Clue, ClueState, Finding, FindingCategory, FindingSource, FindingState, Inspection,
                     LetterState, LetterTier, OpinionLetter, SupervisionDecision)

RECTIFIED = (LetterState.ACCEPTED, LetterState.CLOSED)


def _rate(n, d):
    return round(100 * n / d, 1) if d else None


def _scoped(model, user):
    return model.objects.visible_to(user) if user is not None else model.objects.all()


def _subtree(qs, org, field="org"):
    return qs.filter(**{f"{field}__path__startswith": org.path}) if org is not None else qs


def _querysets(user, org, start, end):
    insp = _subtree(_scoped(Inspection, user), org).filter(period_start__gte=start, period_start__lte=end)
    findings = _subtree(_scoped(Finding, user), org).filter(raised_on__gte=start, raised_on__lte=end)
    letters = _subtree(_scoped(OpinionLetter, user), org).filter(issued_on__gte=start, issued_on__lte=end)
    decisions = _subtree(_scoped(SupervisionDecision, user), org).filter(issued_on__gte=start, issued_on__lte=end)
    clues = _subtree(_scoped(Clue, user), org).filter(raised_on__gte=start, raised_on__lte=end)
    return insp, findings, letters, decisions, clues


def supervision_metrics(*, org: Organization | None = None, start, end, user=None) -> dict:
    """Figures for `org`'s subtree (None = all, or what `user` sees when given) in [start, end]:

    inspections, special_inspections, findings, findings_corrected, finding_correction_rate,
    findings_major, findings_by_category {code: n}, findings_by_source {code: n}, letters_issued,
    letters_rectified, rectification_rate (%, rectified / issued), letters_open, letters_overdue
    (rectifying past due, as of `end`), decisions_issued, clues_raised, clues_confirmed, clues_dismissed.
    The 条例's three instruments are each counted: notices_issued (通知书), opinions_issued
    (意见书; letters_issued is both), decisions_issued (决定书), instruments_issued (all three).
    """
    insp, findings, letters, decisions, clues = _querysets(user, org, start, end)
    i = insp.aggregate(total=Count("pk"), special=Count("pk", filter=Q(kind="special")))
    f = findings.aggregate(total=Count("pk"), corrected=Count("pk", filter=~Q(state=FindingState.OPEN)),
                           major=Count("pk", filter=Q(is_major=True)))
    by_cat = dict(findings.values_list("category").annotate(n=Count("pk")).order_by())
    by_src = dict(findings.values_list("source").annotate(n=Count("pk")).order_by())
    lt = letters.aggregate(total=Count("pk"), rectified=Count("pk", filter=Q(state__in=RECTIFIED)),
                           notices=Count("pk", filter=Q(tier=LetterTier.NOTICE)),
                           opinions=Count("pk", filter=Q(tier=LetterTier.OPINION)),
                           open=Count("pk", filter=Q(state__in=(LetterState.RECTIFYING, LetterState.SUBMITTED))),
                           overdue=Count("pk", filter=Q(state=LetterState.RECTIFYING, due__lt=end)))
    n_decisions = decisions.count()
    c = clues.aggregate(total=Count("pk"), confirmed=Count("pk", filter=Q(state=ClueState.CONFIRMED)),
                        dismissed=Count("pk", filter=Q(state=ClueState.DISMISSED)))
    return {
        "start": start, "end": end, "org": org.pk if org is not None else None,
        "inspections": i["total"], "special_inspections": i["special"],
        "findings": f["total"], "findings_corrected": f["corrected"],
        "finding_correction_rate": _rate(f["corrected"], f["total"]), "findings_major": f["major"],
        "findings_by_category": {code: by_cat.get(code, 0) for code in FindingCategory.values},
        "findings_by_source": {code: by_src.get(code, 0) for code in FindingSource.values},
        "letters_issued": lt["total"], "letters_rectified": lt["rectified"],
        "rectification_rate": _rate(lt["rectified"], lt["total"]), "letters_open": lt["open"],
        "letters_overdue": lt["overdue"], "decisions_issued": n_decisions,
        "notices_issued": lt["notices"], "opinions_issued": lt["opinions"],
        "instruments_issued": lt["total"] + n_decisions,
        "clues_raised": c["total"], "clues_confirmed": c["confirmed"], "clues_dismissed": c["dismissed"],
    }


def per_unit(user, start, end, org=None) -> list[dict]:
    """One row per supervised unit (the unit a finding, letter or clue is addressed to)."""
    _insp, findings, letters, decisions, clues = _querysets(user, org, start, end)
    rows = {}

    def row(org_id):
        return rows.setdefault(org_id, {"org": org_id, "findings": 0, "findings_corrected": 0, "letters_issued": 0,
                                        "notices_issued": 0, "opinions_issued": 0,
                                        "letters_rectified": 0, "decisions_issued": 0, "clues_raised": 0,
                                        "clues_confirmed": 0})

    for r in findings.values("org").annotate(n=Count("pk"), done=Count("pk", filter=~Q(state=FindingState.OPEN))):
        row(r["org"]).update(findings=r["n"], findings_corrected=r["done"])
    for r in letters.values("org").annotate(n=Count("pk"), done=Count("pk", filter=Q(state__in=RECTIFIED)),
                                            notices=Count("pk", filter=Q(tier=LetterTier.NOTICE))):
        row(r["org"]).update(letters_issued=r["n"], letters_rectified=r["done"], notices_issued=r["notices"],
                             opinions_issued=r["n"] - r["notices"])
    for r in decisions.values("org").annotate(n=Count("pk")):
        row(r["org"]).update(decisions_issued=r["n"])
    for r in clues.values("org").annotate(n=Count("pk"), ok=Count("pk", filter=Q(state=ClueState.CONFIRMED))):
        row(r["org"]).update(clues_raised=r["n"], clues_confirmed=r["ok"])
    names = dict(Organization.objects.filter(pk__in=rows).values_list("pk", "name"))
    out = []
    for org_id, r in rows.items():
        r["org_name"] = names.get(org_id, "")
        r["finding_correction_rate"] = _rate(r["findings_corrected"], r["findings"])
        r["rectification_rate"] = _rate(r["letters_rectified"], r["letters_issued"])
        out.append(r)
    return sorted(out, key=lambda r: r["org_name"])


def drill_urls(start, end, org_id=None) -> dict:
    """The list URL (with filter parameters) each figure drills down to."""
    from django.urls import reverse

    base = {"start": start.isoformat(), "end": end.isoformat()}
    if org_id:
        base["org"] = org_id

    def url(name, **extra):
        return f"{reverse(name)}?{urlencode({**base, **extra})}"

    out = {
        "inspections": url("supervision:inspection_list"),
        "special_inspections": url("supervision:inspection_list", kind="special"),
        "findings": url("supervision:finding_list"),
        "findings_corrected": url("supervision:finding_list", corrected="true"),
        "findings_major": url("supervision:finding_list", is_major="true"),
        "letters_issued": url("supervision:letter_list"),
        "notices_issued": url("supervision:letter_list", tier=LetterTier.NOTICE),
        "opinions_issued": url("supervision:letter_list", tier=LetterTier.OPINION),
        "letters_rectified": url("supervision:letter_list", rectified="true"),
        "letters_open": url("supervision:letter_list", open="true"),
        "decisions_issued": url("supervision:decision_list"),
        "clues_raised": url("supervision:clue_list"),
        "clues_confirmed": url("supervision:clue_list", state="confirmed"),
        "clues_dismissed": url("supervision:clue_list", state="dismissed"),
    }
    out["category"] = {c: url("supervision:finding_list", category=c) for c in FindingCategory.values}
    out["source"] = {s: url("supervision:finding_list", source=s) for s in FindingSource.values}
    return out


def export_response(user, start, end, org=None):
    """The statistics as an .xlsx (write-only workbook, streamed from a temporary file)."""

    from yifa.core.xlsx import Workbook

    m = supervision_metrics(user=user, org=org, start=start, end=end)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("总体情况")
    ws.append(["统计期间", f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"])
    for label, key in (("监督检查（次）", "inspections"), ("其中专项检查", "special_inspections"),
                       ("发现问题（个）", "findings"), ("已整改问题", "findings_corrected"),
                       ("问题整改率（%）", "finding_correction_rate"), ("重大问题", "findings_major"),
                       ("印发监督文书合计（份）", "instruments_issued"),
                       ("其中：行政执法监督通知书（份）", "notices_issued"),
                       ("行政执法监督意见书（份）", "opinions_issued"),
                       ("行政执法监督决定书（份）", "decisions_issued"),
                       ("通知书、意见书整改到位", "letters_rectified"),
                       ("通知书、意见书整改率（%）", "rectification_rate"), ("整改中通知书、意见书", "letters_open"), ("线上监督线索（条）", "clues_raised"),
                       ("确认为问题的线索", "clues_confirmed"), ("排除的线索", "clues_dismissed")):
        ws.append([label, m[key]])
    ws = wb.create_sheet("问题类别与来源")
    ws.append(["问题类别", "数量"])
    for code, label in FindingCategory.choices:
        ws.append([label, m["findings_by_category"][code]])
    ws.append([])
    ws.append(["监督来源", "数量"])
    for code, label in FindingSource.choices:
        ws.append([label, m["findings_by_source"][code]])
    ws = wb.create_sheet("分单位")
    ws.append(["被监督单位", "发现问题", "已整改", "问题整改率（%）", "监督通知书", "监督意见书", "通知书、意见书整改到位",
               "整改率（%）", "监督决定书", "线索", "确认线索"])
    for r in per_unit(user, start, end, org):
        ws.append([r["org_name"], r["findings"], r["findings_corrected"], r["finding_correction_rate"],
                   r["notices_issued"], r["opinions_issued"], r["letters_rectified"], r["rectification_rate"],
                   r["decisions_issued"], r["clues_raised"], r["clues_confirmed"]])
    ws = wb.create_sheet("按执法领域")
    ws.append(["执法领域", "监督检查", "发现问题", "已整改", "问题整改率（%）"])
    for r in by_sector(user, start, end, org):
        ws.append([r["name"], r["inspections"], r["findings"], r["findings_corrected"], r["finding_correction_rate"]])
    acc = accuracy_by_sector(user, list(range(end.year - 2, end.year + 1)), org)
    ws = wb.create_sheet("查处准确率")
    ws.append(["执法领域"] + [f"{y}年经核查案件" for y in acc["years"]] + [f"{y}年处理正确" for y in acc["years"]]
              + [f"{y}年查处准确率（%）" for y in acc["years"]])
    for r in acc["rows"] + [{"name": "合计", "years": acc["total"]}]:
        ws.append([r["name"]] + [c["judged"] for c in r["years"]] + [c["correct"] for c in r["years"]]
                  + [c["rate"] for c in r["years"]])
    return wb.response(f"行政执法监督统计-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


# --- 点穴式监督: by sector, and 查处准确率 by sector and year ---------------------------------------

NO_SECTOR = "未分领域"


def _sector_names() -> dict:
    from yifa.enforcement.models import Sector

    return {s.pk: s for s in Sector.objects.all()}


def _sector_rows(sectors: dict, present) -> list:
    """The active sectors in their order, then retired ones that still have records, then
    the records without a sector (None)."""
    ids = [pk for pk, s in sorted(sectors.items(), key=lambda kv: (kv[1].sort_order, kv[0])) if s.is_active]
    ids += [pk for pk in present if pk is not None and pk not in ids]
    if None in present:
        ids.append(None)
    return ids


def by_sector(user, start, end, org=None) -> list[dict]:
    """Per sector (执法领域): inspections, findings, findings corrected and the correction rate
    in [start, end]; one row per active sector (zeros included), plus 未分领域 when any."""
    insp, findings, _letters, _decisions, _clues = _querysets(user, org, start, end)
    n_insp = dict(insp.values_list("sector").annotate(n=Count("pk")).order_by())
    f = {r["sector"]: r for r in findings.values("sector").annotate(
        n=Count("pk"), done=Count("pk", filter=~Q(state=FindingState.OPEN))).order_by()}
    sectors = _sector_names()
    out = []
    for pk in _sector_rows(sectors, set(n_insp) | set(f)):
        got = f.get(pk, {"n": 0, "done": 0})
        out.append({"sector": pk, "name": sectors[pk].name if pk is not None else NO_SECTOR,
                    "inspections": n_insp.get(pk, 0), "findings": got["n"], "findings_corrected": got["done"],
                    "finding_correction_rate": _rate(got["done"], got["n"])})
    return out


def _judged(user, years: list[int], org=None):
    """What 查处准确率 counts: the case files graded in 评查 and the online clues handled in
    `years`, and the condition of a correctly handled file."""
    from yifa.supervision.evaluation.models import EvaluationFile, FileState, Grade

    files = _subtree(_scoped(EvaluationFile, user), org).filter(
        state=FileState.SUBMITTED, submitted_on__year__in=years)
    clues = _subtree(_scoped(Clue, user), org).filter(
        state__in=(ClueState.CONFIRMED, ClueState.DISMISSED), handled_on__year__in=years)
    return files, clues, Q(grade__in=(Grade.EXCELLENT, Grade.PASS))


def accuracy_totals(user, years: list[int], org=None) -> list[dict]:
    """查处准确率 per year over all sectors ({year, judged, correct, rate}): the same count as
    `accuracy_by_sector`'s total, without reading the cases (the leader's dashboard reads no
    large table)."""
    files, clues, correct_file = _judged(user, years, org)
    per = {y: [0, 0] for y in years}
    # one query: the files' and the clues' counts per year, as a UNION ALL
    rows = (files.annotate(y=ExtractYear("submitted_on")).values("y")
            .annotate(n=Count("pk"), ok=Count("pk", filter=correct_file)).values_list("y", "n", "ok").order_by()
            .union(clues.annotate(y=ExtractYear("handled_on")).values("y")
                   .annotate(n=Count("pk"), ok=Count("pk", filter=Q(state=ClueState.DISMISSED)))
                   .values_list("y", "n", "ok").order_by(), all=True))
    for y, n, ok in rows:
        per[y][0] += n
        per[y][1] += ok
    return [{"year": y, "judged": j, "correct": c, "rate": _rate(c, j)} for y, (j, c) in per.items()]


def accuracy_by_sector(user, years: list[int], org=None) -> dict:
    """查处准确率 by sector and year: of the cases that supervision judged — case files graded
    in a case-file evaluation (评查, by the day graded) and online supervision clues on a case
    that were handled (by the day handled) — the share found correctly handled: a file graded
    优秀 or 合格, a clue dismissed (排除) after checking. A file graded 不合格 or a clue confirmed
    as a problem counts against. The sector is the case's enforcement item's. Rows: per sector,
    the years' {judged, correct, rate}; `total` the same over all sectors."""
    files, clues, correct_file = _judged(user, years, org)
    counts: dict = {}

    def add(sector, year, judged, correct):
        c = counts.setdefault(sector, {}).setdefault(year, [0, 0])
        c[0] += judged
        c[1] += correct

    for r in (files.values("case__item__sector", "submitted_on__year")
              .annotate(n=Count("pk"), ok=Count("pk", filter=correct_file)).order_by()):
        add(r["case__item__sector"], r["submitted_on__year"], r["n"], r["ok"])
    for r in (clues.values("case__item__sector", "handled_on__year")
              .annotate(n=Count("pk"), ok=Count("pk", filter=Q(state=ClueState.DISMISSED))).order_by()):
        add(r["case__item__sector"], r["handled_on__year"], r["n"], r["ok"])
    sectors = _sector_names()

    def cells(per_year):
        return [{"year": y, "judged": per_year.get(y, [0, 0])[0], "correct": per_year.get(y, [0, 0])[1],
                 "rate": _rate(per_year.get(y, [0, 0])[1], per_year.get(y, [0, 0])[0])} for y in years]

    rows = [{"sector": pk, "name": sectors[pk].name if pk is not None else NO_SECTOR, "years": cells(counts.get(pk, {}))}
            for pk in _sector_rows(sectors, set(counts))]
    total: dict = {}
    for per_year in counts.values():
        for y, (j, c) in per_year.items():
            t = total.setdefault(y, [0, 0])
            t[0] += j
            t[1] += c
    return {"years": years, "rows": rows, "total": cells(total)}
