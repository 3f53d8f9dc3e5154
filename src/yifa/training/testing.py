"""Test support: the generic scoping walk calls `add_scoping_objects(world)`: a session
with an attendance row and a yearly requirement in each sibling township (plain rows: no
audit events or notifications)."""

from datetime import date
from decimal import Decimal


def add_scoping_objects(w):
    from yifa.enforcement.models import Officer

    from .models import Attendance, HoursRequirement, Training

    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        t = Training.objects.create(org=town, title=f"{tag}测试法律知识培训", kind="law", held_on=date(2026, 3, 10),
                                    hours=Decimal("4"), location=f"{tag}测试培训会场", trainer=f"{tag}测试授课人")
        t.targets.set([town])
        officer = Officer.objects.filter(org=town).order_by("id").first()
        if officer is None:
            officer = Officer.objects.create(org=town, name=f"{tag}测试参训执法员", certificate_no=f"TRN-{key}-1",
                                             valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
        a = Attendance.objects.create(training=t, officer=officer, org=town, status="attended",
                                      hours_credited=Decimal("4"), held_on=t.held_on, note=f"{tag}测试出勤备注")
        req = HoursRequirement.objects.create(org=town, year=2026, hours=Decimal("48"))
        w[f"trn_training_{key}"], w[f"trn_attendance_{key}"], w[f"trn_requirement_{key}"] = t, a, req
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试法律知识培训", "北山测试培训会场", "北山测试授课人",
                                                  "北山测试出勤备注"}
