"""The respondent unit's answer in litigation and reconsideration (issue 7 §1): rules the
accountability registry starts when the copy of the complaint or application is received."""

from django.db import migrations

RULES = [
    ("litigation.defence", "被告收到起诉状副本后提交作出行政行为的证据、依据并提出答辩状", 15, "CD", "max",
     "《行政诉讼法》第六十七条", 0, 0, False, False),
    ("reconsideration.answer", "被申请人收到行政复议申请书副本后提出书面答复并提交证据、依据", 10, "WD", "max",
     "《行政复议法》第四十八条、第八十八条（“十日”为工作日）", 0, 0, False, False),
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
    dependencies = [("deadlines", "0003_seed_rules")]
    operations = [migrations.RunPython(seed, unseed)]
