"""Notifications reach a person in words: the level by its name, never a code."""

import pytest

from yifa.core.models import Notification
from yifa.core.services import notify

pytestmark = pytest.mark.django_db


def test_an_unknown_level_is_refused_and_known_levels_read_in_chinese(world, client_for):
    with pytest.raises(ValueError):
        notify(recipients=[world.officer_a], title="整改提醒", level="warning", dedupe_key="t:1")
    notify(recipients=[world.officer_a], title="整改提醒", level="info", dedupe_key="t:2")
    assert Notification.objects.get(dedupe_key="t:2").get_level_display() == "提示"
    html = client_for(world.officer_a).get("/notifications/").content.decode()
    assert "整改提醒" in html and "提示" in html and "info" not in html
