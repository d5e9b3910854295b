"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis, in
process): whatever the input, no 500s, and responses match the documented shapes."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from babysteps.api.services import api_token_create
from babysteps.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI app directly fires request_finished, which closes the database
    connection that holds the test's transaction (PostgreSQL). Django's test client
    suspends that handler the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(cast) -> str:
    return api_token_create(user=cast.manager_a)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_survives_generated_input(case, token):
    # Business rules (a real NHS number, a due date within 10 months...) reject many
    # schema-valid bodies with a 422 on purpose, so "valid input accepted" is not checked.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance],
    )
