"""Issue 15: a role × download walk. For every role (the superuser and password-only sessions
included), every export, letter and dossier lists only applications in `visible_applications`,
checked by reading the file itself; a refused one is a 403/404 or the two-factor page."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from makerspace.applications.models import Application
from makerspace.core.tests.factories import World
from makerspace.documents.tests.helpers import docx_text
from makerspace.permissions import visible_applications

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"ZC\d{4}\d{6}")


@pytest.fixture
def spread(world):
    """An application at every height of the chain, and one of another unit."""
    other = World(batch=world.batch)
    world.submitted()  # at the supervisor
    world.forwarded()  # at the recommending unit
    world.recommended()  # recommended, not delivered
    other.delivered()  # delivered by the other unit
    return other


def _users(world):
    users = dict(world.users())
    superuser = world.admin
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    users["superuser"] = superuser
    return users


def _numbers_in_sheet(data: bytes) -> set[str]:
    rows = load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    return {str(row[0]) for row in list(rows)[1:] if row and row[0]}


def _visible_numbers(user) -> set[str]:
    return set(visible_applications(user, Application.objects.all()).values_list("number", flat=True))


def test_every_export_and_letter_lists_only_visible_applications_for_every_role(client, world, spread):
    downloads = {
        "summary": reverse("documents:export_summary"),
        "letter": reverse("documents:recommendation_letter", args=[world.unit.pk, world.batch.pk, "docx"]),
        "other_letter": reverse(
            "documents:recommendation_letter", args=[spread.unit.pk, world.batch.pk, "docx"]
        ),
        "province_letter": reverse("documents:province_letter", args=[world.batch.pk, "docx"]),
    }
    checked = 0
    for role, user in _users(world).items():
        client.force_login(user)
        visible = _visible_numbers(user)
        for name, url in downloads.items():
            response = client.get(url)
            if response.status_code in (403, 404):
                continue
            assert response.status_code == 200, (role, name, response.status_code)
            data = b"".join(response.streaming_content) if response.streaming else response.content
            listed = _numbers_in_sheet(data) if name == "summary" else set(NUMBER.findall(docx_text(data)))
            assert listed <= visible, (role, name, listed - visible)
            checked += 1
    assert checked >= 6  # the superuser is refused like its role, so it downloads none


def test_the_dossiers_are_refused_unless_every_listed_application_is_visible(client, world, spread):
    for role, user in _users(world).items():
        client.force_login(user)
        for unit in (world.unit, spread.unit):
            response = client.post(reverse("documents:unit_dossier", args=[unit.pk, world.batch.pk]))
            listed = set(
                Application.objects.filter(
                    recommending_unit=unit, batch=world.batch, state__in=["recommended", "delivered"]
                ).values_list("number", flat=True)
            )
            if response.status_code == 302:
                assert listed <= _visible_numbers(user), (role, unit)
            else:
                assert response.status_code in (403, 404), (role, response.status_code)


@pytest.mark.enforce_security
@pytest.mark.parametrize("role", ["recommender", "acceptance", "province", "ministry"])
def test_a_password_only_session_gets_no_download(client, world, spread, role):
    """The password alone, without the TOTP code: every download sends to the two-factor page."""
    client.force_login(getattr(world, role))
    application = Application.objects.filter(recommending_unit=world.unit).first()
    for url in (
        reverse("documents:export_summary"),
        reverse("documents:recommendation_letter", args=[world.unit.pk, world.batch.pk, "pdf"]),
        reverse("documents:province_letter", args=[world.batch.pk, "pdf"]),
        reverse("documents:application_document", args=[application.pk, "basic_info", "pdf"]),
        "/api/applications/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"].startswith("/security/2fa/"), url
