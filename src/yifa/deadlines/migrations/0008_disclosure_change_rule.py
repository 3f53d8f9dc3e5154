"""事前公开 kept current (issue 16 §3): a change of a unit's enforcement items, bases or
procedures must be published within 20 working days of the change.

LEGAL_RULES.md gives no period; 国办发〔2018〕118号 asks only for 及时公开/动态调整. The
period is fixed by 《政府信息公开条例》 (2019) art. 26 — 主动公开的政府信息“应当自该政府
信息形成或者变更之日起20个工作日内及时公开” — and art. 20 (5)(6) puts the bases,
conditions and procedures of permits, penalties and coercion among the information to be
published on the agency's own initiative. So this is law, not a local default."""

from django.db import migrations

RULE = dict(code="enforcement.disclosure_change", name="执法事项、依据、程序变更后更新事前公开", n=20, unit="WD",
            direction="max",
            basis="《政府信息公开条例》第二十六条（自变更之日起20个工作日内）、第二十条；国办发〔2018〕118号（及时公开、动态调整）",
            extension_n=0, extensions_allowed=0, suspensions_apply=False, is_local_default=False)


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    if not DeadlineRule.objects.filter(code=RULE["code"]).exists():
        DeadlineRule.objects.create(**RULE)


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRule").objects.filter(code=RULE["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0007_active_deadline_indexes")]

    operations = [migrations.RunPython(seed, unseed)]
