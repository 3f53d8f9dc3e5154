"""The schema fuzz of tests/core, restricted to this app's endpoints (fast to run alone)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.core.test_api_fuzz import api_schema  # noqa: F401  (fixture)

schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex="^/api/v1/assessment/")


@pytest.mark.fuzz
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_assessment_api_never_answers_5xx(case, world):
    from schemathesis.checks import not_a_server_error

    from yifa.orgs.services import issue_token

    _, token = issue_token(actor=None, user=world.walker_a)
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[not_a_server_error])
    if 400 <= response.status_code < 500 and response.headers.get("Content-Type", "").startswith("application/json"):
        assert {"code", "message", "fields"} <= set(response.json())
