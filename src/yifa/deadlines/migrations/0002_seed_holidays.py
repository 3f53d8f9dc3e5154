"""Seed the holiday table from the `chinese-calendar` package (2004–2026 as of 1.11).

This is the only place the package is used: at run time the table is the truth. The
seed is bounded to the years listed here so a newer package never changes what an
existing database contains; later years are entered by an administrator from the State
Council notice (`yifa holidays import`, or the holiday page).
"""

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2004, 2026

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar import constants

    HolidayDay = apps.get_model("deadlines", "HolidayDay")
    HolidayYear = apps.get_model("deadlines", "HolidayYear")
    source = f"chinese-calendar {chinese_calendar.__version__}"
    rows, years = [], set()
    for table, kind in ((constants.holidays, "holiday"), (constants.workdays, "makeup_workday")):
        for day, english in table.items():
            if FIRST_YEAR <= day.year <= LAST_YEAR:
                rows.append(HolidayDay(date=day, kind=kind, year=day.year, source=source,
                                       name=NAMES.get(english, english) + ("调休上班" if kind == "makeup_workday" else "")))
                years.add(day.year)
    existing = set(HolidayDay.objects.values_list("date", flat=True))
    HolidayDay.objects.bulk_create([r for r in rows if r.date not in existing], batch_size=500)
    have = set(HolidayYear.objects.values_list("year", flat=True))
    HolidayYear.objects.bulk_create([HolidayYear(year=y, complete=True, source=source)
                                     for y in sorted(years) if y not in have])


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "HolidayDay").objects.filter(source__startswith="chinese-calendar").delete()
    apps.get_model("deadlines", "HolidayYear").objects.filter(source__startswith="chinese-calendar").delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
