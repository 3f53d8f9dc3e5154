"""The error report of an import that keeps no batch record (the enforcement import has
its `ImportBatch`; a small import such as a session's attendance does not).

The page shows the first `xlsx.ERRORS_SHOWN` errors; all of them are kept in the shared
cache (every web process reads the same one: database or Redis) for `REPORT_SECONDS`,
under a random key that only the person who imported may download, as an .xlsx of row,
column and message (`xlsx.import_errors_response`)."""

import secrets

from django.core.cache import cache
from django.shortcuts import render

from .xlsx import ERRORS_SHOWN, import_errors_response

REPORT_SECONDS = 24 * 3600
_KEY = "import-errors:{}"


def keep_report(*, user, title: str, errors: list[dict]) -> str:
    """Keep an import's errors for `user`; returns the key its download address carries."""
    token = secrets.token_urlsafe(16)
    cache.set(_KEY.format(token), {"user": user.pk, "title": title, "errors": list(errors)}, REPORT_SECONDS)
    return token


def report_response(request, *, token: str, back_url: str):
    """The .xlsx of the kept errors; when expired, unknown or someone else's, a page that
    says so in words (the record it belongs to is visible: not a 404)."""
    kept = cache.get(_KEY.format(token)) if token and len(token) <= 64 else None
    if not kept or kept.get("user") != request.user.pk:
        return render(request, "core/import_report_missing.html",
                      {"title": "错误报告", "back_url": back_url, "hours": REPORT_SECONDS // 3600})
    return import_errors_response(kept["title"], kept["errors"])


def shown(errors: list[dict]) -> dict:
    """What an import page shows of `errors`: the first ones and the total."""
    return {"errors": errors[:ERRORS_SHOWN], "total": len(errors), "more": len(errors) > ERRORS_SHOWN,
            "limit": ERRORS_SHOWN}
