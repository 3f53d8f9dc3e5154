"""`coercion.notice_wait`: the ten working days after a 催告书 are the party's time to perform;
the unit may apply to court only once they have passed ("催告书送达十日后", 行政强制法 art. 54),
i.e. from the day after the computed date. The rule's name said the computed date was the
earliest day to apply; it is the last day of the wait."""

from django.db import migrations

CODE = "coercion.notice_wait"
OLD = "催告书送达后申请人民法院强制执行前的等待期（最早申请日）"
NEW = "催告书送达后当事人履行义务的期间（期满次日起方可申请人民法院强制执行）"


def rename(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRule").objects.filter(code=CODE, name=OLD).update(name=NEW)


def unrename(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRule").objects.filter(code=CODE, name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0008_disclosure_change_rule")]

    operations = [migrations.RunPython(rename, unrename)]
