"""Restricted persons (an impact period barring commendation) are flagged in the person lists
of accountability and training (评优评先), in words, as of today."""

from datetime import date

import pytest

from tests.clock import frozen
from yifa.accountability.models import Decision, Method, Person
from yifa.enforcement.models import Officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(world):
    w = world
    officer = Officer.objects.create(org=w.dept_a, name="受处分执法员", certificate_no="FLAG-1",
                                     valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
    Officer.objects.create(org=w.dept_a, name="无处分执法员", certificate_no="FLAG-2", valid_from=date(2024, 1, 1),
                           valid_to=date(2030, 12, 31))
    person = Person.objects.create(org=w.dept_a, name="受处分执法员", officer=officer)
    Person.objects.create(org=w.dept_a, name="问责已满期人员")
    method = Method.objects.filter(restricts_commendation=True).first()
    Decision.objects.create(org=w.dept_a, person=person, method=method, authority="县监委", decided_on=date(2026, 3, 1),
                            doc_number="清监〔2026〕1号", impact_from=date(2026, 3, 1), impact_until=date(2026, 8, 31))
    # a second, shorter period does not hide the longer one
    Decision.objects.create(org=w.dept_a, person=person, method=method, authority="县监委", decided_on=date(2026, 3, 1),
                            doc_number="清监〔2026〕2号", impact_from=date(2026, 3, 1), impact_until=date(2026, 5, 31))
    return w


def _row(html, name):
    i = html.index(name)
    return html[i:html.index("</tr>", i)]


def test_accountability_person_list_flags_the_restricted(restricted, client_for):
    c = client_for(restricted.supervisor)
    with frozen(date(2026, 8, 31)):  # the last day of the period still bars commendation
        html = c.get("/accountability/persons/").content.decode()
        assert "影响期内不得评先评优（至 2026-08-31）" in _row(html, "受处分执法员")
        assert "可参加" in _row(html, "问责已满期人员")
    with frozen(date(2026, 9, 1)):
        assert "不得评先评优" not in c.get("/accountability/persons/").content.decode()


def test_training_officer_list_flags_the_restricted(restricted, client_for):
    c = client_for(restricted.supervisor)
    with frozen(date(2026, 6, 1)):
        html = c.get("/training/officers/").content.decode()
        assert "影响期内不得评先评优（至 2026-08-31）" in _row(html, "受处分执法员")
        assert "不得评先评优" not in _row(html, "无处分执法员")
