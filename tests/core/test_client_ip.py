"""The login lockout counts failures per client address behind YIFA_PROXY_COUNT proxies, by the
same rule as the public forms' rate limits (and ignores X-Forwarded-For without a proxy)."""

from axes.helpers import get_client_ip_address
from django.test import RequestFactory


def test_axes_uses_the_proxy_aware_client_ip(settings):
    rf = RequestFactory()
    req = rf.get("/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    settings.AXES_IPWARE_PROXY_COUNT = None
    assert get_client_ip_address(req) == "10.0.0.1"
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert get_client_ip_address(req) == "203.0.113.9"
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert get_client_ip_address(req) == "198.51.100.7"
