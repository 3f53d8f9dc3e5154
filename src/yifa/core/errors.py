"""Domain errors that views and the API turn into the documented responses."""


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class StaleVersion(DomainError):
    """Two people edited the same record: the later save is refused (HTTP 409)."""

    status = 409
    code = "stale_version"


class IllegalTransition(DomainError):
    status = 409
    code = "illegal_transition"
