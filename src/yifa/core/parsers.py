"""Request body parsers for the API (a module of its own: DRF reads it from its settings
while its own views are being imported)."""

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deep for the decoder (RecursionError)
    refused as a 400 like any other malformed body, instead of a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("请求体嵌套层级过深。") from None
