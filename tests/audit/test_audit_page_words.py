"""The audit log page (/audit/) says each action in words and finds it by its Chinese name."""

import pytest
from django.db import transaction

from yifa.audit.services import record
from yifa.enforcement.models import Case

pytestmark = pytest.mark.django_db


def test_actions_are_said_and_searched_in_chinese(world, client_for):
    case = Case.objects.in_subtree(world.town_a).first()
    with transaction.atomic():
        record(world.officer_a, "case.publish", case, after={"publicity_state": "published"})
    c = client_for(world.admin)
    html = c.get("/audit/").content.decode()
    assert "公示执法决定" in html and "case.publish" not in html and "user.create" not in html
    found = c.get("/audit/", {"q": "公示执法"}).content.decode()
    assert "公示执法决定" in found and "新建账号" not in found
