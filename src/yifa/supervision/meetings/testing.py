"""Test support for the scoping walk: a meeting, an action item and an adopted rule in each
sibling township (plain rows: no audit events or notifications)."""

from datetime import date


def add_scoping_objects(w):
    from .models import ActionItem, AdoptedRule, JointMeeting

    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        m = JointMeeting.objects.create(org=town, title=f"{tag}测试联席会议", held_on=date(2025, 4, 10), year=2025,
                                        quarter=2, topics=f"{tag}测试议题")
        m.participants.set([town])
        w[f"meeting_{key}"] = m
        # done already: no to-dos or sweep notifications that other apps' tests might count
        w[f"meeting_item_{key}"] = ActionItem.objects.create(meeting=m, org=town, title=f"{tag}测试议定事项",
                                                             due=date(2025, 6, 30), state="done",
                                                             done_on=date(2025, 6, 20), completion_note="已落实")
        w[f"adopted_rule_{key}"] = AdoptedRule.objects.create(org=town, title=f"{tag}测试制度",
                                                              adopted_on=date(2025, 7, 1), text=f"{tag}测试制度内容")
    w["b_markers"] = w.get("b_markers", set()) | {"北山测试联席会议", "北山测试议定事项", "北山测试制度"}
