"""Schemathesis: property-based requests generated from the OpenAPI schema against every
operation — no answer is a server error, and every answer conforms to the schema (status code,
content type, body). A few examples per operation keeps it to well under a minute."""

import datetime

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.models import AccessToken
from projects.models import Measurement

EXAMPLES = 30


@pytest.fixture
def keep_connection():
    """Requests go through the WSGI app, not Django's test client: keep it, as the test client
    does, from closing the database connection (the test's transaction) after each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(keep_connection, project, chain, lead, token_for, settings):
    """A project with values the lead can read and write, and a read-and-write token."""
    settings.API_RATE_LIMIT = "100000/minute"
    _, _, indicator = chain
    for month in range(1, 9):
        Measurement.objects.create(
            project=project,
            indicator=indicator,
            date=datetime.date(2026, month, 1),
            value=month % 3 + 10,
        )
    return project, token_for(lead, AccessToken.Scope.READ_WRITE)


# Loaded when the tests are collected (reading the schema touches no database): the lazy
# `from_fixture` loader does not work with pytest 9 yet.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema(case, api_world):
    project, token = api_world
    parameters = case.path_parameters or {}
    # Half the generated ids are replaced by the real project, so that the answers with data
    # are checked as well as the 404s.
    generated = parameters.get("project_id")
    if isinstance(generated, int) and generated % 2 == 0:
        parameters["project_id"] = project.pk
    excluded = []
    if case.method == "POST":
        # Rows that fit the schema may still name no indicator of the project, or a date
        # that does not exist: no schema can say that, so a 400 there is right.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded)


def test_the_schema_lists_every_route():
    from django.urls import URLPattern, get_resolver

    from api import urls

    documented = schema.raw_schema["paths"]
    routes = [e for e in get_resolver(urls).url_patterns if isinstance(e, URLPattern)]
    served = {
        "/" + str(e.pattern).replace("<int:", "{").replace(">", "}")
        for e in routes
        if str(e.pattern).startswith("api/v1/")
    }
    assert served == set(documented)
