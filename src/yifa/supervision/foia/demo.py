"""Demo requests: a county-sized handful (about 30 over the last year) received by a few
departments and townships, through the services so every deadline is tracked as in use:
most answered on time, a few asked to correct (one abandoned), a few with a third party
consulted (one whose opinion never came), one extended, two overdue and some running."""

import random
from datetime import timedelta

from yifa.core import clock
from yifa.core import demo

from .models import ReplyType, RequestChannel, RequesterKind

UNITS = [("QH-D-scjg", "dept_legal_scjg"), ("QH-D-sthj", "dept_legal_sthj"), ("QH-T-nanh", "town_legal_nanh"),
         ("QH-T-beis", "town_legal_beis"), ("QH-D-zrzy", None), ("QH-D-zjj", None)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红春梅海波"
COMPANIES = ["清河县宏达建材有限公司", "清河县绿源农业专业合作社", "清州市正信律师事务所", "清河县惠民超市"]
CONTENTS = [
    "{year}年本单位行政处罚案件数量及罚没款收入情况",
    "{place}建设项目环境影响评价批复文件",
    "{place}地块征收补偿安置方案及批复文号",
    "{year}年度部门预算、决算及“三公”经费支出情况",
    "对{place}食品经营户监督抽检的结果",
    "{place}违法建设查处决定书（当事人为申请人本人）",
    "{year}年度双随机抽查计划及抽查结果",
]
PLACES = ["人民路农贸市场", "城东工业园", "南湖村", "北山村", "青溪河道", "汽车站广场"]
REPLIES = {
    ReplyType.DISCLOSED: "经审查，您申请的信息属于公开范围，现随本告知书提供。",
    ReplyType.PUBLISHED: "您申请的信息已在本机关门户网站“政府信息公开”专栏主动公开，可通过该栏目查阅。",
    ReplyType.PARTIAL: "您申请的信息部分涉及第三方商业秘密，已作区分处理后公开其余部分。",
    ReplyType.WITHHELD: "您申请的信息属于内部事务信息，依法不予公开。",
    ReplyType.NOT_EXIST: "经检索，本机关未制作或获取您申请的信息。",
    ReplyType.NOT_OURS: "您申请的信息不属于本机关负责公开，请向县自然资源局申请。",
}
BASIS = {ReplyType.PARTIAL: "《政府信息公开条例》第十五条、第三十七条",
         ReplyType.WITHHELD: "《政府信息公开条例》第十六条第一款"}


@demo.register("foia", order=72)
def load(ctx, progress):
    build(ctx, progress)


def build(ctx, progress, *, today=None, seed=1630, count=30):
    from . import services

    rng = random.Random(seed)
    today = today or clock.today()
    orgs, users = ctx["orgs"], ctx.get("users", {})
    counts = {"replied": 0, "late": 0, "open": 0, "corrections": 0, "third_party": 0, "extended": 0, "withdrawn": 0}
    plans = (["overdue"] * 2 + ["correction"] * 3 + ["abandoned"] + ["third_party"] * 2 + ["lapsed"]
             + ["extended"] + ["open"] * 4)
    plans += ["plain"] * (count - len(plans))
    for i, plan in enumerate(plans):
        code, username = UNITS[i % len(UNITS)]
        org, actor = orgs[code], users.get(username) if username else None
        if plan == "overdue":
            received = today - timedelta(days=rng.randrange(45, 70))
        elif plan == "open":
            received = today - timedelta(days=rng.randrange(1, 15))
        else:
            received = today - timedelta(days=rng.randrange(70, 340))
        citizen = rng.random() < .75
        r = services.register_request(
            actor=actor, org=org, requester_kind=RequesterKind.CITIZEN if citizen else RequesterKind.LEGAL_PERSON,
            requester_name=(rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)) if citizen
            else rng.choice(COMPANIES), requester_phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
            content="申请公开" + rng.choice(CONTENTS).format(year=received.year - 1, place=rng.choice(PLACES)),
            channel=rng.choice([RequestChannel.ONLINE] * 3 + [RequestChannel.IN_PERSON, RequestChannel.POST]),
            received_on=received)
        if plan in ("overdue", "open"):
            counts["open"] += 1
            continue
        start = received
        if plan in ("correction", "abandoned"):
            notice = received + timedelta(days=rng.randrange(1, 8))
            r = services.request_correction(actor=actor, info_request=r, on=notice, correction_due=notice + timedelta(days=15),
                                            what="申请内容不明确：请写明所需信息的名称、文号或所属年度。")
            counts["corrections"] += 1
            if plan == "abandoned":
                services.withdraw(actor=actor, info_request=r, on=notice + timedelta(days=16))
                counts["withdrawn"] += 1
                continue
            start = notice + timedelta(days=rng.randrange(3, 10))
            r = services.record_correction(actor=actor, info_request=r, on=start)
        if plan in ("third_party", "lapsed"):
            asked = start + timedelta(days=rng.randrange(3, 8))
            r = services.consult(actor=actor, info_request=r, on=asked, third_party=rng.choice(COMPANIES))
            counts["third_party"] += 1
            if plan == "lapsed":
                r = services.opinion_lapsed(actor=actor, info_request=r)
            else:
                r = services.record_opinion(actor=actor, info_request=r, on=asked + timedelta(days=rng.randrange(7, 18)),
                                            opinion="不同意公开涉及本企业生产工艺和客户名单的部分，其余部分同意公开。")
            start = r.third_party_answered_on or start
        if plan == "extended":
            approver = actor or users.get("dept_legal_scjg")
            r = services.extend(actor=actor, info_request=r, approver=approver, on=start + timedelta(days=20),
                                reason="申请的信息量大，需调取多年档案并逐份审查。")
            counts["extended"] += 1
        late = rng.random() < .08
        due = r.due
        reply_on = (due + timedelta(days=rng.randrange(1, 6))) if late else \
            max(start + timedelta(days=1), due - timedelta(days=rng.randrange(0, 18)))
        if reply_on > today:
            counts["open"] += 1
            continue
        kind = ReplyType.PARTIAL if plan == "third_party" else rng.choice(list(REPLIES))
        services.reply(actor=actor, info_request=r, reply_type=kind, text=REPLIES[kind], basis=BASIS.get(kind, ""),
                       on=reply_on)
        counts["replied"] += 1
        counts["late"] += late
    progress(f"政府信息公开申请：{len(plans)} 件（已答复 {counts['replied']}，其中超期 {counts['late']}；办理中 "
             f"{counts['open']}；告知补正 {counts['corrections']}，视为放弃 {counts['withdrawn']}；征求第三方意见 "
             f"{counts['third_party']}；延长答复期限 {counts['extended']}）")
