"""The client's address behind the configured number of trusted reverse proxies: one rule for
the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE) and the public forms' rate limits."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's address (login lockout, public-form rate limits).

    Behind N trusted reverse proxies (YIFA_PROXY_COUNT, stored as AXES_IPWARE_PROXY_COUNT) each proxy
    appends the address it received from to X-Forwarded-For, so the client is the N-th entry from the
    right; entries further left are whatever the client sent and are never trusted. With no proxy
    configured the header is ignored (it could be spoofed) and REMOTE_ADDR is used."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if count <= 0:
        return remote
    entries = [e.strip() for e in (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if e.strip()]
    if len(entries) < count:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-count]))
    except ValueError:
        return remote
