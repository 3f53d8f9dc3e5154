"""Configurable limits of the public complaint form: a Django setting wins, then an
environment variable, then the default."""

import os

from django.conf import settings

DEFAULTS = {
    "YIFA_COMPLAINT_RATE_PER_HOUR": 5,  # accepted public submissions per IP per hour
    "YIFA_COMPLAINT_QUERY_RATE_PER_HOUR": 30,  # failed query-code look-ups per IP per hour
    "YIFA_COMPLAINT_MAX_UPLOAD_MB": 10,
    "YIFA_COMPLAINT_MAX_CONTENT_CHARS": 5000,
}


def value(name: str) -> int:
    if hasattr(settings, name):
        return int(getattr(settings, name))
    raw = os.environ.get(name, "").strip()
    if raw:
        try:
            return int(raw)
        except ValueError:
            pass
    return DEFAULTS[name]


def max_upload_bytes() -> int:
    return value("YIFA_COMPLAINT_MAX_UPLOAD_MB") * 1024 * 1024


# what a complainant may attach (checked by core.uploads)
ATTACHMENT_KINDS = ("jpeg", "png", "pdf")
