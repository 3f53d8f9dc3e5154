"""Demo data: three years of training in the demo county (county-wide sessions organised
by the supervision office, sessions of each department and township), with attendance
for every officer so that completion rates are realistic: most officers reach the
required 60 hours a year, some do not. Everything is bulk-created; no hours are typed
in: every figure on the pages is computed from these attendance rows.

Certificates: the expiry dates are enforcement's demo data (not edited here)."""

import random
from datetime import date, timedelta
from decimal import Decimal


from yifa.core import clock
from yifa.core import demo

COUNTY_TOPICS = [
    ("《中华人民共和国行政处罚法》专题培训", "law"), ("行政执法“三项制度”实务培训", "business"),
    ("《中华人民共和国行政复议法》修订解读", "law"), ("行政执法案卷制作规范培训", "business"),
    ("行政执法证据收集与固定", "skills"), ("全县行政执法领域警示教育大会", "warning"),
    ("《中华人民共和国行政强制法》实务讲座", "law"), ("执法人员职业道德与作风建设专题", "ethics"),
    ("《行政执法监督条例》学习培训", "law"), ("依法行政能力提升专题讲座", "law"),
]
UNIT_TOPICS = [("本系统执法业务培训", "business"), ("执法文书制作专题", "business"), ("典型案例评析会", "warning"),
               ("新法新规学习会", "law"), ("现场执法规范化演练", "skills"), ("执法风险防控培训", "ethics")]
TRAINERS = ["县司法局法治督察科 王科长", "清河律师事务所 刘律师", "市委党校 陈教授", "县法院行政庭 赵庭长",
            "县检察院行政检察部 孙检察官", "市司法局 周处长"]
COUNTY_SESSIONS = 6   # per year, 6–10 hours each, every officer invited
UNIT_SESSIONS = {"department": 5, "township": 4}   # per year, 4–6 hours each, the unit's officers invited


def _dates(rng, year, n, today):
    """n dates in January–November of `year`, none after today."""
    last = min(date(year, 11, 25), today - timedelta(days=3))
    first = date(year, 1, 8)
    if last < first:
        return []
    span = (last - first).days
    return sorted(first + timedelta(days=rng.randrange(span + 1)) for _ in range(n))


def build(*, orgs, officers, today, staff=(), seed=2026, years=3, progress=lambda m: None):
    """Create the sessions and attendance of `years` years up to `today`. `orgs` maps the
    demo org codes; `officers` are enforcement.Officer rows; `staff` users who sometimes
    attend county sessions. Returns counts."""
    from yifa.orgs.models import Organization, OrgKind

    from .models import Attendance, HoursRequirement, Training

    rng = random.Random(seed)
    office = orgs.get("QH-SFJ-JDB") or next(o for o in orgs.values() if o.kind == OrgKind.SUPERVISION_OFFICE)
    county = office.government()
    by_org = {}
    for o in officers:
        by_org.setdefault(o.org_id, []).append(o)
    units = {u.pk: u for u in Organization.objects.filter(pk__in=by_org)}
    sessions, targets_of, plans = [], {}, []   # plans: (training index, [officers invited])
    for year in range(today.year - years + 1, today.year + 1):
        for day in _dates(rng, year, COUNTY_SESSIONS, today):
            title, kind = rng.choice(COUNTY_TOPICS)
            sessions.append(Training(org=office, title=f"{year}年{title}", kind=kind, held_on=day,
                                     hours=Decimal(rng.choice((8, 8, 10))), location="县行政中心第一会议室",
                                     trainer=rng.choice(TRAINERS), description="全县行政执法人员参加。"))
            plans.append((len(sessions) - 1, officers, True))
        for unit in units.values():
            n = UNIT_SESSIONS.get(unit.kind, 3)
            for day in _dates(rng, year, n, today):
                title, kind = rng.choice(UNIT_TOPICS)
                sessions.append(Training(org=unit, title=f"{unit.name}{year}年{title}", kind=kind, held_on=day,
                                         hours=Decimal(rng.choice((4, 5, 6, 6))), location=f"{unit.name}会议室",
                                         trainer=rng.choice(TRAINERS)))
                targets_of[len(sessions) - 1] = unit
                plans.append((len(sessions) - 1, by_org[unit.pk], False))
    Training.objects.bulk_create(sessions, batch_size=500)
    Through = Training.targets.through
    links = [Through(training_id=sessions[i].pk, organization_id=u.pk) for i, u in targets_of.items()]
    for i, _invited, county_wide in plans:
        if county_wide:
            links += [Through(training_id=sessions[i].pk, organization_id=pk) for pk in units]
    Through.objects.bulk_create(links, batch_size=1000)

    # diligence per officer and year: most attend nearly everything, some fall short
    diligence = {}
    for o in officers:
        for year in range(today.year - years + 1, today.year + 1):
            diligence[(o.pk, year)] = 0.97 if rng.random() < 0.86 else rng.uniform(0.35, 0.7)
    rows = []
    for i, invited, county_wide in plans:
        t = sessions[i]
        for o in invited:
            if o.status != "active":
                continue
            attended = rng.random() < diligence[(o.pk, t.held_on.year)]
            hours = t.hours if attended else Decimal("0")
            note = ""
            if attended and rng.random() < 0.03:
                hours, note = (t.hours / 2).quantize(Decimal("0.1")), "中途请假，认定一半学时"
            elif not attended:
                note = rng.choice(("执法任务", "请假", "", ""))
            rows.append(Attendance(training=t, officer=o, org_id=o.org_id, status="attended" if attended else "absent",
                                   hours_credited=hours, held_on=t.held_on, note=note))
        if county_wide:
            for u in staff:
                if rng.random() < 0.6:
                    rows.append(Attendance(training=t, user=u, org_id=u.org_id, status="attended",
                                           hours_credited=t.hours, held_on=t.held_on))
    Attendance.objects.bulk_create(rows, batch_size=1000)
    reqs = [HoursRequirement(org=county, year=y, hours=Decimal("60"))
            for y in range(today.year - years + 1, today.year + 1)]
    HoursRequirement.objects.bulk_create(reqs)
    progress(f"培训：{len(sessions)} 期，出勤记录 {len(rows)} 条（{years} 年）")
    return {"sessions": len(sessions), "attendances": len(rows)}


@demo.register("training", order=60)
def load(ctx, progress):
    from yifa.enforcement.models import Officer
    from yifa.orgs.models import Role, User

    orgs = ctx.get("orgs") or {}
    if not orgs:
        return
    officers = list(Officer.objects.all().order_by("id"))
    staff = list(User.objects.filter(is_demo=True, role_assignments__role__in=(
        Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.SUPERVISOR)).distinct())
    build(orgs=orgs, officers=officers, today=clock.today(), staff=staff, progress=progress)
    from . import selectors

    county = orgs["QH-GOV"]
    y = clock.today().year
    m = selectors.training_metrics(county, date(y, 1, 1), date(y, 12, 31))
    progress(f"本年度学时完成率 {m['completion_rate']}%（{m['officers_meeting']}/{m['officers']}），"
             f"执法证 90 天内到期 {m['certificates_expiring_90']} 名、无效 {m['certificates_invalid']} 名")
