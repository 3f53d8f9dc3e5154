"""Seed every deadline rule of LEGAL_RULES.md (code · N · unit · basis)."""

from django.db import migrations

# code, name, n, unit, direction, basis, extension_n, extensions_allowed, suspensions_apply, local_default
RULES = [
    ("penalty.decision", "一般程序行政处罚案件自立案起作出处罚决定", 90, "CD", "max",
     "《行政处罚法》第六十条", 0, 0, True, False),
    ("penalty.service", "当事人不在场时送达行政处罚决定书", 7, "WD", "max",
     "《行政处罚法》第六十一条、第八十五条", 0, 0, False, False),
    ("penalty.hearing_request", "当事人收到告知后申请听证", 5, "WD", "max",
     "《行政处罚法》第六十四条、第八十五条", 0, 0, False, False),
    ("penalty.hearing_notice", "举行听证前通知当事人（最迟通知日）", 7, "WD", "before",
     "《行政处罚法》第六十四条", 0, 0, False, False),
    ("penalty.payment", "当事人收到处罚决定书后缴纳罚款", 15, "CD", "max",
     "《行政处罚法》第六十七条", 0, 0, False, False),
    ("penalty.publicity", "行政处罚决定公示", 7, "WD", "max",
     "国办发〔2018〕118号（市场监管部门：《市场监督管理行政处罚信息公示规定》第九条，20个工作日）", 0, 0, False, False),
    ("penalty.publicity_withdraw", "处罚决定变更、撤销后撤回公示信息", 3, "WD", "max",
     "《行政处罚法》第四十八条；《市场监督管理行政处罚信息公示规定》第十一条", 0, 0, False, False),
    ("permit.materials_notice", "一次性告知申请人需要补正的全部内容", 5, "WD", "max",
     "《行政许可法》第三十二条、第八十二条", 0, 0, False, False),
    ("permit.decision", "作出行政许可决定", 20, "WD", "max",
     "《行政许可法》第四十二条、第八十二条（经本机关负责人批准可延长10个工作日）", 10, 1, True, False),
    ("permit.issue", "准予许可后颁发、送达许可证件", 10, "WD", "max",
     "《行政许可法》第四十四条、第八十二条", 0, 0, False, False),
    ("permit.publicity", "行政许可决定公示", 7, "WD", "max", "国办发〔2018〕118号", 0, 0, False, False),
    ("enforcement.publicity", "其他行政执法决定公示", 20, "WD", "max", "国办发〔2018〕118号", 0, 0, False, False),
    ("coercion.seizure", "查封、扣押期限", 30, "CD", "max",
     "《行政强制法》第二十五条（经行政机关负责人批准可延长30日）", 30, 1, True, False),
    ("reconsideration.application", "自知道行政行为之日起申请行政复议", 60, "CD", "max",
     "《行政复议法》第二十条", 0, 0, False, False),
    ("reconsideration.decision", "作出行政复议决定", 60, "CD", "max",
     "《行政复议法》第六十二条（经批准可延长30日）", 30, 1, True, False),
    ("reconsideration.opinion_reply", "收到行政复议意见书后纠正并报告", 60, "CD", "max",
     "《行政复议法》第七十六条", 0, 0, False, False),
    ("litigation.filing", "自知道行政行为之日起直接提起行政诉讼", 6, "months", "max",
     "《行政诉讼法》第四十六条", 0, 0, False, False),
    ("litigation.after_reconsideration", "收到复议决定书后提起行政诉讼", 15, "CD", "max",
     "《行政诉讼法》第四十五条", 0, 0, False, False),
    ("foia.reply", "答复政府信息公开申请", 20, "WD", "max",
     "《政府信息公开条例》第三十三条（经负责人同意可延长20个工作日；征求第三方意见时间不计算在内）", 20, 1, True, False),
    ("supervision.rectification", "收到行政执法监督意见书后整改", 30, "CD", "max",
     "本地默认值（参照《山东省行政执法监督条例》第二十八条）", 0, 0, False, True),
    ("review.major_decision.min", "重大行政决策合法性审查最短时间", 7, "WD", "min",
     "《重大行政决策程序暂行条例》第二十六条", 0, 0, False, False),
    ("decision.public_comment.min", "重大行政决策公开征求意见最短期限", 30, "CD", "min",
     "《重大行政决策程序暂行条例》第十五条", 0, 0, False, False),
    ("normative.review", "行政规范性文件合法性审查期限", 15, "WD", "max",
     "本地默认值，未经核实（常引国办发〔2018〕115号，一般5至15个工作日）", 0, 0, False, True),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    have = set(DeadlineRule.objects.values_list("code", flat=True))
    DeadlineRule.objects.bulk_create([
        DeadlineRule(code=code, name=name, n=n, unit=unit, direction=direction, basis=basis, extension_n=ext_n,
                     extensions_allowed=ext_count, suspensions_apply=susp, is_local_default=local)
        for code, name, n, unit, direction, basis, ext_n, ext_count, susp, local in RULES if code not in have
    ])


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_seed_holidays")]
    operations = [migrations.RunPython(seed, unseed)]
