from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from makerspace.applications import services
from makerspace.applications.models import Application
from makerspace.applications.tests.helpers import field_errors, form_errors
from makerspace.batches.models import Batch

pytestmark = pytest.mark.django_db

URL = reverse("applications:start")


@pytest.fixture
def space(world):
    return services.space_create(user=world.applicant, name="生物医药专业化众创空间")


def data(world, space):
    return {
        "space": space.pk,
        "batch": world.batch.pk,
        "recommending_unit": world.unit.pk,
        "supervisor": world.supervisor.organisation.pk,
    }


def test_starting_an_application_opens_it(applicant_client, world, space):
    page = applicant_client.get(URL)
    assert page.context["form"]["recommending_unit"].value() == world.unit.pk
    response = applicant_client.post(URL, data(world, space))
    application = Application.objects.get()
    assert response.url == reverse("applications:detail", args=[application.pk])
    assert (application.space, application.created_by) == (space, world.applicant)


def test_r5_after_the_deadline_the_form_says_so(applicant_client, world, space):
    Batch.objects.filter(pk=world.batch.pk).update(applicant_deadline=timezone.now() - timedelta(minutes=1))
    response = applicant_client.post(URL, data(world, space))
    assert response.status_code == 200
    assert any("申报单位提交已于" in e and "截止" in e for e in form_errors(response))
    assert not Application.objects.exists()


def test_a_second_application_for_the_same_space_and_batch_is_refused(applicant_client, world, space):
    applicant_client.post(URL, data(world, space))
    response = applicant_client.post(URL, data(world, space))
    assert any("该众创空间在本批次已有申报" in e for e in form_errors(response))
    assert Application.objects.count() == 1


def test_another_organisations_space_cannot_be_chosen(applicant_client, world):
    from makerspace.core.tests.factories import UserFactory

    other = services.space_create(user=UserFactory(role="applicant"), name="纳米材料专业化众创空间")
    response = applicant_client.post(URL, data(world, other))
    assert field_errors(response, "space")
    assert not Application.objects.exists()


def test_a_closed_batch_is_not_offered(applicant_client, world, space):
    Batch.objects.filter(pk=world.batch.pk).update(status=Batch.Status.CLOSED)
    response = applicant_client.post(URL, data(world, space))
    assert field_errors(response, "batch")
    assert not Application.objects.exists()
