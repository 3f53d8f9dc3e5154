"""Test support for the scoping walk: one request in each sibling township (plain rows)."""

from datetime import date


def add_scoping_objects(w):
    from .models import InfoRequest

    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        w[f"inforequest_{key}"] = InfoRequest.objects.create(
            org=town, year=2025, seq=1, requester_name=f"{tag}信息申请人", requester_kind="citizen",
            requester_phone="13800005678", content=f"{tag}测试公开申请：本镇2024年财政预算执行情况", channel="in_person",
            received_on=date(2025, 6, 3))
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试公开申请", "北山信息申请人"}
