"""A reviewer who returned an application sees, on the resubmission, what the applicant changed."""

import pytest
from django.urls import reverse

from makerspace.applications import services

pytestmark = pytest.mark.django_db


def _return_and_resubmit(world, *, team_size: int):
    application = world.submitted()
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="请核对团队人数。"
    )
    application.refresh_from_db()
    info = application.basic_info
    info.team_size = team_size
    info.save()
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    return application


def test_supervisor_sees_the_changes_since_its_return(world, client):
    application = _return_and_resubmit(world, team_size=30)
    client.force_login(world.supervisor)
    page = client.get(reverse("reviews:supervisor_detail", args=[application.pk])).content.decode()
    assert "第1版 → 第2版 的变化" in page
    assert "管理团队人员总数" in page and "<ins>30</ins>" in page


def test_a_colleague_of_the_same_department_sees_the_same_changes(world, client):
    from makerspace.accounts.models import Role
    from makerspace.core.tests.factories import UserFactory

    application = _return_and_resubmit(world, team_size=31)
    colleague = UserFactory(role=Role.SUPERVISOR, organisation=world.supervisor.organisation)
    client.force_login(colleague)
    page = client.get(reverse("reviews:supervisor_detail", args=[application.pk])).content.decode()
    assert "第1版 → 第2版 的变化" in page and "<ins>31</ins>" in page


def test_first_submission_shows_no_comparison(world, client):
    application = world.submitted()
    client.force_login(world.supervisor)
    page = client.get(reverse("reviews:supervisor_detail", args=[application.pk])).content.decode()
    assert "的变化" not in page
