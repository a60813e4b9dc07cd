"""Schemathesis over /api/v1/openapi.json, anonymous and with a write token: no 5xx, and every response
matches the schema (status code, content type, body). A bounded run: ``SCHEMATHESIS_MAX_EXAMPLES``
examples per operation (5 by default; more in CI), in the suite and in ``.ci/run``.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from wsis.accounts import services as account_services
from wsis.accounts.models import ApiToken
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))
# The coverage phase (boundary values: huge integers, empty and odd strings) runs in .ci/run
# (SCHEMATHESIS_COVERAGE=1); the suite runs the random examples only, to stay quick.
COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE", "") == "1"

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.phases.coverage.enabled = COVERAGE

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))


# The WSGI client does not inflate gzip (GZipMiddleware answers it when asked).
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, not through Django's test client, so nothing
    stops ``close_old_connections`` from closing the connection that holds the test's transaction at
    the end of each request (on PostgreSQL; SQLite's in-memory database ignores it). Do what the test
    client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def registry_data():
    """Something for the reads to find: a published initiative and a draft."""
    published = make_initiative(state=Initiative.State.PUBLISHED, title="Published school network")
    make_initiative(user=published.created_by, title="Draft clinic network")
    return published


@schema.parametrize()
@HYPOTHESIS
def test_api_anonymous(case, registry_data):
    case.call_and_validate(headers=IDENTITY, checks=CHECKS)


@schema.parametrize()
@HYPOTHESIS
def test_api_with_a_write_token(case, registry_data):
    user = member(registry_data.organisation)
    _token, key = account_services.api_token_create(user=user, name="schemathesis", scope=ApiToken.Scope.WRITE)
    case.call_and_validate(headers={**IDENTITY, "Authorization": f"Bearer {key}"}, checks=CHECKS)
