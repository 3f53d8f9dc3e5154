"""Demo joint meetings: one per quarter over the last three years, convened by the county's
supervision office with the main enforcement departments; each resolves a few action
items, almost all done (some late), the latest meeting's items still open (one overdue).
Adopted rules: linked to the supervision findings that exist when this loader runs (it is
ordered after the supervision and complaints loaders), plus a few adopted on the units' own
initiative. Bulk-created."""

import random
from datetime import date, timedelta


from yifa.core import clock
from yifa.core import demo

from .models import ActionItem, ActionState, AdoptedRule, JointMeeting

TOPICS = [
    "通报本季度行政执法监督检查发现问题及整改情况",
    "研究行政执法“三项制度”落实中的共性问题",
    "部署案卷评查工作",
    "通报投诉举报办理情况及典型问题",
    "研究跨部门联合执法协作机制",
    "通报执法人员持证上岗和培训情况",
    "研究重大执法决定法制审核目录调整",
]
ACTIONS = [
    "对本季度监督检查发现的问题逐项整改并报送整改报告",
    "完善行政执法公示平台信息，补齐逾期未公示的处罚决定",
    "组织执法人员开展执法文书规范化培训",
    "修订本单位重大执法决定法制审核目录",
    "建立执法全过程记录设备使用和资料归档台账",
    "对投诉举报反映的问题开展专项排查",
    "报送本单位行政执法统计年报",
]
RULE_TITLES = [
    ("行政执法全过程记录管理办法", "procedure"),
    ("罚没款票据管理制度", "substance"),
    ("重大行政执法决定法制审核办法", "procedure"),
    ("行政执法公示信息审核发布制度", "publicity"),
    ("执法人员持证上岗和资格管理制度", "subject"),
    ("行政执法文书制作规范", "document"),
    ("行政执法过错责任追究实施细则", "conduct"),
]


@demo.register("meetings", order=85)
def load(ctx, progress):
    build(ctx, progress)


def build(ctx, progress, *, today=None, seed=7):
    from yifa.orgs.demo import DEPARTMENTS, TOWNSHIPS

    rng = random.Random(seed)
    today = today or clock.today()
    orgs, users = ctx["orgs"], ctx.get("users", {})
    office = orgs["QH-SFJ-JDB"]
    depts = [orgs[f"QH-D-{c}"] for c, _ in DEPARTMENTS]
    towns = [orgs[f"QH-T-{c}"] for c, _ in TOWNSHIPS]
    sup = users.get("supervisor")
    meetings, parts = [], []
    for year in range(today.year - 2, today.year + 1):
        for q in range(1, 5):
            held = date(year, 3 * q, rng.randrange(10, 26))
            if held > today:
                continue
            meetings.append(JointMeeting(
                org=office, title=f"清河县{year}年第{q}季度行政执法监督联席会议", held_on=held, year=year, quarter=q,
                location="县司法局三楼会议室", topics="\n".join(rng.sample(TOPICS, 3)),
                minutes=("会议由县行政执法监督办公室主持召开。会议听取了各成员单位本季度行政执法工作情况汇报，"
                         "通报了监督检查发现的问题，研究部署了下一阶段工作。会议议定事项见下表，"
                         "各责任单位按期落实并书面报告。"), created_by=sup))
    JointMeeting.objects.bulk_create(meetings)
    through = JointMeeting.participants.through
    items = []
    latest = meetings[-1] if meetings else None
    for m in meetings:
        members = rng.sample(depts, 8) + rng.sample(towns, 3)
        parts.extend(through(jointmeeting_id=m.pk, organization_id=o.pk) for o in members)
        for title in rng.sample(ACTIONS, rng.randrange(3, 6)):
            owner_unit = rng.choice(members)
            due = m.held_on + timedelta(days=rng.choice((30, 45, 60)))
            if m is latest:  # the latest meeting's items are still being carried out
                due = max(due, today + timedelta(days=rng.randrange(10, 60)))
            item = ActionItem(meeting=m, org=owner_unit, title=title, due=due)
            if m is not latest and (due < today or rng.random() < .7):
                late = rng.random() < .1
                done = due + timedelta(days=rng.randrange(1, 15)) if late else due - timedelta(days=rng.randrange(0, 25))
                done = max(min(done, today), m.held_on + timedelta(days=3))
                if done <= today and (rng.random() < .95 or m.held_on.year < today.year):
                    item.state, item.done_on = ActionState.DONE, done
                    item.completion_note = "已按会议要求落实，相关材料已报县行政执法监督办公室备案。"
            items.append(item)
    if latest is not None:  # one of the latest meeting's items is already overdue
        first = next(i for i in items if i.meeting is latest)
        first.due = min(first.due, today - timedelta(days=3)) if today - timedelta(days=3) >= latest.held_on else first.due
    through.objects.bulk_create(parts)
    ActionItem.objects.bulk_create(items)
    rules = _rules(rng, orgs, depts, today, sup)
    open_items = sum(1 for i in items if i.state == ActionState.OPEN)
    overdue = sum(1 for i in items if i.state == ActionState.OPEN and i.due < today)
    progress(f"联席会议：{len(meetings)} 次，议定事项 {len(items)} 项（已落实 {len(items) - open_items}，"
             f"落实中 {open_items}，其中逾期 {overdue}）；制度建设 {len(rules)} 项"
             f"（关联监督问题 {sum(1 for r in rules if r.finding_id)} 项）")


def _rules(rng, orgs, depts, today, sup):
    from yifa.supervision.models import Finding, FindingState

    findings = list(Finding.objects.exclude(state=FindingState.OPEN).select_related("org")
                    .order_by("corrected_on", "id")[:12])
    rules = []
    for n, f in enumerate(findings, start=1):
        title = next((t for t, cat in RULE_TITLES if cat == f.category), rng.choice(RULE_TITLES)[0])
        adopted = f.corrected_on or f.raised_on
        rules.append(AdoptedRule(
            org=f.org, title=f"{f.org.name}{title}", doc_number=f"清{f.org.code[-4:]}发〔{adopted.year}〕{n}号",
            adopted_on=adopted, finding=f, cause="针对行政执法监督发现的问题建立长效机制",
            text="第一条 为规范本单位行政执法行为，针对监督发现的问题，制定本制度。\n第二条 ……", created_by=sup))
    for n, dept in enumerate(rng.sample(depts, 5), start=1):
        title, _cat = rng.choice(RULE_TITLES)
        adopted = today - timedelta(days=rng.randrange(60, 700))
        rules.append(AdoptedRule(org=dept, title=f"{dept.name}{title}", doc_number=f"清{dept.code[-4:]}发〔{adopted.year}〕{20 + n}号",
                                 adopted_on=adopted, cause="落实联席会议议定事项",
                                 text="第一条 为落实县行政执法监督联席会议要求，制定本制度。\n第二条 ……", created_by=sup))
    AdoptedRule.objects.bulk_create(rules)
    return rules
