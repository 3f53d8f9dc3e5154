"""Demo data for 合法性审查: the county's legal advisors (1,215 in all, 23 in the county
team), the 坐班 rota, annual evaluations, three years of review history (bulk-created) and
current items moved through the real services (so deadlines, warnings, audit and the
意见书 are genuine)."""

import random
from datetime import date, timedelta

from django.db import transaction

from yifa.core import clock
from yifa.core import demo
from yifa.orgs.models import Role

from .models import (Adoption, AdvisorEvaluation, AdvisorStatus, AdvisorType, Assignment, Conclusion, DutyRota,
                     EvaluationGrade, ItemState, ItemType, LegalAdvisor, PrecheckHint, ReviewDraft, ReviewItem,
                     ReviewOpinion, Suggestion, Tier)

TOTAL_ADVISORS = 1215
COUNTY_TEAM = 23
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晨阳子涵梓轩雨萱一诺"
FIRMS = ["清河正和律师事务所", "清河明德律师事务所", "清州恒信律师事务所", "清州天平律师事务所", "示范省公正律师事务所",
         "清河县公职律师办公室", "清州大学法学院", "示范省行政学院", "清河至诚律师事务所", "清州同济律师事务所"]
SPECIALTIES = ["行政法", "市场监管", "城市管理", "生态环境", "自然资源", "合同法", "劳动社保", "农业农村", "建设工程",
               "财政金融", "教育卫生", "交通运输", "公司法", "国家赔偿"]
TITLES = {
    ItemType.NORMATIVE_DOCUMENT: ["{unit}关于加强{topic}管理的实施办法", "{unit}{topic}管理暂行规定", "{unit}关于规范{topic}工作的通知",
                                  "{unit}{topic}专项资金管理办法"],
    ItemType.MAJOR_DECISION: ["清河县{topic}三年行动方案", "清河县{topic}规划（2026—2030年）", "清河县{topic}改革实施方案"],
    ItemType.ADMINISTRATIVE_CONTRACT: ["{topic}项目特许经营协议", "{topic}PPP项目合同", "{topic}国有土地使用权出让合同",
                                       "{topic}政府购买服务合同"],
    ItemType.OTHER: ["{unit}关于{topic}信访事项的处理意见", "{unit}{topic}行政复议答复书"],
}
TOPICS = ["农贸市场", "户外广告", "秸秆禁烧", "城区停车", "农村生活垃圾", "校外培训", "物业服务", "燃气安全", "河道采砂",
          "建筑垃圾", "养老服务", "扶贫资金", "农村饮水", "污水处理", "公共租赁住房", "城乡公交", "医疗救助", "文化市场"]
DRAFTS = [
    "第一条 为加强{topic}管理，根据有关法律法规，结合本县实际，制定本办法。\n第二条 本办法适用于本县行政区域内的{topic}管理活动。\n"
    "第三条 {unit}负责本办法的组织实施。\n第四条 本办法自印发之日起施行。",
    "第一条 为规范{topic}工作，制定本规定。\n第二条 从事{topic}经营的，须经{unit}批准后方可经营。\n"
    "第三条 违反本规定的，处五百元罚款。\n第四条 本规定由{unit}负责解释。",
    "第一条 为推进{topic}工作，制定本方案。\n第二条 {topic}项目统一由清河县城投有限公司负责实施。\n"
    "第三条 参与项目的企业应当缴纳项目保证金十万元。\n第四条 本方案自发布之日起施行。",
]
CLAUSE_SUGGESTIONS = [
    ("须经{unit}批准后方可经营", "删除该审批要求，规范性文件不得设定行政许可", "《行政许可法》第十七条"),
    ("处五百元罚款", "删除罚款规定，或引用上位法的处罚条款", "《行政处罚法》第十六条"),
    ("应当缴纳项目保证金十万元", "删除保证金要求", "国办发〔2018〕37号"),
    ("统一由清河县城投有限公司负责实施", "改为通过公开竞争方式确定实施主体", "《公平竞争审查条例》第八条"),
    ("第四条", "明确施行日期和有效期", "《清河县行政规范性文件管理办法》"),
    ("第三条", "明确牵头部门和配合部门的职责分工", ""),
]


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _working_days(start, end):
    from yifa.deadlines import engine

    cal = engine.db_calendar()
    d = start
    while d <= end:
        if cal.is_working_day(d):  # provisional (statutory holidays) in a year without a notice
            yield d
        d += timedelta(days=1)


def build_advisors(ctx, rng, today):
    from yifa.orgs import services as org_services
    from yifa.orgs.demo import DEMO_PASSWORD

    orgs, users = ctx["orgs"], ctx["users"]
    office = orgs["QH-SFJ-GWS"]
    lawyers = {"duty": [users["duty_lawyer"]], "expert": [users["expert_lawyer"]]}
    for i, (username, name) in enumerate([("duty_lawyer2", "李坐班")], start=2):
        lawyers["duty"].append(org_services.create_user(actor=None, username=username, display_name=name, org=office,
                                                        roles=[Role.DUTY_LAWYER], password=DEMO_PASSWORD,
                                                        post="政府坐班律师"))
    for username, name in [("expert_lawyer2", "周专家"), ("expert_lawyer3", "吴专家")]:
        lawyers["expert"].append(org_services.create_user(actor=None, username=username, display_name=name, org=office,
                                                          roles=[Role.EXPERT_LAWYER], password=DEMO_PASSWORD,
                                                          post="专家律师"))
    team = []
    specialties_for = {
        "duty_lawyer": "行政法、合同法", "expert_lawyer": "行政法、市场监管、城市管理、生态环境、自然资源",
        "expert_lawyer2": "市场监管、公司法、建设工程", "expert_lawyer3": "生态环境、自然资源、农业农村、城市管理"}
    start = date(today.year - 1, 1, 1)
    for u in lawyers["duty"] + lawyers["expert"]:
        team.append(LegalAdvisor(
            org=office, name=u.display_name, user=u, county_team=True, firm=rng.choice(FIRMS[:5]),
            advisor_type=AdvisorType.PRACTISING_LAWYER, specialties=specialties_for.get(u.username, "行政法、合同法"),
            license_no=f"1{rng.randrange(10**15, 10**16)}", phone=f"13{rng.randrange(10**8, 10**9)}",
            contract_start=start, contract_end=date(today.year + 1, 12, 31)))
    while len(team) < COUNTY_TEAM:
        scholar = len(team) % 5 == 0
        team.append(LegalAdvisor(
            org=office, name=_name(rng), county_team=True,
            advisor_type=AdvisorType.LAW_SCHOLAR if scholar else AdvisorType.PRACTISING_LAWYER,
            firm=rng.choice(FIRMS[6:8]) if scholar else rng.choice(FIRMS[:5] + FIRMS[8:]),
            specialties="、".join(rng.sample(SPECIALTIES, 2)), license_no="" if scholar else f"1{rng.randrange(10**15, 10**16)}",
            phone=f"13{rng.randrange(10**8, 10**9)}", contract_start=start, contract_end=date(today.year + 1, 12, 31)))
    # every 党政机关 has its advisors (全覆盖): departments, townships and the justice bureau
    units = [o for code, o in orgs.items()
             if (code.startswith(("QH-D-", "QH-T-")) and code.count("-") == 2) or code == "QH-SFJ"]
    others = []
    remaining = TOTAL_ADVISORS - COUNTY_TEAM
    weights = [3 if o.code.startswith("QH-T-") else 1 for o in units]  # villages' advisors sit with townships
    total_w = sum(weights)
    for o, w in zip(units, weights):
        n = remaining * w // total_w
        others.extend(_unit_advisor(rng, o, today) for _ in range(n))
    while len(others) < remaining:
        others.append(_unit_advisor(rng, rng.choice(units), today))
    created = LegalAdvisor.objects.bulk_create(team + others, batch_size=500)
    team_created = created[:COUNTY_TEAM]
    # annual evaluations of the county team for the last two years
    evals = []
    for a in team_created:
        for year in (today.year - 2, today.year - 1):
            score = rng.randint(72, 98)
            grade = (EvaluationGrade.EXCELLENT if score >= 90 else EvaluationGrade.COMPETENT if score >= 75
                     else EvaluationGrade.BASIC)
            evals.append(AdvisorEvaluation(org=office, advisor=a, year=year, score=score, grade=grade,
                                           renew=grade != EvaluationGrade.BASIC or rng.random() < 0.5,
                                           comment="履职认真，审查意见质量高" if score >= 90 else "能够按时完成审查任务"))
    AdvisorEvaluation.objects.bulk_create(evals)
    return lawyers, {a.user_id: a for a in team_created if a.user_id}


def _unit_advisor(rng, org, today):
    kind = rng.random()
    t = AdvisorType.PRACTISING_LAWYER if kind < 0.7 else AdvisorType.GOVERNMENT_LAWYER if kind < 0.9 else AdvisorType.LAW_SCHOLAR
    end = date(today.year + rng.choice((-1, 0, 0, 1, 1, 2)), rng.randint(1, 12), 28)
    status = AdvisorStatus.ACTIVE if end >= today else rng.choice([AdvisorStatus.EXPIRED, AdvisorStatus.EXPIRED,
                                                                    AdvisorStatus.TERMINATED])
    return LegalAdvisor(org=org, name=_name(rng), advisor_type=t,
                        firm="清河县公职律师办公室" if t == AdvisorType.GOVERNMENT_LAWYER else rng.choice(FIRMS),
                        specialties="、".join(rng.sample(SPECIALTIES, rng.randint(1, 3))),
                        phone=f"13{rng.randrange(10**8, 10**9)}", contract_start=date(end.year - 2, end.month, 1),
                        contract_end=end, status=status)


def build_rota(ctx, lawyers, advisors_by_user, today, start):
    office = ctx["orgs"]["QH-SFJ-GWS"]
    duty = lawyers["duty"]
    rows = []
    for i, d in enumerate(_working_days(start, today + timedelta(days=30))):
        u = duty[0] if d == today else duty[i % len(duty)]
        rows.append(DutyRota(org=office, advisor=advisors_by_user[u.pk], date=d))
    DutyRota.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def build_history(ctx, rng, lawyers, today, start):
    """Bulk-created history: items in their final states with rounds, assignments,
    opinions, suggestions and adoption answers."""
    orgs, users = ctx["orgs"], ctx["users"]
    office = orgs["QH-SFJ-GWS"]
    # every 党政机关 has its advisors (全覆盖): departments, townships and the justice bureau
    units = [o for code, o in orgs.items()
             if (code.startswith(("QH-D-", "QH-T-")) and code.count("-") == 2) or code == "QH-SFJ"]
    finals = [users["advisor_office"]]
    type_pool = ([ItemType.NORMATIVE_DOCUMENT] * 11 + [ItemType.MAJOR_DECISION] * 3
                 + [ItemType.ADMINISTRATIVE_CONTRACT] * 5 + [ItemType.OTHER])
    span = (today - timedelta(days=45) - start).days
    plans = []
    for _ in range(560):
        day = start + timedelta(days=rng.randrange(span))
        if day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)
        plans.append(day)
    plans.sort()
    items, drafts, hints = [], [], []
    meta = []
    for n, day in enumerate(plans, start=1):
        unit = rng.choice(units)
        t = rng.choice(type_pool)
        topic = rng.choice(TOPICS)
        title = rng.choice(TITLES[t]).format(unit=unit.name, topic=topic)
        text = rng.choice(DRAFTS).format(unit=unit.name, topic=topic)
        roll = rng.random()
        state = (ItemState.FILED if roll < 0.6 else ItemState.CLEARED if roll < 0.78 else
                 ItemState.ADOPTION_RECORDED if roll < 0.82 else ItemState.WITHDRAWN if roll < 0.86 else
                 ItemState.RETURNED if roll < 0.9 else ItemState.OPINION_ISSUED)
        rounds = 2 if rng.random() < 0.18 else 1
        conclusion = (Conclusion.DISAGREE if state in (ItemState.OPINION_ISSUED, ItemState.RETURNED) and rng.random() < 0.4
                      else Conclusion.AGREE_MODIFIED if rng.random() < 0.65 else Conclusion.AGREE)
        major = t == ItemType.MAJOR_DECISION
        item = ReviewItem(
            org=unit, number=f"合审{day.year}-H{n:05d}", title=title, item_type=t, state=state, round=rounds,
            specialty=rng.choice(SPECIALTIES[1:8]), draft_text=text, drafting_explanation=f"为做好{topic}工作起草。",
            legal_basis="《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》", submitted_on=day,
            public_participation="已公开征求意见30日" if t != ItemType.OTHER else "",
            comment_start=day - timedelta(days=60) if major else None, comment_end=day - timedelta(days=25) if major else None,
            expert_argumentation="已组织专家论证" if major else "", risk_assessment="已开展社会稳定风险评估" if major else "",
            counterparty="清河县城投有限公司" if t == ItemType.ADMINISTRATIVE_CONTRACT else "",
            advisor_office=office, version=10)
        items.append(item)
        meta.append((day, rounds, conclusion, text, unit))
    from . import precheck

    assignments, opinions, plan_suggestions, paper_letters = [], [], [], []
    for item, (day, rounds, conclusion, text, unit) in zip(items, meta):
        cursor = day + timedelta(days=rng.randint(1, 2))
        item.accepted_on = cursor
        for r in range(1, rounds + 1):
            drafts.append(ReviewDraft(org=item.org, item=item, round=r, text=text))
            for h in precheck.check_text(text):
                hints.append(PrecheckHint(org=item.org, item=item, round=r, rule_code=h.rule_code, category=h.label,
                                          quote=h.quote, explanation=h.explanation, basis=h.basis,
                                          dismissed=r < rounds, dismiss_reason="已在修改稿中删除" if r < rounds else ""))
            last_round = r == rounds
            if item.state == ItemState.WITHDRAWN and last_round:
                break
            tiers = [Tier.FIRST, Tier.SECOND, Tier.FINAL] if last_round else [Tier.FIRST]
            if item.state == ItemState.RETURNED and last_round:
                tiers = [Tier.FIRST, Tier.SECOND]
            for tier in tiers:
                reviewer = (rng.choice(lawyers["duty"]) if tier == Tier.FIRST else rng.choice(lawyers["expert"])
                            if tier == Tier.SECOND else rng.choice(finals))
                took = rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8))
                done = cursor + timedelta(days=took)
                assignments.append(Assignment(org=item.org, item=item, round=r, tier=tier, reviewer=reviewer,
                                              assigned_on=cursor, completed_on=done, how="当日坐班" if tier == Tier.FIRST else "按工作量分配"))
                concl = conclusion if last_round else Conclusion.DISAGREE
                opinions.append(ReviewOpinion(
                    org=item.org, item=item, round=r, tier=tier, reviewer=reviewer, conclusion=concl, submitted_on=done,
                    authority=f"{unit.name}具有制定主体资格，未超越法定权限。",
                    procedure="已履行起草、征求意见、合法性审查程序。" if concl != Conclusion.DISAGREE else "未充分征求公众意见。",
                    content="内容总体合法，部分条款需修改。" if concl != Conclusion.AGREE else "内容合法。"))
                plan_suggestions.append((len(opinions) - 1, concl, item, last_round))
                cursor = done + timedelta(days=rng.choice((0, 1)))
        if item.state not in (ItemState.WITHDRAWN, ItemState.RETURNED):
            item.issued_on = cursor
            item.final_conclusion = conclusion
            if cursor.year < today.year:
                paper_letters.append(item)  # issued on paper: registered below, numbered by the documents app
            if item.state in (ItemState.CLEARED, ItemState.FILED):
                item.cleared_on = cursor + timedelta(days=rng.randint(3, 20))
            if item.state == ItemState.FILED:
                item.filed_on = item.cleared_on + timedelta(days=rng.randint(5, 30))
                item.filing_number = f"清备〔{item.filed_on.year}〕{rng.randint(1, 300)}号"
        elif item.state == ItemState.RETURNED:
            item.intake_problems = []
    ReviewItem.objects.bulk_create(items, batch_size=500)  # children refer to them: their ids are filled in below
    register_paper_letters(sorted(paper_letters, key=lambda i: (i.issued_on, i.pk)))
    ReviewDraft.objects.bulk_create(drafts, batch_size=1000)
    PrecheckHint.objects.bulk_create(hints, batch_size=1000)
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    ReviewOpinion.objects.bulk_create(opinions, batch_size=1000)
    suggestions = []
    for idx, concl, item, last_round in plan_suggestions:
        if concl == Conclusion.AGREE:
            continue
        answered = last_round and item.state in (ItemState.ADOPTION_RECORDED, ItemState.CLEARED, ItemState.FILED)
        for quote, text, basis in rng.sample(CLAUSE_SUGGESTIONS, rng.randint(1, 3)):
            roll = rng.random()
            adoption = "" if not answered else (Adoption.ADOPTED if roll < 0.82 else Adoption.PARTIAL if roll < 0.93
                                                else Adoption.REJECTED)
            suggestions.append(Suggestion(
                org=item.org, opinion=opinions[idx], quote=quote.format(unit=item.org.name), suggestion=text, basis=basis,
                adoption=adoption, answered_on=item.issued_on + timedelta(days=3) if adoption else None,
                adoption_reason="" if adoption in ("", Adoption.ADOPTED) else "该条款系上级文件明确要求，予以保留并补充依据"))
    Suggestion.objects.bulk_create(suggestions, batch_size=1000)
    return len(items)


def register_paper_letters(items):
    """The 意见书 of past years were printed on paper: register them (no files) so their
    numbers come from the advisor office's sequence like every letter issued since."""
    from yifa.documents.services import register_document

    for item in items:
        doc = register_document(actor=None, org=item.advisor_office, doc_type="review_opinion_letter", owner=item,
                                title=f"关于《{item.title}》的合法性审查意见书", date=item.issued_on)
        item.letter_number, item.letter_document_id = doc.doc_number, doc.pk
    ReviewItem.objects.bulk_update(items, ["letter_number", "letter_document_id"], batch_size=500)


OPINION = dict(authority="制定主体适格，未超越法定权限。", procedure="已履行起草、公开征求意见程序。",
               content="部分条款设定了行政许可、罚款，超出规范性文件权限。")


def build_current(ctx, rng, today):
    """Current items moved through the services: deadlines, warnings, audit, 意见书."""
    from yifa.deadlines import engine

    from . import services

    users, orgs = ctx["users"], ctx["orgs"]
    submitters = [(users["dept_legal_scjg"], orgs["QH-D-scjg"], "市场监管"),
                  (users["dept_legal_sthj"], orgs["QH-D-sthj"], "生态环境"),
                  (users["town_legal_nanh"], orgs["QH-T-nanh"], "农业农村"),
                  (users["town_legal_beis"], orgs["QH-T-beis"], "城市管理")]
    office_user = users["advisor_office"]
    cal = engine.db_calendar()

    def back(n):  # n working days before today
        try:
            return engine.count_working_days_back(cal, today, n)
        except Exception:  # noqa: BLE001
            return today - timedelta(days=n + 2 * (n // 5))

    created = 0
    plan = [  # (working days ago submitted, how far to take it)
        (0, "submitted"), (1, "submitted"), (0, "incomplete"), (2, "first"), (6, "first"), (9, "first"),
        (3, "second"), (8, "second"), (12, "second"), (5, "final"), (14, "final"), (10, "issued"), (12, "issued"),
        (15, "adopted"), (20, "cleared"),
    ]
    for i, (ago, stage) in enumerate(plan):
        user, org, specialty = submitters[i % len(submitters)]
        topic = TOPICS[i % len(TOPICS)]
        t = ItemType.MAJOR_DECISION if i % 5 == 3 else ItemType.NORMATIVE_DOCUMENT
        day = back(ago + (3 if stage in ("issued", "adopted", "cleared") else 0))
        fields = dict(title=f"{org.name}关于加强{topic}管理的实施办法（征求意见稿）", item_type=t, specialty=specialty,
                      draft_text=DRAFTS[1 + i % 2].format(unit=org.name, topic=topic),
                      drafting_explanation=f"为规范{topic}管理起草。", legal_basis="《中华人民共和国行政许可法》",
                      public_participation="已在县政府网站公开征求意见。")
        if t == ItemType.MAJOR_DECISION:
            fields.update(title=f"清河县{topic}三年行动方案", comment_start=day - timedelta(days=50),
                          comment_end=day - timedelta(days=15), expert_argumentation="已组织专家论证",
                          risk_assessment="已开展风险评估")
        if stage == "incomplete":
            fields.update(drafting_explanation="", public_participation="")
        item = services.submit_item(actor=user, org=org, on=day, **fields)
        created += 1
        if stage in ("submitted", "incomplete"):
            continue
        item = services.act(item, "accept", actor=office_user, on=day)
        cursor = day
        for tier, target in ((Tier.FIRST, "first"), (Tier.SECOND, "second"), (Tier.FINAL, "final")):
            if stage == target:
                break
            a = item.current_assignment()
            cursor = min(today, cursor + timedelta(days=rng.choice((1, 2, 3))))
            if tier == Tier.FINAL and t == ItemType.NORMATIVE_DOCUMENT:
                cursor = max(cursor, engine.compute("normative.review.min", item.accepted_on, org=item.org).due)
                cursor = min(cursor, today)
            services.submit_opinion(
                actor=a.reviewer, item=item, tier=tier, conclusion=Conclusion.AGREE_MODIFIED, on=cursor,
                short_reason="演示数据：县政府常务会议议程安排" if tier == Tier.FINAL else "",
                suggestions=[{"quote": "须经" + org.name + "批准后方可经营", "suggestion": "删除该审批要求",
                              "basis": "《行政许可法》第十七条"}] if tier != Tier.SECOND else
                [{"quote": "第四条", "suggestion": "明确施行日期", "basis": ""}], **OPINION)
            item = ReviewItem.objects.get(pk=item.pk)
        if stage in ("adopted", "cleared"):
            for s in Suggestion.objects.filter(opinion__item=item):
                services.record_adoption(actor=user, suggestion=s, adoption=Adoption.ADOPTED)
            item = services.act(ReviewItem.objects.get(pk=item.pk), "confirm_adoption", actor=user)
            if stage == "cleared":
                services.act(item, "clear", actor=user)
    return created


@demo.register("review", order=20)
def load(ctx, progress):
    import time

    t0 = time.monotonic()
    rng = random.Random(20260401)
    today = clock.today()
    start = date(today.year - 2, 1, 1)
    with transaction.atomic():
        lawyers, advisors_by_user = build_advisors(ctx, rng, today)
        progress(f"[{time.monotonic() - t0:.1f}s] 法律顾问：{TOTAL_ADVISORS} 名（县政府法律顾问团 {COUNTY_TEAM} 名）及年度考评")
        n = build_rota(ctx, lawyers, advisors_by_user, today, start)
        progress(f"[{time.monotonic() - t0:.1f}s] 坐班安排：{n} 个工作日")
        n = build_history(ctx, rng, lawyers, today, start)
        progress(f"[{time.monotonic() - t0:.1f}s] 合法性审查：{n} 件历史事项（{start.year} 年以来）")
    n = build_current(ctx, rng, today)
    progress(f"[{time.monotonic() - t0:.1f}s] 合法性审查：{n} 件当前事项（经由审查流程办理，含期限与意见书）")
