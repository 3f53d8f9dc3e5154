"""Data for effective outcomes and the impact periods of party discipline and 组织处理.

- Outcomes recorded before outcomes had an appeal state are taken as effective on their
  date (their wrong cases were already opened on them).
- 党纪处分 警告 12 / 严重警告 18 months (中国共产党纪律处分条例 2023 art. 10): pre-filled,
  editable on a decision with a stated basis.
- 诫勉 6 months; 调整职务 / 责令辞职 / 免职 12 months; 降职 24 months: LOCAL DEFAULTS,
  UNVERIFIED (LEGAL_RULES.md, *Impact periods*), editable here and on a decision.
"""

from django.db import migrations
from django.db.models import F

PARTY = "《中国共产党纪律处分条例》（2023年修订）第十条"
ORG_LOCAL = "组织处理有关规定（本地默认值，未经核实，可由管理员修改）"
COUNTY = "县行政错案问责追责办法：影响期内不得晋升职务，不得评先评优（本地默认）"

# code, name, group, months, citation, editable, local default, promotion, title, commendation
METHODS = [
    ("party_warning", "党纪处分：警告", "党纪处分", 12, PARTY, True, False, True, True, True),
    ("party_serious_warning", "党纪处分：严重警告", "党纪处分", 18, PARTY, True, False, True, True, True),
    ("admonishment", "诫勉", "组织处理", 6, ORG_LOCAL, True, True, True, False, True),
    ("adjust_post", "调整职务", "组织处理", 12, ORG_LOCAL, True, True, True, False, True),
    ("ordered_resignation", "责令辞职", "组织处理", 12, ORG_LOCAL, True, True, True, False, True),
    ("dismissal_from_post", "免职", "组织处理", 12, ORG_LOCAL, True, True, True, False, True),
    ("post_demotion", "降职", "组织处理", 24, ORG_LOCAL, True, True, True, False, True),
]
ORDER = ["criticism_education", "written_examination", "circulated_criticism", "admonishment", "transfer",
         "suspension", "adjust_post", "ordered_resignation", "dismissal_from_post", "post_demotion",
         "sanction_warning", "sanction_demerit", "sanction_major_demerit", "sanction_demotion", "sanction_removal",
         "sanction_expulsion", "party_warning", "party_serious_warning", "party_discipline"]


def forward(apps, schema_editor):
    Method = apps.get_model("accountability", "Method")
    for code, name, group, months, cit, editable, local, p, t, c in METHODS:
        Method.objects.update_or_create(code=code, defaults=dict(
            name=name, group=group, impact_months=months, impact_citation=cit, custom_impact=False,
            impact_editable=editable, impact_is_local_default=local, restricts_promotion=p, restricts_title=t,
            restricts_commendation=c, restriction_basis=f"{cit}；{COUNTY}"))
    Method.objects.filter(code="party_discipline").update(name="党纪处分：其他（依规填写影响期）")
    for i, code in enumerate(ORDER, 1):
        Method.objects.filter(code=code).update(sort_order=i)
    for model in ("Litigation", "Reconsideration"):
        M = apps.get_model("accountability", model)
        qs = M.objects.exclude(outcome="pending").filter(outcome_on__isnull=False)
        extra = {"appeal_state": "effective"} if model == "Litigation" else {}
        qs.update(effective_outcome=F("outcome"), effective_on=F("outcome_on"), **extra)


def backward(apps, schema_editor):
    Method = apps.get_model("accountability", "Method")
    Method.objects.filter(code__in=["party_warning", "party_serious_warning", "adjust_post", "dismissal_from_post",
                                    "post_demotion"]).delete()
    Method.objects.filter(code__in=["admonishment", "ordered_resignation"]).update(
        impact_months=None, impact_citation="", impact_editable=False, impact_is_local_default=False,
        restricts_promotion=False, restricts_title=False, restricts_commendation=False, restriction_basis="")
    Method.objects.filter(code="party_discipline").update(name="党纪处分")


class Migration(migrations.Migration):
    dependencies = [("accountability", "0006_effective_outcomes")]
    operations = [migrations.RunPython(forward, backward)]
