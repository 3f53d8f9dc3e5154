"""The law complete (issue 16 §1): the time limits LEGAL_RULES.md lists that the engine did
not know, the corrected citations, and maximum-duration periods that do not roll forward.

Policy (LEGAL_RULES.md "How periods are counted", decided in issue 16):
- a *minimum* period (`min`: 公开征求意见不少于30日, 催告后等待10个工作日) never ends on a
  rest day: it rolls forward like any period;
- a *maximum duration* the agency must respect (`duration`: 查封扣押30日, 冻结30日) does not
  roll forward: the measure must be lifted by the day the period ends, holiday or not."""

from django.db import migrations, models

# code, name, n, unit, direction, basis, extension_n, extensions_allowed, suspensions_apply, local_default
RULES = [
    ("reconsideration.simple_decision", "简易程序审理的行政复议案件作出复议决定", 30, "CD", "max",
     "《行政复议法》第六十二条第二款", 0, 0, True, False),
    ("reconsideration.simple_answer", "简易程序中被申请人提出书面答复并提交证据、依据", 5, "WD", "max",
     "《行政复议法》第五十四条、第八十八条（“五日”为工作日）", 0, 0, False, False),
    ("reconsideration.application_unnotified", "行政机关未告知复议权利时申请行政复议的最长期限（一年）", 12, "months",
     "max", "《行政复议法》第二十条第三款（自知道或者应当知道申请权利、期限之日起，最长不超过一年）", 0, 0, False, False),
    ("litigation.filing_unnotified", "行政机关未告知起诉期限时提起诉讼的最长期限（一年）", 12, "months", "max",
     "《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》第六十四条", 0, 0, False, False),
    ("judgment.appeal", "不服第一审判决提起上诉（期满未上诉的，判决发生法律效力）", 15, "CD", "max",
     "《行政诉讼法》第八十五条", 0, 0, False, False),
    ("ruling.appeal", "不服第一审裁定提起上诉（期满未上诉的，裁定发生法律效力）", 10, "CD", "max",
     "《行政诉讼法》第八十五条", 0, 0, False, False),
    ("penalty.onsite_handover", "当场收缴的罚款交至行政机关", 2, "WD", "max",
     "《行政处罚法》第七十一条、第八十五条（在水上当场收缴的，自抵岸之日起二日内）", 0, 0, False, False),
    ("penalty.limitation", "违法行为在二年内未被发现的，不再给予行政处罚（追责时效）", 24, "months", "max",
     "《行政处罚法》第三十六条第一款（自违法行为发生之日起计算；连续或者继续状态的，自行为终了之日起计算）",
     0, 0, False, False),
    ("penalty.limitation_major", "涉及公民生命健康安全、金融安全且有危害后果的违法行为的追责时效（五年）", 60, "months",
     "max", "《行政处罚法》第三十六条第一款", 0, 0, False, False),
    ("coercion.freezing", "冻结存款、汇款的期限（届满日不顺延）", 30, "CD", "duration",
     "《行政强制法》第三十二条（情况复杂的，经行政机关负责人批准可延长30日）", 30, 1, False, False),
    ("coercion.court_application", "当事人期限届满不履行的，申请人民法院强制执行", 3, "months", "max",
     "《行政强制法》第五十三条（自复议、诉讼期限届满之日起三个月内）", 0, 0, False, False),
    ("coercion.notice_wait", "催告书送达后申请人民法院强制执行前的等待期（最早申请日）", 10, "WD", "min",
     "《行政强制法》第五十四条、第六十九条（“十日”为工作日）", 0, 0, False, False),
    ("permit.joint_decision", "统一办理、联合办理、集中办理的行政许可作出决定", 45, "WD", "max",
     "《行政许可法》第四十二条第二款、第八十二条（经本级人民政府负责人批准可延长15个工作日）", 15, 1, True, False),
    ("foia.correction", "申请内容不明确的，一次性告知申请人补正", 7, "WD", "max",
     "《政府信息公开条例》第三十条", 0, 0, False, False),
    ("foia.third_party", "第三方提出意见的期限", 15, "WD", "max",
     "《政府信息公开条例》第三十二条", 0, 0, False, False),
    ("normative.review.min", "行政规范性文件合法性审查最短时间", 5, "WD", "min",
     "本地默认值，未经核实（常引国办发〔2018〕115号，一般不少于5个工作日）", 0, 0, False, True),
]

# corrected citations and directions of rules seeded earlier
UPDATES = {
    "penalty.hearing_notice": {"basis": "《行政处罚法》第六十四条、第八十五条（听证七日前通知，“七日”为工作日）"},
    "penalty.publicity_withdraw": {"basis": "《行政处罚法》第四十八条、第八十五条；《市场监督管理行政处罚信息公示规定》第十一条"},
    "penalty.decision": {"note": "听证、检测、检验、鉴定等期间不计入办案期限，依据是各部门的行政处罚程序规定"
                                 "（如《市场监督管理行政处罚程序规定》），不是《行政处罚法》第六十条。"},
    "coercion.seizure": {"direction": "duration", "name": "查封、扣押期限（届满日不顺延）"},
    "review.major_decision.min": {"basis": "《重大行政决策程序暂行条例》第二十六条（送审单位应当给审查留出不少于七个工作日）"},
}


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    have = set(DeadlineRule.objects.values_list("code", flat=True))
    DeadlineRule.objects.bulk_create([
        DeadlineRule(code=code, name=name, n=n, unit=unit, direction=direction, basis=basis, extension_n=ext_n,
                     extensions_allowed=ext_count, suspensions_apply=susp, is_local_default=local)
        for code, name, n, unit, direction, basis, ext_n, ext_count, susp, local in RULES if code not in have
    ])
    for code, fields in UPDATES.items():
        DeadlineRule.objects.filter(code=code).update(**fields)


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[r[0] for r in RULES]).delete()
    DeadlineRule.objects.filter(code="coercion.seizure").update(direction="max")


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0005_provisional_deadlines")]

    operations = [
        migrations.AlterField(
            model_name="deadlinerule",
            name="direction",
            field=models.CharField(choices=[("max", "最长期限（届满前完成）"), ("min", "最短期限（不得早于）"),
                                            ("before", "事前期限（某日之前）"),
                                            ("duration", "最长持续期间（届满日不顺延）")],
                                   default="max", max_length=8, verbose_name="方向"),
        ),
        migrations.RunPython(seed, unseed),
    ]
