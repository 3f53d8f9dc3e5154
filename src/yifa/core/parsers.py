"""Request body parsers for the API (a module of its own: DRF reads it from its settings
while its own views are being imported). Every string they return has its control
characters removed (core.text), so no service ever sees one."""

from django.http import QueryDict
from rest_framework import exceptions, parsers

from .text import clean_data, clean_text


def clean_querydict(q: QueryDict) -> QueryDict:
    if not any(clean_text(k) != k or any(clean_text(v) != v for v in vs) for k, vs in q.lists()):
        return q
    cleaned = QueryDict(mutable=True, encoding=q.encoding)
    for key, values in q.lists():
        cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
    cleaned._mutable = False
    return cleaned


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deep for the decoder (RecursionError)
    refused as a 400 like any other malformed body, instead of a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return clean_data(super().parse(stream, media_type, parser_context))
        except RecursionError:
            raise exceptions.ParseError("请求体嵌套层级过深。") from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return clean_querydict(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(clean_querydict(result.data), result.files)
