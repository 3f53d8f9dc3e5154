"""The public complaint rate limit counts per complainant behind a reverse proxy
(YIFA_PROXY_COUNT → AXES_IPWARE_PROXY_COUNT), and ignores X-Forwarded-For without one."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from yifa.supervision.complaints.models import Complaint
from yifa.core.net import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
API = "/api/v1/supervision/complaints/public/submit/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _payload(world):
    return {"subject_unit": world.dept_a.pk, "category": "conduct", "complainant_name": "李四",
            "complainant_phone": "13900001111", "content": "执法人员态度恶劣，辱骂当事人。"}


def _post(world, xff):
    return Client().post(reverse("complaints:public_new"), _payload(world), REMOTE_ADDR=PROXY,
                         HTTP_X_FORWARDED_FOR=xff)


def _api(world, xff):
    return Client(enforce_csrf_checks=True).post(API, _payload(world), content_type="application/json",
                                                  REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)


def test_behind_one_proxy_each_client_has_its_own_limit(world, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.YIFA_COMPLAINT_RATE_PER_HOUR = 1
    assert _post(world, "198.51.100.7").status_code == 302
    assert _post(world, "198.51.100.7").status_code == 429
    # another complainant behind the same proxy is not affected
    assert _post(world, "198.51.100.8").status_code == 302
    # a client-supplied entry left of the proxy's own one does not give a fresh allowance
    assert _post(world, "1.2.3.4, 198.51.100.7").status_code == 429
    assert Complaint.objects.filter(complainant_phone="13900001111").count() == 2


def test_api_uses_the_same_rule(world, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.YIFA_COMPLAINT_RATE_PER_HOUR = 1
    assert _api(world, "198.51.100.7").status_code == 201
    assert _api(world, "198.51.100.7").status_code == 429
    assert _api(world, "198.51.100.8").status_code == 201


def test_without_a_proxy_the_header_is_ignored_spoofing_does_not_bypass(world, settings):
    settings.AXES_IPWARE_PROXY_COUNT = None  # YIFA_PROXY_COUNT=0
    settings.YIFA_COMPLAINT_RATE_PER_HOUR = 1
    assert _post(world, "198.51.100.7").status_code == 302
    assert _post(world, "198.51.100.8").status_code == 429
    assert _api(world, "198.51.100.9").status_code == 429
    assert Complaint.objects.filter(complainant_phone="13900001111").count() == 1


@pytest.mark.parametrize("count, xff, expected", [
    (None, "198.51.100.7", PROXY),
    (0, "198.51.100.7", PROXY),
    (1, "198.51.100.7", "198.51.100.7"),
    (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
    (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
    (2, "198.51.100.7", PROXY),  # fewer entries than proxies: not from behind them
    (1, "", PROXY),
    (1, "not-an-ip", PROXY),
    (1, " 2001:db8::1 ", "2001:db8::1"),
])
def test_client_ip_rule(settings, count, xff, expected):
    settings.AXES_IPWARE_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected
