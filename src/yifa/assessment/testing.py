"""Test support for the generic scoping walk: in each sibling township a (township-organised)
period, a result, a manual score and an interview, as plain rows."""

from datetime import date
from decimal import Decimal

from django.utils import timezone


def add_scoping_objects(w):
    from .models import AssessmentPeriod, Category, Indicator, Interview, ManualScore, UnitResult

    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        p = AssessmentPeriod.objects.create(org=town, name=f"{tag}测试考核期间", start=date(2025, 1, 1),
                                            end=date(2025, 12, 31))
        cat = Category.objects.create(period=p, name=f"{tag}测试一级指标", weight=Decimal(100))
        ind = Indicator.objects.create(category=cat, name=f"{tag}测试二级指标", weight=Decimal(100), kind="manual",
                                       formula="manual")
        result = UnitResult.objects.create(period=p, org=town, total=Decimal("88.50"), complete=True, rank=1,
                                           computed_at=timezone.now())
        ms = ManualScore.objects.create(period=p, indicator=ind, org=town, score=Decimal("88.50"),
                                        evidence=f"{tag}测试评分依据", scored_on=date(2025, 12, 20))
        iv = Interview.objects.create(period=p, org=town, held_on=date(2026, 1, 15), interviewers=f"{tag}测试约谈人",
                                      unit_head=f"{tag}测试负责人", summary=f"{tag}测试约谈情况")
        w[f"asm_period_{key}"], w[f"asm_result_{key}"], w[f"asm_manual_{key}"], w[f"asm_interview_{key}"] = (
            p, result, ms, iv)
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试考核期间", "北山测试评分依据", "北山测试约谈人",
                                                  "北山测试约谈情况", "北山测试二级指标"}
