"""The reply deadline for complaints. LEGAL_RULES.md lists no time limit for answering a
complaint about administrative enforcement, so this is a LOCAL DEFAULT, not law: 60
calendar days, marked `is_local_default` and shown as such; an administrator sets a
unit's own provision through the deadline rules' override mechanism (期限规则特别规定)."""

from django.db import migrations

CODE = "complaint.reply"


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.get_or_create(code=CODE, defaults=dict(
        name="投诉举报转办后答复投诉人", n=60, unit="CD", direction="max",
        basis="本地默认值，未经核实（法定期限规则表未列投诉举报办理时限；各单位可由管理员设定特别规定）",
        extension_n=0, extensions_allowed=0, suspensions_apply=False, is_local_default=True,
        note="LEGAL_RULES.md 未列投诉举报答复期限。此为系统本地默认值，请按本地规定通过“特别规定”调整。"))


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRule").objects.filter(code=CODE, tracked__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("deadlines", "0003_seed_rules")]
    operations = [migrations.RunPython(seed, unseed)]
