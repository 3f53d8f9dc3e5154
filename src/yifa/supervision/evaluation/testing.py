"""Test support: the generic scoping walk calls `add_scoping_objects(world)`: one campaign
(organised by the township's legal office, targeting the township) with one sampled file,
a deduction and a suggestion in each sibling township. Plain rows: no audit events,
documents or notifications, so other apps' counts are not disturbed."""

from datetime import date
from decimal import Decimal


def add_scoping_objects(w):
    from .models import Campaign, CampaignTarget, Deduction, EvaluationFile, ScoringSheet, Suggestion

    sheet = ScoringSheet.objects.filter(is_active=True).order_by("-is_local_default").first()
    if sheet is None:
        return
    item = sheet.items.filter(is_veto=False).order_by("sort_order").first()
    for key, town, office, tag in (("a", w.town_a, w.town_a_office, "南湖"), ("b", w.town_b, w.town_b_office, "北山")):
        c = Campaign.objects.create(org=office, title=f"{tag}测试评查活动", period_start=date(2026, 1, 1),
                                    period_end=date(2026, 10, 31), sheet=sheet, state="scoring", seed=7,
                                    sampled_on=date(2026, 11, 1))
        CampaignTarget.objects.create(campaign=c, org=town, quota_kind="count", quota_value=1, available=1,
                                      sampled=1)
        w[f"eval_campaign_{key}"] = c
        case = w.get(f"enf_case_{key}")
        if case is None:
            continue
        f = EvaluationFile.objects.create(campaign=c, org=town, case=case, seq=1, note=f"{tag}测试评查意见",
                                          score=Decimal("97"), deducted=Decimal("3"), problem_count=1)
        if item is not None:
            Deduction.objects.create(file=f, item=item, category=item.category, item_text=item.text,
                                     points=Decimal("3"), note=f"{tag}测试评查问题")
            Suggestion.objects.create(file=f, item=item, check_code="late_steps", detail=f"{tag}测试客观项")
        w[f"eval_file_{key}"] = f
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试评查活动", "北山测试评查意见", "北山测试评查问题",
                                                  "北山测试客观项"}
