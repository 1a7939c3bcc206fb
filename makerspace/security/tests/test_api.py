"""The read-only applications API: scoped by the permission module, and fuzzed with schemathesis
against its own OpenAPI schema (no 500s, every response conforms)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS

from config.wsgi import application as wsgi_application
from makerspace.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_applicant_lists_only_its_own_applications(client, world):
    mine = world.draft()
    stranger = UserFactory(role="applicant", organisation__recommending_unit=world.unit)
    theirs = world.draft(applicant=stranger)
    client.force_login(world.applicant)
    body = client.get("/api/applications/").json()
    assert [a["id"] for a in body["results"]] == [mine.pk]
    assert body["results"][0]["number"] == mine.number
    assert body["results"][0]["state_label"] == "草稿"
    assert client.get(f"/api/applications/{mine.pk}/").json()["id"] == mine.pk
    assert client.get(f"/api/applications/{theirs.pk}/").status_code == 404


def test_the_api_needs_a_login(client):
    assert client.get("/api/applications/").status_code == 403


def test_the_detail_shows_versions_and_events(client, world):
    submitted = world.submitted()
    client.force_login(world.applicant)
    body = client.get(f"/api/applications/{submitted.pk}/").json()
    assert [v["number"] for v in body["versions"]] == [1]
    assert [e["transition"] for e in body["events"]] == ["submit"]


def test_the_list_makes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(3):
        world.draft()
    client.force_login(world.applicant)
    # session, user, count, page, the batches' chains; the session write that notes activity (once
    # a minute) adds 3.
    with django_assert_max_num_queries(8):
        response = client.get("/api/applications/")
    assert response.json()["count"] == 3


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Like Django's test client: a request through the bare WSGI app must not close the test's
    database connection (it is inside the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.xdist_group("schemathesis")
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    client, world, wsgi_keeps_the_test_connection
):
    world.submitted()
    world.draft()
    client.force_login(world.applicant)
    session_id = client.cookies["sessionid"].value
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_application).include(
        path_regex="^/api/applications"
    )
    checks = [c for c in CHECKS.get_all() if c.__name__ != "ignored_auth"]

    @settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=schema.as_strategy())
    def run(case):
        case.cookies = {**(case.cookies or {}), "sessionid": session_id}
        response = case.call()
        assert response.status_code < 500, response.text
        case.validate_response(response, checks=checks)

    run()
