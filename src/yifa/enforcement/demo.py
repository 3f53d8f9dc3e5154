"""Demo data: bodies for the 23 departments and 18 townships, 237 officers, 56 items with
discretion benchmarks, and three years of cases in every state up to today, in which
the on-time rate rises from about 85% to about 98% and some cases are overdue now.

Fast by construction: everything is bulk-created; deadlines are computed with the
engine in memory (one calendar, rules read once), and TrackedDeadline rows are created
only for open cases. A deadline that reaches a year whose holiday notice is not entered
is provisional (暂定), as in the product; the loader reports how many.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from yifa.core import clock
from yifa.core import demo

from .models import (Case, DiscretionBenchmark, EnforcementBody, EnforcementItem, Officer, OfficerStatus,
                     PriorDisclosure, PublicityState, ReviewResult, Sector)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红春梅海波宏亮新峰林德成飞鹏"
SHOPS = ["商贸", "食品", "建材", "餐饮", "五金", "农资", "物流", "药店", "超市", "汽修", "印刷", "化工"]

# (department code, [(item name, category, legal basis)])
# 点穴式监督: the sector of each department's items (food and drugs split from market supervision)
DEPARTMENT_SECTORS = {"scjg": "market", "sthj": "environment", "zrzy": "natural_resources", "lyj": "natural_resources",
                      "slj": "natural_resources", "jtys": "transport", "yjgl": "work_safety", "xfjy": "work_safety",
                      "zhzf": "urban", "zjj": "urban"}


def _sector_of(department: str, item_name: str) -> str:
    if any(w in item_name for w in ("食品", "药")):
        return "food_drug"
    return DEPARTMENT_SECTORS.get(department, "other")


ITEMS = {
    "scjg": [("销售不符合食品安全标准的食品", "penalty", "《食品安全法》第一百二十四条"),
             ("无照经营", "penalty", "《无证无照经营查处办法》第十三条"),
             ("销售不合格产品", "penalty", "《产品质量法》第四十九条"),
             ("虚假广告", "penalty", "《广告法》第五十五条"),
             ("食品经营许可", "permit", "《食品安全法》第三十五条"),
             ("查封扣押不符合安全标准的食品", "coercion", "《食品安全法》第一百一十条"),
             ("食品生产经营日常监督检查", "inspection", "《食品安全法》第一百一十条")],
    "sthj": [("超标排放大气污染物", "penalty", "《大气污染防治法》第九十九条"),
             ("未批先建", "penalty", "《环境影响评价法》第三十一条"),
             ("排污许可", "permit", "《排污许可管理条例》第十条"),
             ("查封扣押造成污染物排放的设施", "coercion", "《环境保护法》第二十五条"),
             ("排污单位现场检查", "inspection", "《环境保护法》第二十四条")],
    "zrzy": [("非法占用土地", "penalty", "《土地管理法》第七十七条"),
             ("建设用地规划许可", "permit", "《城乡规划法》第三十七条"),
             ("非法采矿", "penalty", "《矿产资源法》第三十九条")],
    "zjj": [("未取得施工许可擅自施工", "penalty", "《建筑法》第六十四条"),
            ("建筑工程施工许可", "permit", "《建筑法》第七条"),
            ("建筑工地安全检查", "inspection", "《建设工程安全生产管理条例》第四十条")],
    "jtys": [("道路运输车辆超限运输", "penalty", "《公路法》第七十六条"),
             ("道路运输经营许可", "permit", "《道路运输条例》第十条"),
             ("暂扣超限运输车辆", "coercion", "《公路法》第八十五条")],
    "slj": [("河道内非法采砂", "penalty", "《水法》第七十二条"), ("取水许可", "permit", "《取水许可和水资源费征收管理条例》第三条")],
    "nync": [("销售假劣农药", "penalty", "《农药管理条例》第五十五条"), ("农药经营许可", "permit", "《农药管理条例》第二十四条"),
             ("动物防疫检查", "inspection", "《动物防疫法》第七十六条")],
    "yjgl": [("未按规定进行安全生产教育培训", "penalty", "《安全生产法》第九十七条"),
             ("危险化学品经营许可", "permit", "《危险化学品安全管理条例》第三十三条"),
             ("安全生产执法检查", "inspection", "《安全生产法》第六十五条")],
    "wsjk": [("非法行医", "penalty", "《基本医疗卫生与健康促进法》第九十九条"), ("医疗机构执业许可", "permit", "《医疗机构管理条例》第十四条"),
             ("公共场所卫生监督检查", "inspection", "《公共场所卫生管理条例》第十条")],
    "jyj": [("违规举办校外培训", "penalty", "《民办教育促进法》第六十四条"), ("民办学校办学许可", "permit", "《民办教育促进法》第十二条")],
    "whly": [("违规经营娱乐场所", "penalty", "《娱乐场所管理条例》第四十八条"), ("旅行社业务经营许可", "permit", "《旅游法》第二十八条")],
    "ga": [("违反治安管理行为", "penalty", "《治安管理处罚法》第二十三条"), ("扣押涉案物品", "coercion", "《行政强制法》第九条")],
    "rlzy": [("拖欠劳动者工资", "penalty", "《劳动保障监察条例》第二十六条"), ("劳动保障监察检查", "inspection", "《劳动保障监察条例》第十五条")],
    "cz": [("违反会计法行为", "penalty", "《会计法》第四十二条")],
    "sw": [("逾期未办理纳税申报", "penalty", "《税收征收管理法》第六十二条")],
    "ybj": [("欺诈骗取医疗保障基金", "penalty", "《医疗保障基金使用监督管理条例》第四十条")],
    "lyj": [("滥伐林木", "penalty", "《森林法》第七十六条"), ("林木采伐许可", "permit", "《森林法》第五十六条")],
    "swj": [("违规发行单用途预付卡", "penalty", "《单用途商业预付卡管理办法》第三十六条")],
    "fgj": [("违反价格法行为", "penalty", "《价格法》第三十九条")],
    "tjj": [("统计造假", "penalty", "《统计法》第三十七条")],
    "zhzf": [("违法建设", "penalty", "《城乡规划法》第六十四条"), ("占道经营", "penalty", "《城市市容和环境卫生管理条例》第三十六条"),
             ("乱倒建筑垃圾", "penalty", "《城市市容和环境卫生管理条例》第三十四条"),
             ("户外广告设置许可", "permit", "《城市市容和环境卫生管理条例》第十一条"),
             ("暂扣占道经营物品", "coercion", "《行政强制法》第九条")],
    "xfjy": [("消防设施不符合标准", "penalty", "《消防法》第六十条"), ("公众聚集场所投入使用前消防安全检查", "permit", "《消防法》第十五条"),
             ("消防监督检查", "inspection", "《消防法》第五十三条")],
}
START = date(2023, 12, 1)
CASES_PER_DAY = 4.0


class _Deadlines:
    """In-memory deadline computation with the engine (one calendar, rules read once)."""

    def __init__(self):
        from yifa.deadlines import engine

        self.engine = engine
        self.cal = engine.db_calendar()
        self.rules = {}
        self.provisional = 0

    def rule(self, code):
        if code not in self.rules:
            r = self.engine.get_rule(code)
            self.rules[code] = (r, self.engine.effective_rule(r, None))
        return self.rules[code]

    def due(self, code, start):
        """(due, yellow_from, waiting_for_year or None)."""
        rule, eff = self.rule(code)
        r = self.engine.compute_due(self.cal, start=start, n=eff.n, unit=eff.unit, direction=eff.direction,
                                    yellow_working_days=settings.YIFA_YELLOW_WORKING_DAYS)
        return r.due, r.yellow_from, r.waiting_for_year




def _officer_accounts(officers):
    """One account per demo officer (role 执法人员, in the officer's unit), so each case has a
    承办人 who sees it among his to-dos. The accounts cannot sign in (no usable password;
    the administrator sets one when an officer starts using the platform) and are created
    in bulk: 237 password hashes would cost the demo a minute for nothing."""
    from yifa.orgs.models import RoleAssignment, User

    accounts = []
    for o in officers:
        u = User(username=f"zf{o.certificate_no[-4:]}", display_name=o.name, org=o.org, post="执法人员")
        u.set_unusable_password()
        accounts.append(u)
    User.objects.bulk_create(accounts, batch_size=500)
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role="officer") for u in accounts], batch_size=500)
    for o, u in zip(officers, accounts, strict=True):
        o.user = u


def _person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _party(rng):
    if rng.random() < 0.55:
        region = rng.choice(["371523", "371502", "370102"])
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 15000))
        id_no = f"{region}{birth:%Y%m%d}{rng.randrange(100, 999)}{rng.choice('0123456789X')}"
        return dict(party_kind="individual", party_name=_person(rng), party_id_no=id_no,
                    party_phone=f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
                    party_address=f"清河县{rng.choice(['城关街道', '南湖镇', '北山镇', '青溪镇'])}{rng.choice(['人民路', '建设街', '和平路'])}{rng.randrange(1, 300)}号")
    name = f"清河县{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(SHOPS)}有限公司"
    return dict(party_kind="organisation", party_name=name, party_id_no=f"91371523MA{rng.randrange(10**7, 10**8)}X",
                party_phone=f"0635-{rng.randrange(1000000, 9999999)}", party_address="清河县经济开发区")


@demo.register("enforcement", order=30)
def load(ctx, progress):
    build(ctx, progress)


def build(ctx, progress, *, today=None, per_day=CASES_PER_DAY, seed=2026):
    from yifa.orgs.demo import DEPARTMENTS, TOWNSHIPS

    rng = random.Random(seed)
    today = today or clock.today()
    orgs, users = ctx["orgs"], ctx.get("users", {})
    depts = [orgs[f"QH-D-{c}"] for c, _ in DEPARTMENTS]
    towns = [orgs[f"QH-T-{c}"] for c, _ in TOWNSHIPS]

    # bodies
    bodies = [EnforcementBody(org=d, name=name, kind="statutory", legal_basis="《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》及部门三定方案")
              for d, (_c, name) in zip(depts, DEPARTMENTS, strict=True)]
    bodies += [EnforcementBody(org=t, name=f"{name}人民政府" if name.endswith(("镇", "乡")) else f"{name}办事处",
                               kind="authorised", legal_basis="《山东省乡镇（街道）综合行政执法赋权事项目录》")
               for t, (_c, name) in zip(towns, TOWNSHIPS, strict=True)]
    bodies.append(EnforcementBody(org=orgs["QH-D-zhzf"], name="清河县城市管理综合执法大队", kind="entrusted",
                                  legal_basis="县综合行政执法局委托书"))
    EnforcementBody.objects.bulk_create(bodies)
    body_of = {b.org_id: b for b in bodies}
    progress(f"执法主体：{len(bodies)} 个")

    # officers: 9 per department (207) + 30 across townships = 237
    officers, n = [], 0
    plan = [(d, 9) for d in depts] + [(t, 2 if i < 12 else 1) for i, t in enumerate(towns)]
    for org, count in plan:
        for _ in range(count):
            n += 1
            valid_from = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 900))
            expired = n % 47 == 0
            if expired:
                valid_to = date(2026, 6, 30)
            elif n % 29 == 0:  # the certificate expires within 30 days of today
                valid_to = today + timedelta(days=5 + n % 20)
            elif n % 19 == 0:  # within 90 days
                valid_to = today + timedelta(days=35 + n % 50)
            else:
                valid_to = date(2029, 12, 31)
            officers.append(Officer(org=org, name=_person(rng), certificate_no=f"37152300{n:04d}",
                                    valid_from=valid_from, valid_to=valid_to,
                                    status=OfficerStatus.ACTIVE))
            rng.randrange(24, 80)  # keeps the random sequence (and the demo's names and cases) as before
    if "officer" in users:
        officers[0].user = users["officer"]
        officers[0].name = users["officer"].display_name
    _officer_accounts(officers[1:] if "officer" in users else officers)
    Officer.objects.bulk_create(officers)
    by_org_officers = {}
    for o in officers:
        by_org_officers.setdefault(o.org_id, []).append(o)
    progress(f"执法人员：{len(officers)} 名")

    # items (56) with benchmarks for penalties
    items, k = [], 0
    sectors = {s.code: s for s in Sector.objects.all()}
    for code, entries in ITEMS.items():
        for name, cat, basis in entries:
            k += 1
            items.append(EnforcementItem(org=orgs[f"QH-D-{code}"], code=f"QH-{code.upper()}-{k:03d}", name=name,
                                         category=cat, legal_basis=basis, sector=sectors.get(_sector_of(code, name))))
    EnforcementItem.objects.bulk_create(items)
    benches = []
    for it in items:
        if it.category == "penalty":
            top = rng.choice([20000, 50000, 100000, 200000])
            benches += [DiscretionBenchmark(item=it, level="minor", min_amount=0, max_amount=Decimal(top // 20),
                                            circumstance="初次违法且危害后果轻微"),
                        DiscretionBenchmark(item=it, level="general", min_amount=Decimal(top // 20),
                                            max_amount=Decimal(top // 4), circumstance="一般情节"),
                        DiscretionBenchmark(item=it, level="serious", min_amount=Decimal(top // 4),
                                            max_amount=Decimal(top), circumstance="情节较重")]
    DiscretionBenchmark.objects.bulk_create(benches)
    items_by_org = {}
    for it in items:
        items_by_org.setdefault(it.org_id, []).append(it)
    town_items = items_by_org[orgs["QH-D-zhzf"].pk]
    progress(f"执法事项：{len(items)} 项（裁量基准 {len(benches)} 条）")
    # 事前公开: every department published its items, bases and procedures early in the year,
    # except the statistics bureau (procedures not yet published) — the check shows it
    disclosures = []
    for code in ITEMS:
        lagging = code == "tjj"
        disclosures.append(PriorDisclosure(org=orgs[f"QH-D-{code}"], items_published=True, bases_published=True,
                                           procedures_published=not lagging,
                                           published_on=date(today.year, 1, 15) if today >= date(today.year, 1, 15)
                                           else date(today.year - 1, 1, 15),
                                           url=f"http://www.qinghe.gov.cn/zfxxgk/{code}/qzqd/"))
    PriorDisclosure.objects.bulk_create(disclosures)

    cases, deadlines = generate_cases(rng, today, depts, towns, items_by_org, town_items, by_org_officers,
                                      body_of, users.get("officer"), orgs["QH-D-scjg"].pk, per_day)
    return save_cases(cases, deadlines, progress, today)


def generate_cases(rng, today, depts, towns, items_by_org, town_items, by_org_officers, body_of, demo_officer,
                   demo_officer_org_id, per_day, start=START):
    dl = _Deadlines()
    cases, deadlines = [], []  # deadlines: (case index, rule code, start, due, yellow_from)
    seq = {}
    total_days = (today - start).days
    day = start
    while day <= today:
        def p_on_time(close_day):
            return 0.85 + 0.13 * min(1.0, max(0.0, (close_day - start).days / max(1, total_days)))
        count = int(per_day) + (1 if rng.random() < per_day - int(per_day) else 0)
        for _ in range(count):
            org = rng.choice(depts) if rng.random() < 0.8 else rng.choice(towns)
            item = rng.choice(items_by_org.get(org.pk) or town_items)
            ctype = item.category if item.category in ("penalty", "permit", "coercion", "inspection") else "inspection"
            procedure = "summary" if ctype == "penalty" and rng.random() < 0.15 else "general"
            key = (org.pk, day.year)
            seq[key] = seq.get(key, 0) + 1
            case_no = f"{org.short_name or org.code}〔{day.year}〕{seq[key]:05d}号"
            c = Case(org=org, item=item, body=body_of.get(org.pk), case_type=ctype, procedure=procedure,
                     filed_on=day, case_no=case_no, source_system="yifa", source_case_no=case_no,
                     title=item.name, facts=f"经查，当事人存在{item.name}的行为。", **_party(rng))
            pool = by_org_officers.get(org.pk) or []
            c._officers = rng.sample(pool, 2) if len(pool) >= 2 else pool
            # 承办人: the demo officer in his own department, else the first of the case's
            # two officers (every officer has an account), so no case is left "未指定"
            if org.pk == demo_officer_org_id and demo_officer is not None:
                c.handler = demo_officer
            elif c._officers and c._officers[0].user_id:
                c.handler_id = c._officers[0].user_id
            if ctype == "penalty":
                bench_top = rng.choice([2000, 5000, 8000, 15000, 30000])
                c.sanction = "fine" if rng.random() < 0.85 else "warning"
                c.amount = Decimal(rng.choice([100, 150, 200])) if procedure == "summary" else (
                    Decimal(rng.randrange(5, bench_top // 100 + 6) * 100) if c.sanction == "fine" else None)
                if c.sanction == "warning":
                    c.amount = None
            typical = 60 if ctype == "penalty" and procedure == "general" else 10
            on_time = rng.random() < p_on_time(day + timedelta(days=typical))
            _advance(c, rng, today, dl, deadlines, len(cases), on_time)
            # 事中亮证: recorded at the on-site step, missing on about one case in 23 (no rng
            # draw, so the rest of the demo stays as it was)
            if ctype in ("penalty", "coercion", "inspection") and c.state not in ("filed", "planned"):
                c.certificate_shown = len(cases) % 23 != 0
                c.certificate_shown_on = min(day + timedelta(days=1), today) if c.certificate_shown else None
            cases.append(c)
        day += timedelta(days=1)
    return cases, (deadlines, dl)


def _advance(c, rng, today, dl, deadlines, idx, on_time):
    """Choose the case's state from its age; fill the step dates; plan open deadlines."""
    age = (today - c.filed_on).days
    f = c.filed_on

    def plan(code, start):
        due, yellow, waiting = dl.due(code, start)
        dl.provisional += waiting is not None
        deadlines.append((idx, code, start, due, yellow, waiting))
        return due, yellow

    def close(duration_ok, duration_late):
        nonlocal on_time
        c.state, c.is_open = "closed", False
        span = rng.randrange(*duration_ok) if on_time else rng.randrange(*duration_late)
        if f + timedelta(days=span) > today:  # not closed late yet: it closed on time instead
            on_time, span = True, min(age, rng.randrange(*duration_ok))
        c.closed_on = f + timedelta(days=span)
        c.decided_on = c.decided_on or (c.closed_on - timedelta(days=min(5, span // 3)))
        c.on_time = on_time

    if c.case_type == "penalty" and c.procedure == "summary":
        c.decided_on = f
        if age >= 2:
            c.state, c.is_open, c.on_time = "closed", False, on_time
            c.closed_on = min(today, f + timedelta(days=1 if on_time else rng.randrange(3, 10)))
        else:
            c.state = "decided"
        return
    if c.case_type == "penalty":
        if age > 125 or (age > 75 and rng.random() < (age - 75) / 50):
            close((25, 88), (91, 100))
            c.notice_on = c.decided_on - timedelta(days=10)
            c.served_on = c.decided_on + timedelta(days=2)
            if c.amount and c.amount >= 10000 and c.party_kind == "individual":
                c.legal_review_result, c.legal_review_on = ReviewResult.PASSED, c.decided_on - timedelta(days=2)
            c.publicity_state = PublicityState.PUBLISHED
            c.published_on = c.decided_on + timedelta(days=rng.randrange(1, 9))
            if c.published_on > today:
                c.published_on = today
            return
        # open: the state follows the age; overdue ones are still before the decision
        if age < 12:
            c.state = rng.choice(["filed", "investigating"])
        elif age < 45:
            c.state = rng.choice(["investigating", "investigating", "notified"])
        elif age < 90:
            c.state = rng.choice(["notified", "legal_review", "hearing", "decided", "served", "executing"])
        else:
            # overdue (only a few remain open this long)
            if rng.random() < 0.6:
                close((25, 88), (91, 100))
                return
            c.state = rng.choice(["investigating", "legal_review"])
        if c.state in ("notified", "legal_review", "hearing"):
            c.notice_on = f + timedelta(days=min(age - 2, 30))
        if c.state == "hearing":
            c.hearing_requested = True
        if c.state in ("decided", "served", "executing"):
            c.notice_on = f + timedelta(days=20)
            if c.state == "decided":
                c.decided_on = max(f + timedelta(days=25), today - timedelta(days=rng.randrange(0, 8)))
                c.publicity_state = PublicityState.PENDING
                plan("penalty.service", c.decided_on)
                plan("penalty.publicity", c.decided_on)
            else:
                c.decided_on = f + timedelta(days=rng.randrange(30, 45))
                c.served_on = c.decided_on + timedelta(days=1)
                if rng.random() < 0.9:
                    c.publicity_state = PublicityState.PUBLISHED
                    c.published_on = min(today, c.decided_on + timedelta(days=3))
                else:  # published late: the sweep warns
                    c.publicity_state = PublicityState.PENDING
                    plan("penalty.publicity", c.decided_on)
                if c.state == "served" and c.sanction == "fine" and c.amount:
                    if c.served_on + timedelta(days=15) < today:
                        c.state = "executing"  # not paid within the party's period: enforcement follows
                    else:
                        plan("penalty.payment", c.served_on)
        else:
            plan("penalty.decision", f)
        return
    if c.case_type == "permit":
        if age > 40 or (age > 14 and rng.random() < 0.6):
            close((3, 25), (30, 40))
            c.state = "closed"
            return
        if age <= 3:
            c.state = "applied"
            plan("permit.materials_notice", f)
        elif age <= 6 and rng.random() < 0.3:
            c.state = "pending_materials"
        elif age > 8 and rng.random() < 0.4:
            c.decided_on = f + timedelta(days=rng.randrange(3, 7))
            c.state = rng.choice(["approved", "approved", "issued", "refused"])
            if c.state == "approved":
                plan("permit.issue", c.decided_on)
        else:
            c.state = "accepted"
            plan("permit.decision", f + timedelta(days=2))
        return
    if c.case_type == "coercion":
        if age > 45 or (age > 20 and rng.random() < 0.6):
            close((10, 28), (32, 45))
            return
        if age > 12 and rng.random() < 0.3:
            c.state, c.decided_on = "released", f + timedelta(days=rng.randrange(5, 12))
            return
        c.state = "seized"
        plan("coercion.seizure", f)
        return
    # inspections
    if age > 10 or rng.random() < 0.5:
        c.state, c.is_open, c.on_time = "closed", False, on_time
        c.closed_on = min(today, f + timedelta(days=rng.randrange(1, 10) if on_time else rng.randrange(15, 30)))
    else:
        c.state = rng.choice(["planned", "inspecting"])


def save_cases(cases, deadline_plan, progress, today):
    from yifa.deadlines.models import TrackedDeadline

    deadlines, dl = deadline_plan
    Case.objects.bulk_create(cases, batch_size=1000)
    through = Case.officers.through
    through.objects.bulk_create([through(case_id=c.pk, officer_id=o.pk) for c in cases for o in c._officers],
                                batch_size=2000)
    rows, nearest = [], {}
    for idx, code, start, due, yellow, waiting in deadlines:
        c = cases[idx]
        rule, eff = dl.rule(code)
        rows.append(TrackedDeadline(owner_type="enforcement.case", owner_id=str(c.pk), org_id=c.org_id,
                                    handler_id=c.handler_id, rule=rule, title=f"{c.case_no} {c.title}"[:200],
                                    start=start, n=eff.n, unit=eff.unit, due=due, yellow_from=yellow,
                                    provisional=waiting is not None, waiting_for_year=waiting,
                                    citation=eff.basis[:400], state="open"))
        if idx not in nearest or due < nearest[idx][1]:
            nearest[idx] = (code, due, yellow, waiting is not None)
    TrackedDeadline.objects.bulk_create(rows, batch_size=1000)
    updates = []
    for idx, (code, due, yellow, provisional) in nearest.items():
        c = cases[idx]
        c.due, c.yellow_from, c.due_rule, c.due_provisional = due, yellow, code, provisional
        updates.append(c)
    Case.objects.bulk_update(updates, ["due", "yellow_from", "due_rule", "due_provisional"], batch_size=1000)
    from .services import rebuild_rollup

    rebuild_rollup()
    open_count = sum(1 for c in cases if c.is_open)
    red = sum(1 for c in updates if c.due < today)
    progress(f"执法案件：{len(cases)} 件（在办 {open_count} 件，其中超期 {red} 件；跟踪期限 {len(rows)} 条）")
    if dl.provisional:
        progress(f"注意：{dl.provisional} 个期限跨入尚未录入放假安排的年度，届满日为暂定；管理员录入并标记完整后自动重新计算。")
    # warnings for what is yellow/red now (the sweep's own task, so the board shows them at once)
    from yifa.deadlines.sweep import sweep_deadlines

    counts = sweep_deadlines(today)
    progress(f"预警：{counts.get('warnings', 0)} 条，通知 {counts.get('notifications', 0)} 条")
    return cases
