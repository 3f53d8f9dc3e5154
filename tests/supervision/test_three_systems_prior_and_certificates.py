"""三项制度 in full: 事前公开 (a unit's items, bases and procedures published, one record per
unit with its date) and 事中 showing of certificates (recorded on the case's on-site step),
checked per unit and period."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.clock import frozen
from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError
from yifa.enforcement import services
from yifa.enforcement.models import Case, EnforcementItem
from yifa.supervision.checks import failing_cases, three_systems

pytestmark = pytest.mark.django_db
START, END = date(2026, 1, 1), date(2026, 9, 30)


@pytest.fixture
def units(world):
    w = world
    for org, code in ((w.dept_a, "PD-A"), (w.dept_b, "PD-B")):
        item = EnforcementItem.objects.create(org=org, code=code, name="事前公开测试事项", category="penalty",
                                              legal_basis="《测试条例》")
        w[f"item_{code}"] = item
    return w


def _cell(data, org, code):
    row = next(r for r in data["rows"] if r["org"] == org.pk)
    return row[code]["total"], row[code]["ok"]


def test_prior_disclosure_per_unit_and_period(units):
    w = units
    with frozen(date(2026, 10, 9)):
        services.record_prior_disclosure(actor=w.dept_a_legal, org=w.dept_a, published_on=date(2026, 2, 3),
                                         items=True, bases=True, procedures=True, url="http://gov.example/qd")
        # dept_b published its items only, and only after the period
        services.record_prior_disclosure(actor=w.dept_b_legal, org=w.dept_b, published_on=date(2026, 10, 8),
                                         items=True, bases=False, procedures=False)
        with pytest.raises(DomainError, match="晚于今天"):
            services.record_prior_disclosure(actor=w.dept_a_legal, org=w.dept_a, published_on=date(2026, 10, 10),
                                             items=True, bases=True, procedures=True)
        with pytest.raises(PermissionDenied):
            services.record_prior_disclosure(actor=w.dept_a_legal, org=w.dept_b, published_on=date(2026, 10, 8),
                                             items=True, bases=True, procedures=True)
        data = three_systems(w.supervisor, START, END, today=date(2026, 10, 9))
        assert _cell(data, w.dept_a, "disclosure") == (1, 1)
        assert _cell(data, w.dept_b, "disclosure") == (1, 0)
        # a unit publishing all three within the next period passes then, not before
        services.record_prior_disclosure(actor=w.dept_b_legal, org=w.dept_b, published_on=date(2026, 10, 8),
                                         items=True, bases=True, procedures=True)
        assert _cell(three_systems(w.supervisor, START, END), w.dept_b, "disclosure") == (1, 0)
        assert _cell(three_systems(w.supervisor, START, date(2026, 10, 31)), w.dept_b, "disclosure") == (1, 1)
        assert not failing_cases(w.supervisor, "disclosure", START, END).exists()
        # the township sees only its own (the scoping items in town_a), never the departments
        assert w.dept_a.pk not in {r["org"] for r in three_systems(w.town_a_legal, START, END)["rows"]}


def test_certificates_shown_on_the_on_site_step(units):
    w = units
    item = w["item_PD-A"]

    def case(no, state="investigating", case_type="penalty", filed_on=date(2026, 4, 30)):
        return Case.objects.create(org=w.dept_a, case_no=no, title="案由", item=item, party_name="某公司",
                                   filed_on=filed_on, source_case_no=no, state=state, case_type=case_type)

    shown, missing, not_yet = case("CERT-1"), case("CERT-2"), case("CERT-3", state="filed")
    case("CERT-4", case_type="permit", state="accepted")  # no on-site step: not judged
    with frozen(date(2026, 5, 6)):
        # filed on the eve of the May Day break, shown on the first working day after it
        with pytest.raises(DomainError, match="不能早于立案"):
            services.record_certificate_shown(actor=w.officer_a, case=shown, on=date(2026, 4, 29))
        with pytest.raises(DomainError, match="不能晚于今天"):
            services.record_certificate_shown(actor=w.officer_a, case=shown, on=date(2026, 5, 7))
        got = services.record_certificate_shown(actor=w.officer_a, case=shown, on=date(2026, 5, 6))
        assert (got.certificate_shown, got.certificate_shown_on) == (True, date(2026, 5, 6))
        with pytest.raises(PermissionDenied):
            services.record_certificate_shown(actor=w.dept_b_legal, case=missing)
    assert AuditEvent.objects.filter(action="case.certificate_shown", object_id=str(shown.pk)).exists()
    data = three_systems(w.supervisor, START, END)
    assert _cell(data, w.dept_a, "certificates") == (2, 1)
    assert list(failing_cases(w.supervisor, "certificates", START, END)) == [missing]
    assert not_yet not in failing_cases(w.supervisor, "certificates", START, END)


def test_page_shows_the_new_checks(units, client_for):
    html = client_for(units.supervisor).get("/supervision/three-systems/?start=2026-01-01&end=2026-09-30").content.decode()
    assert "事前公开（执法事项、依据、程序）" in html and "事中出示执法证件率" in html
    assert client_for(units.supervisor).get(
        "/supervision/three-systems/certificates/?start=2026-01-01&end=2026-09-30").status_code == 200
