"""The officer page shows the accountability restriction (issue 7 §5) to those who may see
the person's record, and nothing to others."""

from datetime import date

import pytest
from django.utils import timezone

from yifa.accountability.models import Method
from yifa.accountability.services import impact_until_for, person_for, record_decision
from yifa.enforcement.models import Officer


@pytest.mark.django_db
def test_officer_page_shows_the_restriction(world, client_for):
    officer = Officer.objects.create(org=world.dept_a, name="问责测试执法员", certificate_no="ACC-OFF-1",
                                     valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
    url = f"/enforcement/officers/{officer.pk}/"
    sup = client_for(world.supervisor)
    assert "影响期内" not in sup.get(url).content.decode()

    today = timezone.localdate()
    person = person_for(officer=officer)
    method = Method.objects.get(code="sanction_demerit")  # 记过: 12 months
    record_decision(actor=world.supervisor, person=person, method=method, authority="县纪委监委", decided_on=today,
                    doc_number="清纪处〔2026〕1号", impact_from=today, impact_until=impact_until_for(method, today))
    html = sup.get(url).content.decode()
    assert "影响期内" in html and "不得晋升" in html
    # a unit outside the officer's department does not see the officer at all; the officer's
    # own department's legal officer sees the page but not another person's accountability record
    assert client_for(world.town_a_legal).get(url).status_code == 404
    assert "影响期内" not in client_for(world.dept_a_legal).get(url).content.decode()


@pytest.mark.django_db
def test_officer_hours_come_from_training_attendance(world, client_for):
    from decimal import Decimal

    from yifa.training.models import Attendance, Training

    officer = Officer.objects.create(org=world.dept_a, name="学时测试执法员", certificate_no="HRS-OFF-1",
                                     valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
    today = timezone.localdate()
    t = Training.objects.create(org=world.dept_a, title="执法业务培训", kind="business", held_on=today, hours=Decimal("6"))
    Attendance.objects.create(training=t, officer=officer, org=world.dept_a, hours_credited=Decimal("6"), held_on=today)
    c = client_for(world.supervisor)
    assert "本年度培训学时：6" in c.get(f"/enforcement/officers/{officer.pk}/").content.decode()
    rows = c.get("/api/v1/enforcement/officers/?search=学时测试").json()
    row = next(r for r in rows["results"] if r["id"] == officer.pk)
    assert row["hours_this_year"] == 6.0
    assert "学时测试执法员" in c.get("/enforcement/officers/").content.decode()
