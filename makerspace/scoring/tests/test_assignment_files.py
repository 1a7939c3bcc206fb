"""An expert reads the files of the version it scores, and only those; each open is recorded."""

import pytest
from django.urls import reverse

from makerspace.core.tests.factories import make_expert
from makerspace.reviews.models import DocumentOpen
from makerspace.scoring.services import assignment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(world):
    return assignment_create(
        user=world.province, application=world.formal_passed(), expert=make_expert(world)
    )


def test_assigned_expert_opens_a_file_of_the_scored_version(world, client, assignment):
    attachment = assignment.application.attachments.get(kind="applicant_commitment")
    client.force_login(assignment.expert)
    sheet = client.get(reverse("scoring:assignment", args=[assignment.pk])).content.decode()
    url = reverse("scoring:assignment_file", args=[assignment.pk, attachment.pk])
    assert url in sheet
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert DocumentOpen.objects.filter(
        reviewer=assignment.expert, document_key=f"attachment:{attachment.pk}"
    ).exists()


def test_a_file_outside_the_scored_version_is_not_served(world, client, assignment):
    other = world.submitted().attachments.first()
    client.force_login(assignment.expert)
    response = client.get(reverse("scoring:assignment_file", args=[assignment.pk, other.pk]))
    assert response.status_code == 404


def test_another_expert_cannot_open_the_files(world, client, assignment):
    attachment = assignment.application.attachments.first()
    client.force_login(make_expert(world, organisation_name="南京大学"))
    response = client.get(reverse("scoring:assignment_file", args=[assignment.pk, attachment.pk]))
    assert response.status_code == 404
