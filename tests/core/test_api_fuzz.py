"""Property-based fuzzing of the whole OpenAPI schema as a signed-in user (schemathesis).

Endpoints are discovered from /api/schema/, so what later apps add is fuzzed too. Any
5xx fails the test; 4xx answers must use the documented error format.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from yifa.orgs.services import issue_token
from yifa.wsgi import application


@pytest.fixture
def api_schema(world):
    # Calling the WSGI app directly fires request_started/finished, whose handler closes
    # the connection that holds the test transaction (Django's test client disconnects it
    # the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.fuzz
@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_answers_5xx(case, world):
    _, token = issue_token(actor=None, user=world.walker_a)
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[not_a_server_error])
    if 400 <= response.status_code < 500 and response.headers.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        assert {"code", "message", "fields"} <= set(body), body
