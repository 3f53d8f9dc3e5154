"""Test support: the generic scoping walk calls `add_scoping_objects(world)`: one
inspection, finding, clue (on enforcement's scoping case) and rule switch in each sibling township."""

from datetime import date


def add_scoping_objects(w):
    from .services import create_inspection, raise_finding

    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        insp = create_inspection(actor=None, org=town, kind="special", title=f"{tag}测试专项监督检查",
                                 period_start=date(2025, 5, 1), period_end=date(2025, 5, 31), targets=[town],
                                 team=f"{tag}检查组", joint_bodies=f"{tag}测试纪委")
        finding = raise_finding(actor=None, org=town, category="procedure", source="public",
                                description=f"{tag}测试监督问题描述", on=date(2025, 5, 20), inspection=insp)
        w[f"sup_inspection_{key}"] = insp
        w[f"sup_finding_{key}"] = finding
    from .models import Clue, RuleSwitch

    for key, town in (("a", w.town_a), ("b", w.town_b)):
        case = w.get(f"enf_case_{key}")
        if case is not None:
            w[f"sup_clue_{key}"] = Clue.objects.create(org=case.org, rule_code="officers.two_certified", case=case,
                                                       raised_on=date(2026, 10, 20))
        w[f"sup_switch_{key}"] = RuleSwitch.objects.create(org=town, rule_code="publicity.late", enabled=False)
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试专项监督检查", "北山测试监督问题描述", "北山测试纪委"}
