"""Property-based API tests from our own OpenAPI schema (schemathesis).

Generated requests, valid and invalid, run in-process against the WSGI app with a valid
admin token of programme A, path parameters pointed at A's real objects so the calls reach
the code behind the 404s. Any 5xx, undocumented status or content type, or response that
does not match its schema fails.

Every check runs but two whose premise does not hold for this API:
- positive_data_acceptance expects every schema-valid body to be accepted; domain rules
  the schema cannot express (a slug already taken, a year without a reporting period, a
  submission that is already approved) rightly answer 400/409.
- negative_data_rejection expects every schema-violating request to be refused; like DRF
  and django-filter we ignore unknown `ordering` values and empty filter parameters.
Invalid requests are still sent, and must still get a documented 4xx, never a 5xx.

`make test` runs it derandomized (the `ci` hypothesis profile of conftest.py): the same
cases on every run, so it passes or fails the same way; `make test-wide` explores with
fresh random cases. Successes, which generated requests seldom reach, are checked against
the schema on every run by tests/test_openapi_responses.py.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from config.wsgi import application
from tests.properties import examples

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI app, whose request signals would close the test's
    database connection (and its transaction) after each request; Django's own test
    client detaches the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


REAL_OBJECTS = {"program": "prog-a", "cluster": "a1", "year": 2021}


@schema.parametrize()
@settings(
    max_examples=examples(int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, cast):
    for name, value in REAL_OBJECTS.items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value
    case.call_and_validate(
        headers={"Authorization": f"Bearer {cast.admin_a.raw}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
