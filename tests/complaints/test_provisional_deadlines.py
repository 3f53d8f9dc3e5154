"""Routing a complaint in December starts its reply period provisionally (暂定) when it
reaches a year whose holiday notice is not entered — never refused. Clock frozen relative
to the seeded calendar, not the real date."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clock import frozen, last_complete_year
from yifa.supervision.complaints import services

pytestmark = pytest.mark.django_db


def test_route_in_december_starts_a_provisional_reply_period(world, client_for):
    last = last_complete_year()
    day = date(last, 12, 20)
    with frozen(day):
        c = services.submit_public(subject_unit=world.dept_a, category="conduct", complainant_name="李四",
                                   complainant_phone="13900001111", content="执法人员态度恶劣，辱骂当事人。")
        c = services.route(actor=world.supervisor, complaint=c, unit=world.dept_a, note="请核查")
        assert c.due_provisional and c.due.year == last + 1
        page = client_for(world.supervisor).get(reverse("complaints:detail", args=[c.pk])).content.decode()
        assert "暂定" in page
