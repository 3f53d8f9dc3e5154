"""Test support: the generic scoping walk calls `add_scoping_objects(world)`."""

from datetime import date


def add_scoping_objects(w):
    """A body, two officers, an item with a benchmark, a case with a record and an import
    batch in each sibling township; the B strings are markers for leaks."""
    from django.core.files.base import ContentFile

    from .models import (Case, DiscretionBenchmark, EnforcementBody, EnforcementItem, ImportBatch, Officer,
                         ProcessRecord)

    markers = set()
    for suffix, town, office, tag in (("a", w.town_a, w.town_a_office, "南湖测试"), ("b", w.town_b, w.town_b_office,
                                                                                      "北山测试")):
        body = EnforcementBody.objects.create(org=town, name=f"{tag}执法主体", kind="statutory", legal_basis="法")
        o1 = Officer.objects.create(org=town, name=f"{tag}执法员", certificate_no=f"SCOPE-{suffix}-1",
                                    valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
        o2 = Officer.objects.create(org=town, name=f"{tag}执法员乙", certificate_no=f"SCOPE-{suffix}-2",
                                    valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
        item = EnforcementItem.objects.create(org=town, code=f"SCOPE-{suffix}", name=f"{tag}执法事项",
                                              category="penalty", legal_basis="《测试条例》第一条")
        DiscretionBenchmark.objects.create(item=item, level="general", min_amount=100, max_amount=1000)
        case = Case.objects.create(org=town, case_no=f"{tag}案号", title=f"{tag}案由", item=item, body=body,
                                   party_name=f"{tag}当事人", filed_on=date(2026, 10, 9),
                                   source_case_no=f"SCOPE-{suffix}")
        case.officers.set([o1, o2])
        rec = ProcessRecord(case=case, org=town, step="filed", kind="document", original_name=f"{tag}记录.pdf",
                            content_type="application/pdf", size=9, sm3="0" * 64)
        rec.file.save(f"scope-{suffix}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        from .services import hash_file

        with rec.file.open("rb") as f:
            rec.sm3 = hash_file(f)
        rec.save()
        ImportBatch.objects.create(org=town, kind="cases", source_system=f"{tag}来源", filename=f"{tag}导入.xlsx")
        w[f"enf_case_{suffix}"] = case
        if suffix == "b":
            markers |= {body.name, o1.name, o2.name, item.name, case.party_name, case.title, rec.original_name,
                        f"{tag}来源", f"{tag}导入.xlsx"}
    w["b_markers"] = w.get("b_markers", set()) | markers
