"""The signed-in user is loaded with their organisation in one query on every request."""

import pytest
from django.contrib.auth import get_user
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_user_and_their_organisation_load_in_one_query(world, client):
    client.force_login(world.applicant)
    request = RequestFactory().get("/")
    request.session = client.session
    with CaptureQueriesContext(connection) as captured:
        user = get_user(request)
        name = user.organisation.name
    assert user == world.applicant and name == world.applicant.organisation.name
    # the session row, then the user joined with the organisation: nothing for `user.organisation`
    assert len(captured) == 2
    assert 'JOIN "accounts_organisation"' in captured[-1]["sql"]


def test_a_page_showing_the_organisation_reads_it_with_the_user(world, client):
    client.force_login(world.applicant)
    client.get(reverse("applications:list"))
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("applications:list")).content.decode()
    assert world.applicant.organisation.name in html
    assert [q for q in captured if 'FROM "accounts_organisation"' in q["sql"]] == []


def test_a_deactivated_user_is_signed_out(world, client):
    client.force_login(world.applicant)
    world.applicant.is_active = False
    world.applicant.save(update_fields=["is_active"])
    request = RequestFactory().get("/")
    request.session = client.session
    assert not get_user(request).is_authenticated
