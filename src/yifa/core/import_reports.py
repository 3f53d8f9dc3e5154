"""The error report of an import that keeps no batch record (the enforcement import has
its `ImportBatch`; a small import such as a session's attendance does not).

The page shows the first `xlsx.ERRORS_SHOWN` errors; all of them are kept in the shared
cache (every web process reads the same one: database or Redis) for `REPORT_SECONDS`,
under a random key that only the person who imported may download, as an .xlsx of row,
column and message (`xlsx.import_errors_response`)."""

import secrets

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse

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


def row_error(row: int, field: str, message: str) -> dict:
    """One refused cell of an import: the row as numbered in the file (0: the whole file),
    the column's header and what is wrong, in words."""
    return {"row": row, "field": field, "message": message}


def errors_text(errors: list[dict], limit: int = ERRORS_SHOWN) -> str:
    """The first errors as one sentence (第 N 行 列：说明；…), and how many more."""
    parts = [(f"第 {e['row']} 行" + (f" {e['field']}" if e.get("field") else "") + "：" if e.get("row") else "")
             + e["message"] for e in errors[:limit]]
    more = f"；另有 {len(errors) - limit} 处错误" if len(errors) > limit else ""
    return "；".join(parts) + more


@login_required
def report_download(request, token: str):
    """The kept error report of the person's own import (core:import_errors)."""
    return report_response(request, token=token, back_url=reverse("home"))


class ImportReportMixin:
    """For an import page built on `ServiceFormView`: when the service refuses with
    `fields={"rows": [row_error(…), …]}`, the page shows the first errors and links the full
    report (.xlsx: 行号、列、错误说明), kept for the importer (`keep_report`). Templates
    include core/_import_errors.html. `import_title` names the report file."""

    import_title = "导入"
    import_errors = None
    errors_url = ""

    def refused(self, form, exc):
        super().refused(form, exc)
        rows = exc.fields.get("rows") if isinstance(getattr(exc, "fields", None), dict) else None
        if rows and all(isinstance(r, dict) for r in rows):
            token = keep_report(user=self.request.user, title=self.import_title, errors=rows)
            self.import_errors = shown(rows)
            self.errors_url = reverse("import_errors", args=[token])

    def get_context_data(self, form):
        return {**super().get_context_data(form), "import_errors": self.import_errors, "errors_url": self.errors_url}
