"""Seed the editable catalogues: the circumstance catalogue (the county's 7 categories and 28
sub-items — a LOCAL DEFAULT to be replaced by the text of the county's 错案问责追责办法), the
accountability methods with the impact periods of 政务处分法 art. 8 / 公务员法 art. 64
(LEGAL_RULES.md), the exemption reasons (local default), and the local-default deadline rule
for finishing a backtrack (no statutory period exists; units may override it through the
deadline rule-override mechanism)."""

from django.db import migrations

LOCAL = "本地默认（县行政错案问责追责办法未录入条文，可由管理员修改）"

CIRCUMSTANCES = [
    ("决策失误", ["未履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定等法定程序作出重大行政决策",
              "超越法定权限作出行政决策", "未经合法性审查或审查未通过即作出决策", "决策严重失误造成重大损失或恶劣社会影响"]),
    ("执法违法", ["超越法定职权实施行政执法", "无法定依据实施行政处罚、行政强制", "认定事实不清、主要证据不足",
              "适用法律、法规、规章错误", "执法主体不适格"]),
    ("程序不当", ["未依法告知当事人陈述、申辩、听证权利", "未依法进行重大执法决定法制审核",
              "未依法送达执法文书", "执法人员不足两人或未持证执法"]),
    ("不作为慢作为", ["不依法履行法定职责", "无正当理由超过法定期限办理", "对投诉举报不依法处理",
                "不执行生效裁判、复议决定"]),
    ("滥用职权", ["违法实施行政许可或变相设定许可", "滥用自由裁量权、处罚显失公正", "违法收费、罚没或截留私分",
              "违法干预执法办案"]),
    ("应诉复议", ["行政机关负责人无正当理由不出庭应诉", "不依法提交答辩状、答复及证据", "拖延履行复议决定或裁判",
              "不落实行政复议意见书、司法建议"]),
    ("监督整改", ["拒不整改监督发现的问题", "整改弄虚作假", "阻挠、干扰监督检查或错案倒查"]),
]

SANCTION = "《政务处分法》第八条；《公务员法》第六十四条"
COUNTY = "县行政错案问责追责办法：影响期内不得晋升职务、职称，不得评先评优（本地默认）"
# code, name, group, months, citation, custom, promotion, title, commendation
METHODS = [
    ("criticism_education", "批评教育", "问责", None, "", False, False, False, False),
    ("written_examination", "责令书面检查", "问责", None, "", False, False, False, False),
    ("circulated_criticism", "通报批评", "问责", None, "", False, False, False, False),
    ("admonishment", "诫勉", "组织处理", None, "", False, False, False, False),
    ("transfer", "调离岗位", "组织处理", None, "", False, False, False, False),
    ("suspension", "停职检查", "组织处理", None, "", False, False, False, False),
    ("ordered_resignation", "责令辞职", "组织处理", None, "", False, False, False, False),
    ("sanction_warning", "政务处分：警告", "政务处分", 6, SANCTION, False, True, True, True),
    ("sanction_demerit", "政务处分：记过", "政务处分", 12, SANCTION, False, True, True, True),
    ("sanction_major_demerit", "政务处分：记大过", "政务处分", 18, SANCTION, False, True, True, True),
    ("sanction_demotion", "政务处分：降级", "政务处分", 24, SANCTION, False, True, True, True),
    ("sanction_removal", "政务处分：撤职", "政务处分", 24, SANCTION, False, True, True, True),
    ("sanction_expulsion", "政务处分：开除", "政务处分", None, "", False, False, False, False),
    ("party_discipline", "党纪处分", "党纪处分", None, "", True, True, True, True),
]

EXEMPTIONS = [
    ("party_fraud", "当事人弄虚作假、隐瞒真相等欺诈行为致使错误"),
    ("force_majeure", "因不可抗力致使错误"),
    ("unclear_rules", "法律、法规、规章规定不明确或有关机关解释不一致"),
    ("policy_change", "因法律、政策调整致使原行为需变更"),
    ("superior_order", "执行上级机关决定、命令且已提出改正意见"),
    ("reasonable_error", "在现有技术条件下难以判断且已尽审慎义务"),
]


def seed_catalogues(apps, schema_editor):
    Category = apps.get_model("accountability", "CircumstanceCategory")
    Circumstance = apps.get_model("accountability", "Circumstance")
    Method = apps.get_model("accountability", "Method")
    Reason = apps.get_model("accountability", "ExemptionReason")
    for i, (cat, items) in enumerate(CIRCUMSTANCES, 1):
        c, _ = Category.objects.get_or_create(name=cat, defaults={"sort_order": i, "is_local_default": True})
        for j, name in enumerate(items, 1):
            Circumstance.objects.get_or_create(code=f"{i}.{j}", defaults={"category": c, "name": name,
                                                                           "is_local_default": True})
    for i, (code, name, group, months, cit, custom, p, t, c) in enumerate(METHODS, 1):
        Method.objects.get_or_create(code=code, defaults=dict(
            name=name, group=group, sort_order=i, impact_months=months, impact_citation=cit, custom_impact=custom,
            restricts_promotion=p, restricts_title=t, restricts_commendation=c,
            restriction_basis=(SANCTION + "；" + COUNTY) if (p or t or c) else ""))
    for code, name in EXEMPTIONS:
        Reason.objects.get_or_create(code=code, defaults={"name": name, "is_local_default": True})
    Rule = apps.get_model("deadlines", "DeadlineRule")
    Rule.objects.get_or_create(code="accountability.backtrack", defaults=dict(
        name="错案倒查完成期限", n=30, unit="CD", direction="max", basis=LOCAL + "；无法定期限",
        is_local_default=True, note="各单位可通过期限规则特别规定调整。"))


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRule").objects.filter(code="accountability.backtrack").delete()


class Migration(migrations.Migration):
    dependencies = [("accountability", "0001_initial"), ("deadlines", "0003_seed_rules")]
    operations = [migrations.RunPython(seed_catalogues, unseed)]
