"""Demo data of the speech's magnitude (since 2022): 36 lost lawsuits and 21 corrected
reconsiderations backtracked with the four checks — 12 problems of decision procedure, 23 of
enforcement acts/basis, 19 of evidence — 17 错案问责建议书, 12 cadres held accountable (3
marked 不称职, 2 losing title-evaluation eligibility), warning-education sessions and
quarterly notices; the latest wrong cases are still being backtracked. Everything goes
through the services (numbers, deadlines, audit), linked to demo enforcement cases.

The figures above are the targets the generator distributes; every count shown in yifa is
computed from the records created here.
"""

import random
from datetime import date, timedelta


from yifa.core import clock
from yifa.core import demo

LOST_LAWSUITS, CORRECTED_RECONSIDERATIONS = 36, 21
PROBLEMS = {"decision_procedure": 12, "enforcement_basis": 23, "evidence": 19}
LETTERS, PERSONS_HELD = 17, 12
OPEN_NOW = (3, 2)  # lost lawsuits / corrected reconsiderations still being backtracked

PROBLEM_TEXTS = {
    "decision_procedure": [("procedure", "未经集体讨论决定即作出重大执法决定"), ("procedure", "未进行重大执法决定法制审核"),
                           ("procedure", "未按规定听取当事人陈述申辩")],
    "enforcement_basis": [("basis", "援引的法律条款与违法事实不对应"), ("authority", "超越法定职权实施处罚"),
                          ("discretion", "未按裁量基准确定处罚幅度"), ("basis", "依据已废止的规范性文件")],
    "evidence": [("evidence", "缺少现场勘查笔录"), ("evidence", "询问笔录未经当事人签字确认"),
                 ("facts", "违法所得计算依据不足"), ("evidence", "证据收集超过法定时限")],
}
# in the order decisions are taken (the later ones still under their impact period now)
METHOD_PLAN = ["criticism_education", "circulated_criticism", "circulated_criticism", "written_examination",
               "admonishment", "transfer", "party_warning", "sanction_warning", "sanction_demerit",
               "sanction_warning", "sanction_major_demerit", "sanction_demotion"]
AWAITING_DECISION = 3  # the latest letters still wait for the authority's decision
RENDERED_LETTERS = 1  # rendering a pdf takes about a second: only the latest are rendered
RULES_ADOPTED = ["县重大行政决策程序规定", "县重大执法决定法制审核办法", "县行政执法全过程记录实施细则", "县行政机关负责人出庭应诉办法",
                 "县行政执法证据收集规范", "县行政处罚裁量基准适用规则", "县行政复议纠错案件整改办法", "县行政执法案卷管理规定",
                 "县行政执法文书制作规范"]
EXEMPTIONS = ["unclear_rules", "party_fraud", "policy_change", "force_majeure", "reasonable_error"]


def _historical_letter(sup, w, issued):
    """A letter issued on paper before the platform: registered with a number from the
    issuer's sequence (no file), so later letters issued in the platform never repeat it."""
    from yifa.audit.services import record
    from yifa.documents.services import register_document
    from django.db import transaction

    from .models import Recommendation
    from .services import RECOMMENDATION_DOC_TYPE

    with transaction.atomic():
        rec = Recommendation.objects.create(org=w.org, issuer=sup.org, wrong_case=w,
                                            authority=f"{w.org.name}党组（党委）", issued_on=issued,
                                            feedback_due=issued + timedelta(days=30), issued_by=sup)
        doc = register_document(actor=None, org=sup.org, doc_type=RECOMMENDATION_DOC_TYPE, owner=rec,
                                title="错案问责建议书", date=issued)
        rec.document, rec.doc_number = doc, doc.doc_number
        rec.save(update_fields=["document", "doc_number"])
        record(None, "accountability.recommendation.import", rec,
               after={"doc_number": rec.doc_number, "wrong_case": w.pk})
    return rec


APPEAL_RULES = [("judgment.appeal", "不服第一审判决提起上诉（期满未上诉的，判决发生法律效力）", 15),
                ("ruling.appeal", "不服第一审裁定提起上诉（期满未上诉的，裁定发生法律效力）", 10)]


def _ensure_appeal_rules():
    """The appeal-period rules are seeded by the deadlines app's migration; a database
    migrated before it gets the same rows here (get_or_create: seeded rows are left alone)."""
    from yifa.deadlines.models import DeadlineRule

    for code, name, n in APPEAL_RULES:
        DeadlineRule.objects.get_or_create(code=code, defaults=dict(
            name=name, n=n, unit="CD", direction="max", basis="《行政诉讼法》第八十五条"))


def _dates(rng, n, start, end):
    span = (end - start).days
    return sorted(start + timedelta(days=rng.randrange(span)) for _ in range(n))


@demo.register("accountability", order=80)
def load(ctx, progress):
    build(ctx, progress)


def build(ctx, progress, *, today=None, seed=2022):
    from yifa.enforcement.models import Case, Officer
    from yifa.orgs.models import Organization, User

    from . import services
    from .models import ExemptionReason, Method, Person, WrongCase

    rng = random.Random(seed)
    today = today or clock.today()
    users = ctx.get("users", {})
    sup = users.get("supervisor") or User.objects.filter(username="supervisor").first()
    if sup is None:
        progress("错案问责：缺少监督员账号，跳过")
        return
    cases = list(Case.objects.filter(decided_on__isnull=False).select_related("org").order_by("decided_on", "pk"))
    officers_of = {}
    for o in Officer.objects.filter(status="active").order_by("pk"):
        officers_of.setdefault(o.org_id, []).append(o)
    units = [u for u in Organization.objects.filter(kind__in=("department", "township")).order_by("path")
             if u.pk in officers_of]
    if not units:
        progress("错案问责：没有执法人员，跳过")
        return
    _ensure_appeal_rules()
    used = set()
    start = date(2022, 3, 1)
    last = today - timedelta(days=10)

    def pick_case(on):
        """A decided demo case at least 120 days before `on`, not yet challenged (None if none)."""
        eligible = [c for c in cases if c.decided_on <= on - timedelta(days=120) and c.pk not in used]
        if not eligible:
            return None
        c = rng.choice(eligible[-200:])
        used.add(c.pk)
        return c

    def challenge(kind, outcome, on, i):
        case = pick_case(on)
        org = case.org if case else rng.choice(units)
        filed = on - timedelta(days=rng.randrange(60, 110))
        act = f"{case.case_no}《{case.title}》行政处理决定" if case else f"{org.name}作出的行政处罚决定"
        # the claimant's own dates (no draw from rng: the rest of the demo stays as it was)
        applied = filed - timedelta(days=7)
        known = (case.served_on or case.decided_on) if case else None
        obj = services.register_challenge(
            applied_on=applied, known_on=known if known and known <= applied else None,
            actor=None, kind=kind, org=org, enforcement_case=case,
            claimant=case.party_name if case else f"{rng.choice('王李张刘陈杨赵黄')}某{rng.choice(('', '某'))}",
            case_number=(f"（{filed.year}）鲁1523行初{100 + i}号" if kind == "litigation"
                         else f"清政复〔{filed.year}〕{10 + i}号"),
            challenged_act=act, filed_on=filed, served_on=filed + timedelta(days=3),
            court_or_organ="清河县人民法院" if kind == "litigation" else "清河县人民政府")
        if kind == "litigation" and filed + timedelta(days=40) <= today:
            services.record_hearing(actor=None, litigation=obj, hearing_on=filed + timedelta(days=40),
                                    head_appeared=True, head_name=org.head_name or "单位负责人",
                                    head_post="局长" if "局" in org.name else "镇长")
        if outcome and kind == "litigation":
            # the first-instance judgment, some weeks before: not appealed, it became effective
            # when its appeal period passed (the sweep's work, run here up to `on`)
            services.record_outcome(actor=None, challenge=obj, outcome=outcome, on=on - timedelta(days=25),
                                    number=f"{obj.case_number}判决书")
            services.settle_appeal_periods(on)
        elif outcome:
            services.record_outcome(actor=None, challenge=obj, outcome=outcome, on=on, number=f"{obj.case_number}决定书")
        return obj

    # lost lawsuits and corrected reconsiderations, backtracked
    plan = ([("litigation", rng.choice(("revoked", "confirmed_illegal", "changed", "ordered_perform")))
             for _ in range(LOST_LAWSUITS)]
            + [("reconsideration", rng.choice(("revoked", "changed", "confirmed_illegal")))
               for _ in range(CORRECTED_RECONSIDERATIONS)])
    rng.shuffle(plan)
    dates = _dates(rng, len(plan), start, last)
    wcs = []
    for i, ((kind, outcome), on) in enumerate(zip(plan, dates)):
        obj = challenge(kind, outcome, on, i)
        w = WrongCase.objects.get(**{kind: obj})
        if w.enforcement_case_id is None:  # no case in yifa: the backtrack names the officers itself
            for o in officers_of[w.org_id][:2]:
                services.add_involvement(actor=None, backtrack=w.backtrack, role="officer", officer=o)
        wcs.append(w)
    # won and pending cases for the registry
    for i, on in enumerate(_dates(rng, 20, start, today - timedelta(days=5))):
        kind = "litigation" if i % 2 else "reconsideration"
        decided = on < today - timedelta(days=60)
        challenge(kind, rng.choice(("upheld", "dismissed", "upheld")) if decided else None, on, 200 + i)

    # the appeal stage as the registry shows it now: a first-instance loss still in its appeal
    # period (not yet a wrong case) and one reversed on appeal (no wrong case)
    awaiting = challenge("litigation", None, today - timedelta(days=4), 300)
    services.record_outcome(actor=None, challenge=awaiting, outcome="revoked", on=today - timedelta(days=4),
                            number=f"{awaiting.case_number}判决书")
    reversed_ = challenge("litigation", None, today - timedelta(days=60), 301)
    services.record_outcome(actor=None, challenge=reversed_, outcome="confirmed_illegal",
                            on=today - timedelta(days=60), number=f"{reversed_.case_number}判决书")
    services.record_appeal(actor=None, litigation=reversed_, on=today - timedelta(days=52),
                           appellant=reversed_.org.name)
    services.record_second_instance(actor=None, litigation=reversed_, outcome="upheld", on=today - timedelta(days=8),
                                    number=f"（{(today - timedelta(days=8)).year}）鲁15行终{30 + reversed_.pk % 50}号判决书")
    services.settle_appeal_periods(today)

    # which wrong cases are still open: the latest of each source
    open_ids = set()
    for kind, n in zip(("litigation", "reconsideration"), OPEN_NOW):
        open_ids |= {w.pk for w in [w for w in wcs if getattr(w, f"{kind}_id")][-n:]}
    done = [w for w in wcs if w.pk not in open_ids]

    # letters: spread over the period; problems go mostly to the letter cases
    step = len(done) / LETTERS
    letter_cases = [done[int(k * step)] for k in range(LETTERS)]
    letter_ids = {w.pk for w in letter_cases}
    assignments = {w.pk: {} for w in done}
    for kind, total in PROBLEMS.items():
        for n in range(total):
            w = letter_cases[n % LETTERS] if rng.random() < 0.7 else rng.choice(done)
            assignments[w.pk].setdefault(kind, []).append(rng.choice(PROBLEM_TEXTS[kind]))
    for w in letter_cases:  # a letter always rests on problems found
        if not assignments[w.pk]:
            assignments[w.pk]["evidence"] = [rng.choice(PROBLEM_TEXTS["evidence"])]
            donor = next(d for d in done if d.pk not in letter_ids and assignments[d.pk].get("evidence"))
            assignments[donor.pk]["evidence"].pop()
            if not assignments[donor.pk]["evidence"]:
                del assignments[donor.pk]["evidence"]
    labels = {"decision_procedure": "决策程序", "enforcement_basis": "执法依据", "evidence": "证据材料",
              "law_application": "法律适用"}
    methods = {m.code: m for m in Method.objects.all()}
    circ_for = {"decision_procedure": "3.2", "enforcement_basis": "2.4", "evidence": "2.3", "law_application": "2.4"}
    from .models import Circumstance

    circs = {c.code: c for c in Circumstance.objects.all()}
    reasons = {r.code: r for r in ExemptionReason.objects.all()}
    # of the 17 letters: 12 end in a decision on one person, the latest wait, the rest exempted
    decided_ids = {w.pk for w in letter_cases[:PERSONS_HELD]}
    waiting_ids = {w.pk for w in letter_cases[-AWAITING_DECISION:]}
    # the latest letters are issued through the document service (numbered docx/pdf); older
    # ones are the paper letters of the years before the platform, recorded with their numbers
    rendered_ids = {w.pk for w in letter_cases[-RENDERED_LETTERS:]}
    held, held_persons = 0, set()
    method_iter = iter(METHOD_PLAN)
    exemption_iter = iter(EXEMPTIONS * 20)
    for w in wcs:
        bt = w.backtrack
        on = min(w.opened_on + timedelta(days=rng.randrange(10, 28)), today)
        if w.pk in open_ids:
            services.record_check(actor=None, backtrack=bt, kind="decision_procedure", has_problem=False,
                                  finding="已调阅案卷及集体讨论记录，决策程序符合规定。",
                                  on=min(w.opened_on + timedelta(days=3), today))
            continue
        found = assignments[w.pk]
        for kind in labels:
            probs = found.get(kind, [])
            services.record_check(actor=None, backtrack=bt, kind=kind, has_problem=bool(probs),
                                  finding=(f"{labels[kind]}存在问题{len(probs)}个。" if probs
                                           else f"经核查，{labels[kind]}未发现问题。"),
                                  problems=probs, on=on)
        main_kind = max(found, key=lambda k: len(found[k])) if found else None
        invs = list(bt.involvements.select_related("person"))
        in_letter = w.pk in letter_ids
        chosen = None
        if in_letter:
            chosen = next((i for i in invs if i.person_id not in held_persons), invs[0] if invs else None)
        for inv in invs:
            if inv is chosen:
                services.confirm_involvement(
                    actor=None, involvement=inv, fault_share="direct",
                    reasons=f"作为{inv.get_role_display()}，对{labels.get(main_kind, '案件')}问题负有直接责任。",
                    circumstance=circs.get(circ_for.get(main_kind, "2.3")),
                    proposed_method=methods["circulated_criticism"])
            else:
                services.remove_involvement(actor=None, involvement=inv, reason="经倒查，未发现该人员存在过错。")
        services.complete_backtrack(actor=None, backtrack=bt, on=on,
                                    summary=(f"经四查，发现{'、'.join(labels[k] for k in found)}方面问题。" if found
                                             else "经四查，未发现执法人员过错。"))
        w.refresh_from_db()
        if not in_letter or chosen is None:
            services.record_exemption(actor=None, wrong_case=w, reason=reasons[next(exemption_iter)],
                                      text="经倒查认定属于免责情形，不予问责。", on=on)
            services.close_wrong_case(actor=None, wrong_case=w, on=on)
            continue
        issued = min(on + timedelta(days=5), today)
        if w.pk in rendered_ids:
            rec = services.issue_recommendation(actor=sup, wrong_case=w, on=issued,
                                                authority=f"{w.org.name}党组（党委）",
                                                feedback_due=issued + timedelta(days=30))
        else:
            rec = _historical_letter(sup, w, issued)
        decided = issued + timedelta(days=20)
        if w.pk in waiting_ids or decided > today:
            continue
        if w.pk not in decided_ids:
            services.record_exemption(actor=None, wrong_case=w, reason=reasons["unclear_rules"],
                                      text="有权机关反馈：相关规定不明确，经研究不予问责。", on=decided)
            services.close_wrong_case(actor=sup, wrong_case=w, on=decided)
            continue
        m = methods[next(method_iter)]
        impact_until, basis = services.impact_until_for(m, decided), ""
        if m.custom_impact:
            impact_until, basis = services.add_months(decided, 12), "《中国共产党纪律处分条例》（党内警告）"
        services.record_decision(actor=sup, person=chosen.person, method=m, wrong_case=w, recommendation=rec,
                                 circumstance=chosen.circumstance, authority=rec.authority, decided_on=decided,
                                 doc_number=f"{w.org.short_name or w.org.name[:4]}纪〔{decided.year}〕{held + 1}号",
                                 impact_until=impact_until, impact_basis=basis)
        held += 1
        held_persons.add(chosen.person_id)
        services.close_wrong_case(actor=sup, wrong_case=w, on=decided)

    # result use: 3 marked 不称职 and 2 losing title-evaluation eligibility (2023)
    persons = list(Person.objects.filter(decisions__isnull=False).distinct().order_by("pk"))
    for p in persons[:3]:
        d = p.decisions.order_by("decided_on").first()
        services.record_assessment_mark(actor=sup, person=p, year=d.decided_on.year, grade="incompetent",
                                        reason="因行政错案受到问责", wrong_case=d.wrong_case)
    for p in persons[3:5]:
        d = p.decisions.order_by("decided_on").first()
        services.record_title_loss(actor=sup, person=p, from_date=d.decided_on,
                                   until=d.decided_on + timedelta(days=365), reason="因行政错案受到问责，取消当年职称评审资格",
                                   wrong_case=d.wrong_case)

    # typical cases, warning education, quarterly notices (the last four quarters)
    closed = list(WrongCase.objects.filter(pk__in=[w.pk for w in wcs], state="closed").select_related("org")
                  .order_by("opened_on", "pk"))
    for w in closed[:: max(1, len(closed) // 15)][:15]:
        services.set_typical(actor=sup, wrong_case=w, typical=True)
    office = sup.org
    units = units[:12]
    for k, on in enumerate(_dates(rng, 6, date(2022, 6, 1), last)):
        services.record_session(actor=None, org=office, title=f"{on.year}年行政错案警示教育会（第{k + 1}场）", held_on=on,
                                attendance=rng.randrange(60, 160), units=units,
                                wrong_cases=[w for w in closed if w.opened_on <= on][-3:])
    zr = next((w for w in closed if "自然资源" in w.org.name), closed[0])
    services.record_session(actor=None, org=zr.org, kind="training", title=f"{zr.org.name}执法规范化专题培训",
                            held_on=min(zr.opened_on + timedelta(days=45), today), attendance=120, wrong_cases=[zr])
    # rules adopted as a result (meetings.AdoptedRule, linked through its generic source)
    try:
        from yifa.supervision.meetings import services as meeting_services
    except ImportError:  # the meetings module is not installed
        meeting_services = None
    if meeting_services is not None:
        sources = [w for w in closed if w.closed_on][:: max(1, len(closed) // len(RULES_ADOPTED))][:len(RULES_ADOPTED)]
        for title, w in zip(RULES_ADOPTED, sources):
            adopted = min(w.closed_on + timedelta(days=30), today)
            meeting_services.adopt_rule(actor=None, org=w.org, title=f"《{title}》", adopted_on=adopted, source=w,
                                        text=f"为深刻汲取“{w.title}”教训，制定本规定。",
                                        cause=f"错案倒查：{w.title}"[:300])
    q_end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    for _ in range(1):
        year, quarter = q_end.year, (q_end.month - 1) // 3 + 1
        typical = [w for w in WrongCase.objects.filter(is_typical=True, opened_on__year=year,
                                                        opened_on__month__in=range(3 * quarter - 2, 3 * quarter + 1))]
        services.issue_notice(actor=sup, year=year, quarter=quarter, typical_cases=typical[:2],
                              requirements="各单位要深刻汲取教训，举一反三，严格落实重大执法决定法制审核和行政机关负责人出庭应诉制度。",
                              on=q_end + timedelta(days=8))
        q_end = date(year, 3 * quarter - 2, 1) - timedelta(days=1)
    progress(f"错案问责：错案 {len(wcs)} 件（在办 {len(open_ids)} 件），问责 {held} 人")
