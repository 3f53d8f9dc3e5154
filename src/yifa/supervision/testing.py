"""Test support: the generic scoping walk calls `add_scoping_objects(world)`: one
inspection, finding, clue (on enforcement's scoping case) and rule switch in each sibling township."""

from datetime import date


def add_scoping_objects(w):
    # plain rows (no tracked deadlines, audit events or notifications) so that other apps'
    # tests counting those in the sibling townships are not disturbed
    from .models import Finding, Inspection

    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        insp = Inspection.objects.create(org=town, kind="special", title=f"{tag}测试专项监督检查",
                                         period_start=date(2025, 5, 1), period_end=date(2025, 5, 31),
                                         team=f"{tag}检查组", joint_bodies=f"{tag}测试纪委")
        insp.targets.set([town])
        finding = Finding.objects.create(org=town, category="procedure", source="public",
                                         description=f"{tag}测试监督问题描述", raised_on=date(2025, 5, 20),
                                         inspection=insp, due=date(2025, 6, 19))
        w[f"sup_inspection_{key}"] = insp
        w[f"sup_finding_{key}"] = finding
    from .models import Clue, RuleSwitch

    for key, town in (("a", w.town_a), ("b", w.town_b)):
        case = w.get(f"enf_case_{key}")
        if case is not None:
            w[f"sup_clue_{key}"] = Clue.objects.create(org=case.org, rule_code="officers.two_certified", case=case,
                                                       raised_on=date(2026, 10, 20))
        from .models import OpinionLetter

        letter = OpinionLetter.objects.create(org=town, issuer=w.supervision_office, title=f"{town.name}测试监督意见书",
                                              requirements="测试整改要求", issued_on=date(2025, 6, 1))
        letter.findings.set([w[f"sup_finding_{key}"]])
        w[f"sup_letter_{key}"] = letter
        from django.core.files.base import ContentFile

        from .models import RectificationFile, RectificationReport

        report = RectificationReport.objects.create(letter=letter, round=1, content=f"{town.name}测试整改情况",
                                                    evidence="", submitted_on=date(2025, 6, 20))
        rf = RectificationFile(report=report, org=town, original_name=f"{town.name}测试整改佐证.pdf",
                               content_type="application/pdf", size=9, sm3="0" * 64)
        rf.file.save(f"scoping-{key}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        rf.save()
        w[f"sup_rectification_file_{key}"] = rf
        w[f"sup_switch_{key}"] = RuleSwitch.objects.create(org=town, rule_code="publicity.late", enabled=False)
    from .models import Notice, SupervisionDecision

    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        w[f"sup_decision_{key}"] = SupervisionDecision.objects.create(
            org=town, issuer=w.supervision_office, letter=w[f"sup_letter_{key}"], kind="correct",
            reasons=f"{tag}测试监督决定理由", requirements="测试决定事项", issued_on=date(2025, 8, 1))
        notice = Notice.objects.create(org=town, title=f"{tag}测试通报标题", body=f"{tag}测试通报正文")
        notice.findings.set([w[f"sup_finding_{key}"]])
        w[f"sup_notice_{key}"] = notice
    from .models import Urging

    for key, tag in (("a", "南湖"), ("b", "北山")):
        case = w.get(f"enf_case_{key}")
        if case is not None:
            w[f"sup_urging_{key}"] = Urging.objects.create(
                org=case.org, case=case, issuer_org=w.supervision_office, issued_by=w.supervisor,
                issued_on=date(2026, 11, 2), instruction=f"{tag}测试督办要求", due=date(2026, 11, 9))
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试督办要求"}
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试专项监督检查", "北山测试监督问题描述", "北山测试纪委", "北山镇测试监督意见书", "北山镇测试整改佐证.pdf",
                                                  "北山测试监督决定理由", "北山测试通报标题"}
