"""Per-tier review time limits as deadline rules (local defaults, configurable by an
administrator through rule overrides per unit)."""

from django.db import migrations

BASIS = "本地默认（可配置）：三审联动工作机制，每一审级办理时限"
RULES = [
    ("review.first_review", "合法性审查初审（坐班律师）", 5),
    ("review.second_review", "合法性审查复审（专家律师）", 5),
    ("review.final_review", "合法性审查终审（法律顾问室）", 5),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    have = set(DeadlineRule.objects.values_list("code", flat=True))
    DeadlineRule.objects.bulk_create([
        DeadlineRule(code=code, name=name, n=n, unit="WD", direction="max", basis=BASIS, is_local_default=True,
                     note="在“期限规则”中按单位设置特别规定即可调整")
        for code, name, n in RULES if code not in have
    ])


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("deadlines", "0003_seed_rules")]
    operations = [migrations.RunPython(seed, unseed)]
