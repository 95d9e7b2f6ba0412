"""Schemathesis: requests generated from the API's own OpenAPI description, with valid and
with invalid parameters, against the Django application on PostgreSQL with the seed data. No
answer may be a 5xx, and every answer must match the description (status, headers, content
type, body); an invalid parameter must be refused with a 4xx.

Each operation of the description is tested in turn (schemathesis' own pytest fixture loader
does not work with pytest 9, so the loop is written here), with a bounded number of examples
per operation so that the run stays within a couple of minutes in CI.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

EXAMPLES_PER_OPERATION = 25
# Every GET endpoint of the API but the description itself.
OPERATIONS = 16

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def api_schema(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    call_command("load_seed_data", verbosity=0)
    # As Django's test client does: the requests share the test's connection and transaction,
    # which the end of each request must not close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def failures_of(operation, mode: GenerationMode) -> str | None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        # Every check but one: a schema-valid value may still name nothing (a year without
        # meetings, an organisation slug nobody has), which the pages' FilterSets refuse with a
        # 400 the description documents, where this check wants a 2xx.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    try:
        check()
    except Exception as error:  # the failures of this operation, reported with its label
        return f"{operation.label} ({mode}): {error}"
    return None


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_description(api_schema, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == OPERATIONS
    if mode == GenerationMode.NEGATIVE:
        # Only a parameter can be invalid: the index takes none.
        operations = [operation for operation in operations if any(operation.iter_parameters())]
    failures = [failures_of(operation, mode) for operation in operations]
    assert [failure for failure in failures if failure] == []
