"""Demo data for 行政执法监督, of the speech's magnitude:

- last full year: 6 special inspections jointly with the discipline commission, 47 problems
  found, all corrected and verified; 43 opinion letters, all rectified (accepted, closed);
  a county-wide 通报 of the year; a few findings marked as typical cases;
- now: a routine inspection with open findings, open letters (one overdue, one awaiting
  rectification, one with a report awaiting review) and one letter escalated to a
  行政执法监督决定书 — all through the real services (deadlines, documents, notifications);
- clues from running the online rules over the demo cases; a few confirmed or dismissed.

History is bulk-created (dates and due dates computed with the deadline engine in memory);
current items go through the services. The enforcement demo stores no 全过程记录, so the
loader attaches one shared scanned record to most concluded cases that have none (a few
are left without, which the records rule and the three-systems check then show).

Current items are dated relative to today; a deadline reaching a year whose holiday notice
is not entered yet is provisional (暂定), never skipped.
"""

import random
import time
from datetime import date, timedelta


from yifa.core import clock
from yifa.core import demo
from yifa.core.errors import DomainError

FINDINGS = [
    ("subject", "部分执法人员未取得执法证件即参与现场执法"),
    ("procedure", "作出行政处罚决定前未告知当事人陈述、申辩权利"),
    ("procedure", "立案审批超过规定时限"),
    ("procedure", "重大执法决定未经法制审核即作出"),
    ("substance", "罚款金额超出裁量基准且未说明理由"),
    ("substance", "认定事实的证据不充分，关键证据缺失"),
    ("document", "行政处罚决定书未载明救济途径和期限"),
    ("document", "送达回证填写不规范，缺少受送达人签名"),
    ("publicity", "行政处罚决定未在 7 个工作日内公示"),
    ("publicity", "执法主体、人员、依据等事前公示信息未及时更新"),
    ("conduct", "现场执法未按规定全程音像记录"),
    ("conduct", "执法过程中存在简单粗暴、态度生硬问题"),
    ("other", "案卷归档不及时，材料排列混乱"),
]
INSPECTIONS = [
    ("2025年度食品药品领域行政执法专项监督检查", date(2025, 3, 10), date(2025, 3, 28)),
    ("2025年度生态环境领域行政执法专项监督检查", date(2025, 4, 14), date(2025, 4, 30)),
    ("2025年度涉企行政执法专项监督检查", date(2025, 6, 9), date(2025, 6, 27)),
    ("2025年度城市管理领域行政执法专项监督检查", date(2025, 8, 4), date(2025, 8, 22)),
    ("2025年度乡镇综合行政执法专项监督检查", date(2025, 9, 8), date(2025, 9, 26)),
    ("2025年度安全生产领域行政执法专项监督检查", date(2025, 11, 3), date(2025, 11, 21)),
]
# the sector (执法领域) each inspection targets (点穴式); findings take their inspection's
INSPECTION_SECTORS = ["food_drug", "environment", "market", "urban", "other", "work_safety"]
# letters per inspection (43 in all) and how many of them cover two findings (4): 47 findings
LETTERS_PER_INSPECTION = [8, 7, 7, 7, 7, 7]
TWO_FINDING_LETTERS = [1, 1, 1, 1, 0, 0]
JOINT = "县纪委监委"
TYPICAL = [
    "某执法部门对同一经营户一年内罚款 4 次，均未跟进检查督促整改，存在“以罚代管”问题，已责令整改并约谈相关负责人。",
    "某乡镇在未取得执法证件人员参与下作出处罚决定，已撤销原决定并重新作出，相关人员已调离执法岗位。",
    "某部门罚款明显超出裁量基准且未说明理由，经监督纠正后重新作出处罚决定，并修订了本单位裁量基准适用规则。",
]


@demo.register("supervision", order=60)
def load(ctx, progress):
    t0 = time.monotonic()
    orgs, users = ctx["orgs"], ctx.get("users", {})
    supervisor = users.get("supervisor")
    if supervisor is None:
        progress("跳过：缺少监督员演示账号")
        return
    today = clock.today()
    rng = random.Random(2025)
    n = attach_process_records(rng)
    progress(f"[{time.monotonic() - t0:.1f}s] 全过程记录：为 {n} 件已办结案件补充卷宗扫描件（少数案件保留缺失，供规则发现）")
    year = history_year(today)
    counts = build_history(orgs, supervisor, rng, year=year)
    progress(f"[{time.monotonic() - t0:.1f}s] 监督检查：{year} 年专项检查 {counts['inspections']} 次，"
             f"发现问题 {counts['findings']} 个（全部整改），印发意见书 {counts['letters']} 份（全部整改到位），通报 1 份")
    current = build_current(orgs, users, today)
    progress(f"[{time.monotonic() - t0:.1f}s] 当前：意见书 {current['letters']} 份在办（逾期 {current['overdue']} 份），"
             f"监督决定书 {current['decisions']} 份" + (f"；{current['skipped']} 项被业务规则拒绝未生成"
                                                    if current["skipped"] else ""))
    seeded = seed_rule_examples(today)
    if seeded:
        progress(f"[{time.monotonic() - t0:.1f}s] 线上监督示例：{seeded}")
    planted = plant_process_faults(users, today, rng)
    progress(f"[{time.monotonic() - t0:.1f}s] 办案程序问题示例：{planted}")
    clues = run_online_rules(users, today)
    progress(f"[{time.monotonic() - t0:.1f}s] 线上监督：生成线索 {clues['raised']} 条，确认 {clues['confirmed']} 条，"
             f"排除 {clues['dismissed']} 条")


def attach_process_records(rng, missing_share=0.04):
    """One shared scanned file recorded on most concluded cases that have no record yet."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db.models import Exists, OuterRef

    from yifa.audit.hashing import sm3_hex
    from yifa.enforcement.models import Case, ProcessRecord, RecordKind

    from .rules import REQUIRED_RECORDS, concluded_q

    data = b"%PDF-1.4\n% yifa demo: scanned case file\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    name = default_storage.save("enforcement/demo/case-file-scan.pdf", ContentFile(data))
    digest = sm3_hex(data)
    has_any = ProcessRecord.objects.filter(case=OuterRef("pk"))
    rows = list(Case.objects.filter(concluded_q()).exclude(Exists(has_any))
                .values_list("pk", "org_id", "case_type", "procedure", "state").order_by("pk"))
    records = []
    for pk, org_id, case_type, procedure, state in rows:
        if rng.random() < missing_share:
            continue
        kinds = set()
        for req in REQUIRED_RECORDS:
            if case_type in req.case_types and procedure in req.procedures:
                kinds.add(req.kinds[-1] if case_type == "coercion" else req.kinds[0])
        for kind in sorted(kinds or {RecordKind.DOCUMENT}):
            records.append(ProcessRecord(case_id=pk, org_id=org_id, step=state, kind=kind, file=name,
                                         original_name="卷宗扫描件.pdf", content_type="application/pdf",
                                         size=len(data), sm3=digest, description="演示：案卷扫描件"))
    ProcessRecord.objects.bulk_create(records, batch_size=2000)
    return len({r.case_id for r in records})


def _due(engine, cal, rule, start):
    return engine.due_date(cal, start=start, n=rule.n, unit=rule.unit, direction=rule.direction)


CURRENT_WINDOW_DAYS = 100  # the current items are dated up to ~92 days before today


def history_year(today: date) -> int:
    """The full year of history (the speech's figures): the last year before the window of
    current items, so that early in a year the current items do not fall into it."""
    return (today - timedelta(days=CURRENT_WINDOW_DAYS)).year - 1


def build_history(orgs, supervisor, rng, year):
    """The last full year, bulk-created: 6 special inspections, 47 findings, 43 letters."""
    from yifa.deadlines import engine
    from yifa.orgs.demo import DEPARTMENTS, TOWNSHIPS

    from .models import (Finding, FindingSource, FindingState, Inspection, InspectionKind, LetterState,
                         OpinionLetter, RectificationReport, ReportResult)

    shift = year - 2025
    cal = engine.db_calendar()
    rule = engine.effective_rule(engine.get_rule("supervision.rectification"), None)
    office = orgs["QH-SFJ-JDB"]
    units = [orgs[f"QH-D-{c}"] for c, _ in DEPARTMENTS] + [orgs[f"QH-T-{c}"] for c, _ in TOWNSHIPS]
    from yifa.enforcement.models import Sector

    sectors = {s.code: s for s in Sector.objects.all()}
    inspections, plan = [], []
    for (title, start, end), n_letters, n_two, sector in zip(INSPECTIONS, LETTERS_PER_INSPECTION, TWO_FINDING_LETTERS,
                                                             INSPECTION_SECTORS, strict=True):
        start, end = start.replace(year=start.year + shift), end.replace(year=end.year + shift)
        targets = rng.sample(units, n_letters)
        insp = Inspection(org=office, kind=InspectionKind.SPECIAL, title=title.replace("2025", str(year)),
                          plan="按照年度行政执法监督工作计划，会同县纪委监委对重点领域行政执法情况开展专项监督检查。",
                          team=f"{supervisor.display_name}（组长）、县纪委监委派驻纪检监察组、县司法局执法监督科",
                          period_start=start, period_end=end, checklist="执法主体资格\n执法人员持证\n执法程序\n"
                          "法制审核\n执法公示\n全过程记录\n案卷归档", joint_bodies=JOINT, created_by=supervisor,
                          sector=sectors.get(sector))
        inspections.append((insp, targets))
        for i, unit in enumerate(targets):
            plan.append((insp, unit, 2 if i < n_two else 1))
    Inspection.objects.bulk_create([i for i, _ in inspections])
    Inspection.targets.through.objects.bulk_create([
        Inspection.targets.through(inspection_id=i.pk, organization_id=t.pk) for i, ts in inspections for t in ts])

    findings, letters, reports, links = [], [], [], []
    sources = [FindingSource.ADMINISTRATIVE] * 5 + [FindingSource.PARTY, FindingSource.PUBLIC, FindingSource.CONGRESS]
    serial = 0
    for insp, unit, k in plan:
        raised = insp.period_start + timedelta(days=rng.randrange(0, (insp.period_end - insp.period_start).days + 1))
        issued = insp.period_end + timedelta(days=rng.randrange(3, 10))
        due = _due(engine, cal, rule, issued)
        submitted = issued + timedelta(days=rng.randrange(10, 26))
        reviewed = submitted + timedelta(days=rng.randrange(2, 6))
        serial += 1
        letter = OpinionLetter(org=unit, issuer=office, title=f"关于{unit.name}行政执法问题的监督意见书",
                               requirements="请对照问题逐项整改，建立健全长效机制，并于期限内报送整改报告及佐证材料。",
                               issued_on=issued, due=due,
                               state=LetterState.CLOSED, issued_by=supervisor, version=4)
        letters.append(letter)
        for category, text in rng.sample(FINDINGS, k):
            f = Finding(org=unit, inspection=insp, sector=insp.sector, category=category, source=rng.choice(sources),
                        description=f"{unit.name}{text}", raised_on=raised, raised_by=supervisor, issuer=office,
                        state=FindingState.VERIFIED, due=_due(engine, cal, rule, raised),
                        evidence="已完成整改：修订内部制度，组织专题培训，对相关案卷逐件复查。",
                        corrected_on=submitted, verified_on=reviewed, verified_by=supervisor, version=3)
            findings.append(f)
            links.append((letter, f))
        reports.append(RectificationReport(letter=letter, round=1, content="已按意见书要求逐项整改完毕。",
                                           evidence="整改报告、培训签到表、复查案卷清单、修订后的制度文件",
                                           submitted_on=submitted, result=ReportResult.ACCEPTED,
                                           review_reason="整改到位，予以认可。", reviewed_on=reviewed,
                                           reviewed_by=supervisor))
    Finding.objects.bulk_create(findings)
    OpinionLetter.objects.bulk_create(letters)
    from yifa.documents.services import register_document

    from .services import LETTER_DOC_TYPE

    for letter in sorted(letters, key=lambda lt: (lt.issued_on, lt.pk)):  # paper letters: numbered, not rendered
        doc = register_document(actor=None, org=office, doc_type=LETTER_DOC_TYPE, owner=letter, title=letter.title,
                                date=letter.issued_on)
        letter.document, letter.doc_number = doc, doc.doc_number
    OpinionLetter.objects.bulk_update(letters, ["document", "doc_number"])
    for r in reports:
        r.letter_id = r.letter.pk
    RectificationReport.objects.bulk_create(reports)
    OpinionLetter.findings.through.objects.bulk_create([
        OpinionLetter.findings.through(opinionletter_id=lt.pk, finding_id=f.pk) for lt, f in links])
    # typical cases (public summaries, no personal data) and the year's notice
    for f, summary in zip(rng.sample(findings, len(TYPICAL)), TYPICAL, strict=True):
        Finding.objects.filter(pk=f.pk).update(typical=True, public_summary=summary)
    major = rng.sample(findings, 2)
    Finding.objects.filter(pk__in=[f.pk for f in major]).update(is_major=True)
    from . import services

    notice = services.create_notice(actor=supervisor, title=f"关于{year}年度行政执法专项监督检查情况的通报",
                                    findings=findings, period_start=date(year, 1, 1), period_end=date(year, 12, 31))
    try:
        services.issue_notice(actor=supervisor, notice=notice, on=date(year + 1, 1, 20))
    except DomainError:
        pass
    return {"inspections": len(inspections), "findings": len(findings), "letters": len(letters)}


def build_current(orgs, users, today):
    """Open items now, through the services, dated as offsets from today (deadlines that
    reach a year without a holiday notice are provisional). A service refusal (e.g. a
    demo rerun) is counted as skipped."""
    from . import services
    from .models import InspectionKind

    sup = users["supervisor"]
    out = {"letters": 0, "overdue": 0, "decisions": 0, "skipped": 0}
    scjg, nanh, sthj, beis = orgs["QH-D-scjg"], orgs["QH-T-nanh"], orgs["QH-D-sthj"], orgs["QH-T-beis"]

    def attempt(fn):
        try:
            return fn()
        except DomainError:
            out["skipped"] += 1
            return None

    insp = services.create_inspection(
        actor=sup, org=sup.org, kind=InspectionKind.ROUTINE, title=f"{today.year}年第四季度行政执法日常监督检查",
        period_start=today - timedelta(days=90), period_end=today - timedelta(days=30), targets=[scjg, nanh, sthj, beis],
        team=f"{sup.display_name}、执法监督科", checklist="执法人员持证\n法制审核\n执法公示")

    from yifa.enforcement.models import Sector

    sectors = {s.code: s for s in Sector.objects.all()}
    sector_of = {scjg.pk: "market", sthj.pk: "environment", nanh.pk: "urban", beis.pk: "urban"}

    def finding(org, category, text, days_ago, inspection=None):
        return attempt(lambda: services.raise_finding(actor=sup, org=org, category=category,
                                                      inspection=inspection or insp,
                                                      sector=sectors.get(sector_of.get(org.pk, "other")),
                                                      description=text, on=today - timedelta(days=days_ago)))

    # 点穴式: a special inspection of the food and drug sector (its findings take its sector)
    food = attempt(lambda: services.create_inspection(
        actor=sup, org=sup.org, kind=InspectionKind.SPECIAL, title=f"{today.year}年食品药品领域点穴式专项监督检查",
        period_start=today - timedelta(days=75), period_end=today - timedelta(days=60), targets=[scjg],
        team=f"{sup.display_name}、县纪委监委", joint_bodies="县纪委监委", sector=sectors.get("food_drug"),
        checklist="食品安全处罚案件\n以罚代管\n亮证执法"))
    if food is not None:
        f = attempt(lambda: services.raise_finding(actor=sup, org=scjg, category="substance", inspection=food,
                                                   description="县市场监督管理局食品安全执法存在“以罚代管”，罚后未跟踪复查",
                                                   on=today - timedelta(days=62)))
        if f is not None:
            attempt(lambda: services.correct_finding(actor=users.get("dept_legal_scjg") or sup, finding=f,
                                                     evidence="已对罚后企业逐户复查并建立跟踪台账",
                                                     on=today - timedelta(days=40)))

    def letter(findings, days_ago, tier="opinion"):
        findings = [f for f in findings if f is not None]
        if not findings:
            return None
        lt = attempt(lambda: services.issue_letter(actor=sup, findings=findings, on=today - timedelta(days=days_ago),
                                                   requirements="请立即整改，并于期限内报送整改报告及佐证材料。",
                                                   tier=tier))
        if lt is not None:
            out["letters"] += 1
            out["overdue"] += int(bool(lt.due and lt.due < today))
        return lt

    # overdue, escalated to a decision
    esc = letter([finding(beis, "substance", "北山镇对同一经营户反复罚款，未跟进检查督促整改（以罚代管）", 92)], 88)
    if esc is not None:
        dec = attempt(lambda: services.escalate_letter(
            actor=sup, letter=esc, kind="correct", reasons="意见书整改期限届满，该镇仍未报送整改报告。",
            requirements="责令北山镇对相关案件进行复查，纠正“以罚代管”问题，建立跟踪检查机制。", on=today - timedelta(days=20)))
        if dec is not None:
            out["letters"] -= 1
            out["overdue"] -= 1
            out["decisions"] += 1
    # overdue now
    letter([finding(scjg, "publicity", "县市场监督管理局部分行政处罚决定超过 7 个工作日才公示", 50)], 44)
    # awaiting the unit's rectification (due within the year)
    letter([finding(nanh, "procedure", "南湖镇部分案件作出处罚决定前未告知听证权利", 22),
            finding(nanh, "document", "南湖镇执法文书未载明救济途径", 22)], 18)
    # a report awaiting the supervisor's review
    sub = letter([finding(sthj, "conduct", "县生态环境局现场检查未全程音像记录", 30)], 25)
    if sub is not None and users.get("dept_legal_sthj") is not None:
        attempt(lambda: services.submit_rectification(
            actor=users["dept_legal_sthj"], letter=sub, content="已为执法人员配备执法记录仪并组织培训。",
            evidence="执法记录仪领用登记表、培训签到表", on=today - timedelta(days=3)))
    # minor problems: a 通知书 awaiting rectification, and one left unrectified and escalated to a 意见书
    letter([finding(nanh, "conduct", "南湖镇个别执法人员执法时未按规定着装", 12)], 10, tier="notice")
    notice = letter([finding(scjg, "publicity", "县市场监督管理局行政执法公示栏执法人员信息未及时更新", 45)], 42,
                    tier="notice")
    if notice is not None and notice.due and notice.due < today - timedelta(days=2):
        opinion = attempt(lambda: services.escalate_notice(
            actor=sup, letter=notice, reasons="通知书整改期限届满，该局仍未报送整改报告。",
            requirements="请于期限内更新公示信息，建立公示信息动态更新机制，并报送整改报告及佐证材料。",
            on=today - timedelta(days=2)))
        if opinion is not None:
            out["letters"] += 1
    return out


def seed_rule_examples(today):
    """The enforcement demo has no repeated fines on one party and no fine outside its
    benchmark: make one example of each from existing decided fines (a shop fined three
    times by one unit within a year; one fine above the benchmark without a reason)."""
    from django.db.models import Count

    from yifa.enforcement.models import Case, DiscretionBenchmark

    done = []
    since = today - timedelta(days=300)
    fines = Case.objects.filter(case_type="penalty", sanction="fine", decided_on__gte=since, decided_on__lte=today)
    top = fines.values("org").annotate(n=Count("pk")).filter(n__gte=3).order_by("-n").first()
    if top is not None:
        ids = list(fines.filter(org=top["org"]).order_by("decided_on").values_list("pk", flat=True)[:3])
        Case.objects.filter(pk__in=ids).update(party_name="清河县顺发农资经营部", party_kind="organisation",
                                               party_id_no="92371523MA3QHDEMO1")
        done.append("同一当事人 12 个月内罚款 3 次")
    bench = (DiscretionBenchmark.objects.filter(level="general", item__cases__sanction="fine",
                                                item__cases__decided_on__isnull=False)
             .exclude(item__cases__pk__in=Case.objects.filter(party_id_no="92371523MA3QHDEMO1").values("pk"))
             .select_related("item").first())
    if bench is not None:
        case = (Case.objects.filter(item=bench.item, sanction="fine", decided_on__isnull=False)
                .exclude(party_id_no="92371523MA3QHDEMO1").order_by("-decided_on").first())
        if case is not None:
            Case.objects.filter(pk=case.pk).update(circumstance="general", amount=bench.max_amount + 2000,
                                                   discretion_reason="")
            done.append("罚款超出裁量基准未说明理由 1 件")
    return "、".join(done)


def run_online_rules(users, today):
    """The sweep's rule run over the demo cases; a few clues handled by the supervisor."""
    from . import services
    from .models import Clue, ClueState

    counts = services.run_rules(today=today)
    sup = users["supervisor"]
    out = {"raised": sum(counts.values()), "confirmed": 0, "dismissed": 0}
    for code, category in (("review.missing", "procedure"), ("officers.certificate_expired", "subject")):
        clue = Clue.objects.filter(rule_code=code, state=ClueState.OPEN).order_by("pk").first()
        if clue is not None:
            try:
                services.confirm_clue(actor=sup, clue=clue, category=category, on=today)
                out["confirmed"] += 1
            except DomainError:
                pass
    clue = Clue.objects.filter(rule_code="officers.two_certified", state=ClueState.OPEN).order_by("pk").first()
    if clue is not None:
        services.dismiss_clue(actor=sup, clue=clue, reason="经核实，另一名执法人员已于决定前换发新证，系统数据未及时更新。",
                              on=today)
        out["dismissed"] += 1
    return out


def plant_process_faults(users, today, rng):
    """The process faults the case-process rules look for, at the rates a county sees: the
    enforcement demo's dates are random (a quarter of its decisions fall on a weekend) and it
    keeps no deadline rows for closed cases; here decisions move to the working day before
    (a few keep a rest-day reason, a few stay unexplained), the closed coercion and permit
    cases get the tracked deadlines their dates imply (late ones are missed), and a handful
    of cases are given each other fault. Returns {fault: count} in words."""
    from yifa.deadlines import engine
    from yifa.deadlines.models import DeadlineRule, DeadlineState, TrackedDeadline
    from yifa.enforcement import services as enf_services
    from yifa.enforcement.models import Case, Officer, OfficerStatus, PublicityState

    from .rules import CASE_OWNER, _case_ids

    cal = engine.db_calendar()
    out = {}
    changed = {}

    def touch(case, *fields):
        changed.setdefault(case.pk, (case, set()))[1].update(fields)

    # 休息日决定: move to the previous working day (notice and review with it), unless that
    # is before filing; about one in twelve keeps its date with a reason, one in forty without.
    decided = list(Case.objects.filter(procedure="general", decided_on__isnull=False).order_by("pk"))
    unexplained = explained = 0
    for i, c in enumerate(decided):
        if cal.is_working_day(c.decided_on):
            continue
        if i % 40 == 0:
            unexplained += 1
            continue
        day = c.decided_on - timedelta(days=1)
        while not cal.is_working_day(day):
            day -= timedelta(days=1)
        if i % 12 == 0 or day <= c.filed_on or c.is_open:  # an open case's deadlines run from its date
            c.rest_day_reason = rng.choice(["现场查获正在发生的违法行为，危害持续扩大，须当即作出决定。",
                                            "节日期间食品安全专项整治，当事人到场接受处理，经负责人批准当日作出决定。",
                                            "查封扣押物品易腐烂变质，须及时作出处理决定。"])
            touch(c, "rest_day_reason")
            explained += 1
            continue
        delta = c.decided_on - day
        c.decided_on = day
        touch(c, "decided_on")
        for f in ("notice_on", "legal_review_on"):
            if getattr(c, f) is not None:
                setattr(c, f, getattr(c, f) - delta)
                touch(c, f)
    out["休息日作出决定未说明理由"] = unexplained

    closed_pen = [c for c in decided if c.case_type == "penalty" and c.state == "closed" and not c.decision_change]
    rng.shuffle(closed_pen)
    used = set()

    def take(n, pred):
        got = []
        for c in closed_pen:
            if len(got) == n:
                break
            if c.pk not in used and pred(c):
                used.add(c.pk)
                got.append(c)
        return got

    # 先决定后审核: the review dated two days after the decision
    reviewed_late = take(5, lambda c: c.legal_review_on is not None)
    for c in reviewed_late:
        c.legal_review_on = c.decided_on + timedelta(days=2)
        touch(c, "legal_review_on")
    out["先决定后审核"] = len(reviewed_late)
    hearings = 0
    # hearings: requested, reviewed; held after the decision, or not held at all
    for n, held in ((3, True), (2, False)):
        # a hearing is noticed after the notice of the intended penalty: cases that have one
        for c in take(n, lambda c: c.amount is not None and c.amount >= 5000 and c.notice_on is not None):
            hearings += 1
            c.hearing_requested = True
            c.legal_review_result = "passed"
            c.legal_review_on = c.legal_review_on or c.decided_on - timedelta(days=2)
            touch(c, "hearing_requested", "legal_review_result", "legal_review_on")
            if held:
                c.hearing_notice_on, c.hearing_on = c.notice_on + timedelta(days=6), c.decided_on + timedelta(days=3)
                c.hearing_held_on = c.hearing_on
                touch(c, "hearing_notice_on", "hearing_on", "hearing_held_on")
    # 超过追责时效: the act more than two years before filing (no discovery date recorded)
    time_barred = take(3, lambda c: True)
    for c in time_barred:
        c.act_on = c.filed_on - timedelta(days=rng.randrange(760, 900))
        touch(c, "act_on")
    # 当日立案当日结案: a small warning case filed, decided, served and closed on one day
    same_day = take(3, lambda c: c.sanction == "warning" and c.legal_review_on is None
                    and cal.is_working_day(c.closed_on))
    for c in same_day:
        c.filed_on = c.notice_on = c.decided_on = c.served_on = c.closed_on
        touch(c, "filed_on", "notice_on", "decided_on", "served_on")
    # a published decision changed or annulled on reconsideration, its publicity withdrawn late
    withdrawals = []
    for c in take(4, lambda c: c.publicity_state == PublicityState.PUBLISHED and c.published_on is not None
                  and c.published_on < today - timedelta(days=120)):
        c.decision_change = rng.choice(["changed", "annulled"])
        c.decision_changed_on = c.published_on + timedelta(days=rng.randrange(30, 90))
        c.publicity_state, c.withdrawn_on = PublicityState.WITHDRAWN, c.decision_changed_on + timedelta(days=9)
        touch(c, "decision_change", "decision_changed_on", "publicity_state", "withdrawn_on")
        withdrawals.append(c)
    # 罚款未缴且未申请强制执行: decided 10–16 months ago, served, never paid, never executed
    cutoff = today - timedelta(days=300)
    stale = take(4, lambda c: c.sanction == "fine" and c.amount and c.served_on is not None
                 and c.served_on < cutoff - timedelta(days=10) and c.decided_on > today - timedelta(days=480))
    for c in stale:
        c.state, c.is_open, c.closed_on, c.on_time, c.paid_on = "served", True, None, None, None
        touch(c, "state", "is_open", "closed_on", "on_time", "paid_on")
    for case, fields in changed.values():
        Case.objects.filter(pk=case.pk).update(**{f: getattr(case, f) for f in fields})
    if stale:
        enf_services.rebuild_rollup()
        enf_services.rebuild_open_load(today)
    out["听证问题"], out["超过追责时效"], out["当日立案当日结案"] = hearings, len(time_barred), len(same_day)
    out["撤回公示超期"], out["罚款未缴未申请强制执行"] = len(withdrawals), len(stale)

    # the deadlines closed cases carry (the demo tracks only open ones); missed when late
    rules = {r.code: r for r in DeadlineRule.objects.filter(code__in=(
        "coercion.seizure", "permit.decision", "permit.materials_notice", "penalty.publicity_withdraw"))}
    rows = []

    def deadline(c, code, start, done_on, force_missed=False):
        res = engine.compute(code, start, org=c.org, calendar=cal)
        if done_on <= res.due and not force_missed:
            return 0
        rule = rules[code]
        rows.append(TrackedDeadline(owner_type=CASE_OWNER, owner_id=str(c.pk), org_id=c.org_id,
                                    handler_id=c.handler_id, rule=rule, title=f"{c.case_no} {c.title}",
                                    start=start, n=res.n, unit=res.unit, due=res.due,
                                    yellow_from=engine.yellow_from(cal, res.due, 2), citation=res.basis,
                                    state=DeadlineState.MISSED, closed_on=done_on))
        return 1

    closed = (Case.objects.filter(is_open=False, closed_on__isnull=False, case_type__in=("coercion", "permit"))
              .exclude(pk__in=_case_ids(TrackedDeadline.objects.filter(rule__code__in=list(rules))))
              .select_related("org").order_by("pk"))
    late = {"coercion.seizure": 0, "permit.decision": 0, "permit.materials_notice": 0}
    for i, c in enumerate(closed):
        if c.case_type == "coercion":
            late["coercion.seizure"] += deadline(c, "coercion.seizure", c.filed_on, c.decided_on or c.closed_on)
        elif c.decided_on is not None:
            late["permit.decision"] += deadline(c, "permit.decision", c.filed_on + timedelta(days=2), c.decided_on)
            if i % 90 == 0:  # the materials notice went out a few days after its five working days
                due = engine.compute("permit.materials_notice", c.filed_on, org=c.org, calendar=cal).due
                late["permit.materials_notice"] += deadline(c, "permit.materials_notice", c.filed_on,
                                                            due + timedelta(days=rng.randrange(1, 4)),
                                                            force_missed=True)
    for c in withdrawals:
        deadline(c, "penalty.publicity_withdraw", c.decision_changed_on, c.withdrawn_on)
    TrackedDeadline.objects.bulk_create(rows, batch_size=1000)
    out["查封扣押超期"], out["许可超期决定"], out["补正告知超期"] = (late["coercion.seizure"], late["permit.decision"],
                                                 late["permit.materials_notice"])

    # 重复检查扰企: one unit inspects one shop five times in four months
    ins = list(Case.objects.filter(case_type="inspection", filed_on__gte=today - timedelta(days=150),
                                   filed_on__lte=today - timedelta(days=10)).order_by("org_id", "filed_on"))
    by_org = {}
    for c in ins:
        by_org.setdefault(c.org_id, []).append(c)
    crowded = next((cs for cs in sorted(by_org.values(), key=len, reverse=True) if len(cs) >= 5), [])[:5]
    Case.objects.filter(pk__in=[c.pk for c in crowded]).update(
        party_name="清河县鑫源食品有限公司", party_kind="organisation", party_id_no="91371523MA3QXDEMO7")
    out["重复检查扰企"] = len(crowded)

    # an officer given 记过 eight months ago who went on handling cases
    from yifa.accountability.models import Method
    from yifa.accountability.services import impact_until_for, person_for, record_decision

    since = today - timedelta(days=240)
    busy = (Officer.objects.filter(status=OfficerStatus.ACTIVE, cases__filed_on__gte=since).distinct()
            .order_by("pk"))
    officers = list(busy[:1])
    if officers and users.get("supervisor") is not None:
        method = Method.objects.get(code="sanction_demerit")
        record_decision(actor=users["supervisor"], person=person_for(officer=officers[0]), method=method,
                        authority="清河县监察委员会", decided_on=since, doc_number=f"清监处〔{since.year}〕3号",
                        impact_from=since, impact_until=impact_until_for(method, since))
        out["受问责人员"] = 1
    return "、".join(f"{k} {v}" for k, v in out.items())
