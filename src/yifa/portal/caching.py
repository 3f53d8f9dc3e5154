"""HTTP caching for the public pages.

Every portal page is the same for every visitor, so it is served with
`Cache-Control: public, max-age=…` and an ETag computed from the data the page shows
(the view's data function runs once per request: the ETag function computes it and the
view reuses it, so a conditional GET that answers 304 costs only the data queries and no
rendering).

The pages are rendered without the request's context processors, so they never read the
session (no `Vary: Cookie`, no session or CSRF cookie for anonymous visitors). A request
that carries a session cookie (a signed-in member of staff) gets `private` instead of
`public`: the session middleware re-sends its cookie on every request
(SESSION_SAVE_EVERY_REQUEST) and a shared cache must never store that.
"""

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from yifa.core.db.replica import run_report

MAX_AGE = 600  # seconds; the statistics are cached server-side for the same time


def etag_of(data) -> str:
    raw = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def public_page(data_func, *, max_age=MAX_AGE):
    """Decorate `view(request, data, *args, **kwargs)`; `data_func(request, *args, **kwargs)`
    returns the page's data (JSON-serialisable, or with a `"etag"` key that summarises it)."""

    def decorator(view):
        def get_data(request, *args, **kwargs):
            if not hasattr(request, "_portal_data"):
                request._portal_data = data_func(request, *args, **kwargs)
            return request._portal_data

        def etag_func(request, *args, **kwargs):
            from .selectors import footer

            data = get_data(request, *args, **kwargs)
            # the frame's footer is configurable: a changed footer is a changed page
            return etag_of({"page": data.get("etag", data) if isinstance(data, dict) else data, "footer": footer()})

        @condition(etag_func=etag_func)
        def conditional(request, *args, **kwargs):
            return view(request, get_data(request, *args, **kwargs), *args, **kwargs)

        @wraps(view)
        @require_safe
        def wrapped(request, *args, **kwargs):
            # public figures may be read from the replica (yifa.core.db.replica)
            response = run_report(conditional, request, *args, **kwargs)
            if response.status_code in (200, 304):
                if settings.SESSION_COOKIE_NAME in request.COOKIES:
                    patch_cache_control(response, private=True, max_age=0)
                else:
                    patch_cache_control(response, public=True, max_age=max_age)
            return response

        wrapped.public = True
        return wrapped

    return decorator
