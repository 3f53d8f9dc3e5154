"""Demo data: the market supervision bureau's publicity override and a few tracked
deadlines around today (normal, 临期, 超期) so the monitoring page and the sweep have
something to show."""

from datetime import timedelta


from yifa.core import clock
from yifa.core import demo

from . import services
from .models import DeadlineRule

# (org code, handler username, rule, days before today the period started, title)
DEMO_DEADLINES = [
    ("QH-D-scjg", "officer", "penalty.publicity", 3, "清河县某超市销售过期食品案 处罚决定公示"),
    ("QH-D-scjg", "officer", "penalty.service", 8, "清河县某餐馆无证经营案 决定书送达"),
    ("QH-D-scjg", "officer", "permit.decision", 40, "食品经营许可申请（某便利店）"),
    ("QH-D-scjg", "officer", "penalty.decision", 20, "清河县某药店违规销售处方药案"),
    ("QH-D-sthj", None, "penalty.publicity", 15, "清河县某化工厂超标排放案 处罚决定公示"),
    ("QH-T-nanh", None, "permit.materials_notice", 2, "南湖镇临时占道经营许可 补正告知"),
    ("QH-T-beis", None, "enforcement.publicity", 35, "北山镇违法建设责令拆除决定 公示"),
]


@demo.register("deadlines", order=50)
def load(ctx, progress):
    orgs, users = ctx.get("orgs", {}), ctx.get("users", {})
    if "QH-D-scjg" in orgs:
        services.set_rule_override(actor=None, rule=DeadlineRule.objects.get(code="penalty.publicity"),
                                   org=orgs["QH-D-scjg"], n=20, basis="《市场监督管理行政处罚信息公示规定》第九条")
    today = clock.today()
    made = provisional = 0
    for i, (org_code, handler, rule, days_ago, title) in enumerate(DEMO_DEADLINES, start=1):
        if org_code not in orgs:
            continue
        d = services.start_deadline(actor=None, owner=("demo.case", f"DEMO-{i}"), rule_code=rule,
                                    start=today - timedelta(days=days_ago), org=orgs[org_code],
                                    handler=users.get(handler), title=title)
        made += 1
        provisional += d.provisional
    progress(f"法定期限：市场监管公示特别规定 1 条，跟踪期限 {made} 条"
             + (f"（其中 {provisional} 条届满日暂定：所在年度放假安排尚未录入）" if provisional else ""))
