"""Request guards that every page and endpoint gets at once.

`BoundedQueryIntegers`: a query parameter that is an integer beyond what any id, page or
year can be (|n| > 2**53) is refused with a 400 — JSON on the API, the 400 page
elsewhere — before a view turns it into SQL (SQLite's driver overflows on it, and a huge
page number becomes an offset no database accepts).

`CleanInput`: control characters are removed from every query and form value (core.text)
before any view or form sees them; the API's parsers do the same for JSON and API forms."""

import re

from django.http import JsonResponse
from django.shortcuts import render

INT_RE = re.compile(r"^\s*[-+]?\d+\s*$")
INT_MAX = 2 ** 53


def out_of_range(params) -> str | None:
    """The name of the first query parameter holding an integer beyond ±2**53, if any."""
    for name, values in params.lists():
        for value in values:
            if INT_RE.match(value) and (len(value.strip()) > 20 or abs(int(value)) > INT_MAX):
                return name
    return None


def bad_request(request, message: str, fields=None):
    if request.path.startswith("/api/"):
        from .api import error_body

        return JsonResponse(error_body(400, message, fields, code="invalid_parameter"), status=400)
    return render(request, "errors/400.html", {"message": message}, status=400)


class BoundedQueryIntegers:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = out_of_range(request.GET)
        if name is not None:
            return bad_request(request, f"参数“{name}”的数值超出范围。", {name: "数值超出范围"})
        return self.get_response(request)


class CleanInput:
    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .parsers import clean_querydict

        request.GET = clean_querydict(request.GET)
        if (request.method in ("POST", "PUT", "PATCH") and not request.path.startswith("/api/")
                and (request.content_type or "") in self.FORM_TYPES):
            request.POST = clean_querydict(request.POST)
        return self.get_response(request)
