"""Test support for the scoping walk: one complaint in each sibling township (plain rows)."""

from datetime import date


def add_scoping_objects(w):
    from .models import Complaint

    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        w[f"complaint_{key}"] = Complaint.objects.create(
            org=town, subject_unit=town, query_code=f"TESTCODE000{key.upper()}", source="online",
            complainant_name=f"{tag}投诉人", complainant_phone="13800001234", category="conduct",
            content=f"{tag}测试投诉内容：执法人员态度恶劣", received_on=date(2025, 6, 3))
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试投诉内容", "北山投诉人", "TESTCODE000B"}
