"""Demo complaints: about 110 a year over the last three years, in every state. Old ones are
closed (a few rejected, a few replied awaiting closure); recent ones are open now: some
waiting to be routed, some routed with a running reply deadline (one or two overdue).

Fast: rows are bulk-created; due dates of closed complaints come from the engine in
memory; only open routed complaints get a TrackedDeadline (through the service). A due
date reaching a year whose holiday notice is not entered is provisional (暂定), and the
loader says how many."""

import random
from datetime import date, timedelta


from yifa.core import clock
from yifa.core import demo

from .models import REPLY_RULE, Complaint, ComplaintCategory, ComplaintSource, ComplaintState

PER_YEAR = 110
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红春梅海波宏亮新峰林德成飞鹏"
CONTENTS = {
    "inaction": ["多次反映{place}有商户占道经营、噪音扰民，执法人员至今未到现场处理。",
                 "举报{place}附近有人非法采砂，向有关部门反映后一个月无人查处。"],
    "arbitrary": ["执法人员在{place}检查时未出示执法证件，强行扣押我的三轮车。",
                  "{place}违建拆除时未下达书面决定，直接组织拆除。"],
    "fine": ["执法人员在{place}对我处以罚款500元，未出具处罚决定书和罚款收据。",
             "同一问题在{place}一个月内被不同执法人员重复罚款三次。"],
    "procedure": ["对我店作出停业整顿决定前未告知听证权利，送达地址也不是我店地址。",
                  "执法人员只有一人到{place}检查并制作笔录，笔录未让我签字。"],
    "conduct": ["执法人员在{place}态度粗暴，言语侮辱，并拒绝告知姓名和证件号。",
                "在{place}办理业务时执法人员推诿扯皮，要求反复提交材料。"],
    "other": ["反映{place}执法公示信息长期未更新，查不到处罚依据。"],
}
PLACES = ["人民路农贸市场", "建设街", "和平路口", "城东工业园", "南湖村", "北山村", "青溪河道", "汽车站广场"]
REPLIES = ["经核查，反映问题基本属实，已责令相关执法人员纠正，并对当事人作出批评教育。",
           "经核查，执法程序合法，已向投诉人当面解释处罚依据，投诉人表示理解。",
           "经核查，反映问题部分属实，已撤销原处罚决定并重新调查处理。",
           "已组织执法人员到现场处理，违法行为已制止，后续将加强巡查。"]
REJECTS = ["反映事项属于民事纠纷，不属于行政执法监督受理范围，已告知通过诉讼途径解决。",
           "反映事项已进入行政复议程序，依法不再重复受理。"]


def _code(rng):
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(12))


def _phone(rng):
    return f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}"


@demo.register("complaints", order=70)
def load(ctx, progress):
    build(ctx, progress)


def build(ctx, progress, *, today=None, seed=612):
    from yifa.deadlines import engine
    from yifa.deadlines import services as deadline_services
    from yifa.orgs.demo import DEPARTMENTS, TOWNSHIPS

    rng = random.Random(seed)
    today = today or clock.today()
    orgs, users = ctx["orgs"], ctx.get("users", {})
    units = [orgs[f"QH-D-{c}"] for c, _ in DEPARTMENTS] + [orgs[f"QH-T-{c}"] for c, _ in TOWNSHIPS]
    weights = [6 if i < 5 else 2 for i in range(len(DEPARTMENTS))] + [1] * len(TOWNSHIPS)
    rule = engine.effective_rule(engine.get_rule(REPLY_RULE))
    cal = engine.db_calendar()
    sources = [ComplaintSource.HOTLINE] * 5 + [ComplaintSource.ONLINE] * 3 + [
        ComplaintSource.PHONE, ComplaintSource.LETTER, ComplaintSource.VISIT] * 1
    rows, to_start, ticket_no, codes = [], [], 0, set()
    start_day = date(today.year - 2, 1, 1)
    days = (today - start_day).days
    total = PER_YEAR * days // 365
    for _ in range(total):
        received = start_day + timedelta(days=rng.randrange(0, days + 1))
        unit = rng.choices(units, weights)[0]
        category = rng.choice(ComplaintCategory.values)
        source = rng.choice(sources)
        code = _code(rng)
        while code in codes:
            code = _code(rng)
        codes.add(code)
        ticket = ""
        if source == ComplaintSource.HOTLINE:
            ticket_no += 1
            ticket = f"QH12345-{received:%Y%m%d}-{ticket_no:04d}"
        c = Complaint(org=unit, subject_unit=unit, query_code=code, source=source, hotline_ticket=ticket,
                      complainant_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < .6 else ""),
                      complainant_phone=_phone(rng), category=category,
                      complainant_id_no=(f"371523{rng.randrange(1960, 2000)}{rng.randrange(1, 13):02d}"
                                         f"{rng.randrange(1, 29):02d}{rng.randrange(1000, 9999)}"
                                         if rng.random() < .4 else ""),
                      content=rng.choice(CONTENTS[category]).format(place=rng.choice(PLACES)), received_on=received)
        age = (today - received).days
        if age <= 6:
            rows.append(c)  # waiting to be routed
            continue
        if rng.random() < .07:
            c.state, c.reject_reason = ComplaintState.REJECTED, rng.choice(REJECTS)
            c.closed_on = received + timedelta(days=rng.randrange(1, 5))
            rows.append(c)
            continue
        routed = received + timedelta(days=rng.randrange(1, 4))
        planned = engine.compute_due(cal, start=routed, n=rule.n, unit=rule.unit, direction=rule.direction)
        due = planned.due
        c.routed_on, c.due, c.route_note = routed, due, "请依法核查处理并按期答复投诉人。"
        c.due_provisional = planned.provisional
        # the on-time share rises over the years; recent complaints are still being handled
        on_time = rng.random() < (0.8 + 0.06 * (received.year - start_day.year))
        reply_on = routed + timedelta(days=rng.randrange(7, (due - routed).days + 1) if on_time
                                      else (due - routed).days + rng.randrange(1, 20))
        if reply_on >= today or age <= 45 and rng.random() < .6:
            c.state = ComplaintState.ROUTED
            rows.append(c)
            to_start.append(c)
            continue
        c.state, c.reply, c.replied_on = ComplaintState.REPLIED, rng.choice(REPLIES), reply_on
        c.replied_by = users.get("dept_legal_scjg") if unit.code == "QH-D-scjg" else None
        close_on = reply_on + timedelta(days=rng.randrange(1, 10))
        if close_on < today and age > 60:
            c.state, c.closed_on = ComplaintState.CLOSED, close_on
        rows.append(c)
    sup = users.get("supervisor")
    for c in rows:
        c.created_by = sup if c.source != ComplaintSource.ONLINE else None
    Complaint.objects.bulk_create(rows, batch_size=500)
    started = 0
    for c in to_start:  # open routed ones: a tracked reply deadline each
        deadline_services.start_deadline(actor=None, owner=c, rule_code=REPLY_RULE, start=c.routed_on, org=c.org,
                                         title=f"投诉举报答复：{c.query_code}")
        started += 1
    findings = _findings(rows, users, today)
    provisional = sum(1 for c in to_start if c.due_provisional)
    by_state = {s.label: sum(1 for c in rows if c.state == s) for s in ComplaintState}
    progress(f"投诉举报：{len(rows)} 件（" + "，".join(f"{k} {v}" for k, v in by_state.items())
             + f"），跟踪答复期限 {started} 个，转为监督问题 {findings} 个"
             + (f"；其中 {provisional} 件的答复期限为暂定（所在年度放假安排尚未录入）" if provisional else ""))


def _findings(rows, users, today):
    """A few replied or closed complaints, substantiated, became supervision findings."""
    from yifa.supervision import services as sup_services
    from yifa.supervision.models import FindingSource

    sup = users.get("supervisor")
    if sup is None:
        return 0
    picked = [c for c in rows if c.state == ComplaintState.CLOSED and c.category in ("fine", "procedure")
              and c.replied_on and c.replied_on.year >= today.year - 1][:6]
    n = 0
    for i, c in enumerate(picked):
        from yifa.enforcement.masking import mask_text

        f = sup_services.raise_finding(
            actor=sup, org=c.subject_unit, category="procedure" if c.category == "procedure" else "substance",
            description=f"群众投诉举报（查询码 {c.query_code}）反映：" + mask_text(c.content),
            source=FindingSource.PUBLIC, on=c.replied_on)
        if i < len(picked) - 1 and c.closed_on + timedelta(days=20) < today:
            sup_services.correct_finding(actor=None, finding=f, evidence="已建立罚没款票据管理和执法文书当场交付制度。",
                                         on=c.closed_on + timedelta(days=20))
        Complaint.objects.filter(pk=c.pk).update(finding=f)
        n += 1
    return n
