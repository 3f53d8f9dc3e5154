from datetime import date

import pytest

from yifa.supervision.meetings.models import ActionItem, AdoptedRule

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision/meetings/"


def test_meeting_items_and_done_through_api(world, client_for):
    sup = client_for(world.supervisor)
    r = sup.post(BASE + "meetings/", {"org": world.supervision_office.pk, "title": "第二季度联席会议",
                                      "held_on": "2026-06-20", "topics": "通报问题", "participants": [world.dept_a.pk]},
                 content_type="application/json")
    assert r.status_code == 201 and r.json()["quarter"] == 2
    mid = r.json()["id"]
    r = sup.post(f"{BASE}meetings/{mid}/items/", {"org": world.dept_a.pk, "title": "整改公示问题", "due": "2026-07-31",
                                                  "owner": world.dept_a_legal.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["state"] == "open"
    iid = r.json()["id"]
    bad = sup.post(f"{BASE}meetings/{mid}/items/", {"org": world.dept_a.pk, "title": "x", "due": "2026-01-01"},
                   content_type="application/json")
    assert bad.status_code == 400 and "due" in bad.json()["fields"]
    overdue = sup.get(BASE + "action-items/?overdue=true").json()["results"]
    assert iid in [i["id"] for i in overdue] and all(i["overdue"] for i in overdue)
    unit = client_for(world.dept_a_legal)
    r = unit.post(f"{BASE}action-items/{iid}/done/", {"note": "已整改", "on": "2026-07-20"},
                  content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "done" and r.json()["overdue"] is False
    r = unit.post(f"{BASE}action-items/{iid}/done/", {"note": "again"}, content_type="application/json")
    assert r.status_code == 409


def test_adopted_rule_api_with_generic_source(world, client_for):
    from yifa.supervision.services import raise_finding

    f = raise_finding(actor=world.supervisor, org=world.dept_a, category="publicity", description="公示不及时",
                      on=date(2026, 3, 2))
    api = client_for(world.dept_a_legal)
    r = api.post(BASE + "adopted-rules/", {"org": world.dept_a.pk, "title": "公示审核制度", "adopted_on": "2026-04-01",
                                           "text": "第一条", "finding": f.pk, "source_model": "supervision.finding",
                                           "source_id": f.pk}, content_type="application/json")
    assert r.status_code == 201, r.json()
    assert r.json()["finding"] == f.pk and r.json()["source_model"] == "supervision.finding"
    bad = api.post(BASE + "adopted-rules/", {"org": world.dept_a.pk, "title": "x", "adopted_on": "2026-04-01",
                                             "text": "x", "source_model": "nope.nothing", "source_id": 1},
                   content_type="application/json")
    assert bad.status_code == 400
    rows = api.get(BASE + "adopted-rules/?linked=finding").json()["results"]
    assert [x["title"] for x in rows] == ["公示审核制度"]


def test_api_scope(world, client_for):
    a = client_for(world.town_a_legal)
    item_b, rule_b, meeting_b = world.meeting_item_b, world.adopted_rule_b, world.meeting_b
    assert a.get(f"{BASE}action-items/{item_b.pk}/").status_code == 404
    assert a.post(f"{BASE}action-items/{item_b.pk}/done/", {"note": "x"},
                  content_type="application/json").status_code == 404
    assert a.get(f"{BASE}adopted-rules/{rule_b.pk}/").status_code == 404
    assert a.post(f"{BASE}meetings/{meeting_b.pk}/items/", {"org": world.town_a.pk, "title": "x", "due": "2026-07-01"},
                  content_type="application/json").status_code == 404
    r = a.post(BASE + "adopted-rules/", {"org": world.town_b.pk, "title": "x", "adopted_on": "2026-04-01", "text": "x"},
               content_type="application/json")
    assert r.status_code == 400 and "org" in r.json()["fields"]
    ActionItem.objects.get(pk=item_b.pk)  # untouched
    assert not AdoptedRule.objects.filter(title="x").exists()
