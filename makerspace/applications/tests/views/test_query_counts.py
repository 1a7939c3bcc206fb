"""Every applicant page costs the same number of queries whatever the amount of data behind it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from makerspace.applications import services
from makerspace.applications.forms import BASIC_SECTIONS
from makerspace.applications.tests.helpers import pdf_upload
from makerspace.core.tests.factories import RecommendingUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def returned_with(world, *, files: int, versions: int, cases: int):
    """A returned application (editable again) with this many files, versions and cases."""
    application = world.complete_draft()
    for _ in range(files - 1):
        services.attachment_add_by_applicant(
            user=world.applicant, application=application, kind="evidence", title="", upload=pdf_upload()
        )
    for n in range(3, cases):
        application.success_cases.create(
            position=n + 1, title=f"案例{n + 1}", enterprise_name="企业", services="服务", results="成效"
        )
    for _ in range(versions):
        application.refresh_from_db()
        services.commitment_sign(user=world.applicant, application=application, signatory="王建国")
        services.application_submit(user=world.applicant, application=application)
        application.refresh_from_db()
        services.application_transition(
            user=world.supervisor, application=application, name="return_to_applicant", comment="请修改"
        )
    application.refresh_from_db()
    assert (
        application.attachments.count(),
        application.versions.count(),
        application.success_cases.count(),
    ) == (
        files,
        versions,
        cases,
    )
    return application


def pages(application):
    pk = application.pk
    yield "list", reverse("applications:list")
    yield "detail", reverse("applications:detail", args=[pk])
    yield "settings", reverse("applications:settings", args=[pk])
    for section in BASIC_SECTIONS:
        yield f"basic:{section}", reverse("applications:basic", args=[pk, section])
    yield "report", reverse("applications:report", args=[pk])
    yield "cases", reverse("applications:cases", args=[pk])
    yield "case_edit", reverse("applications:case_edit", args=[pk, application.success_cases.first().pk])
    yield "files", reverse("applications:files", args=[pk])
    yield "commitment", reverse("applications:commitment", args=[pk])
    yield "version", reverse("applications:version", args=[pk, 1])


def count_queries(client, application) -> dict[str, int]:
    counts = {}
    for name, url in pages(application):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(captured)
    return counts


def test_applicant_pages_are_bounded_whatever_the_data(applicant_client, world):
    applicant_client.get(reverse("applications:list"))  # the session's first request costs more
    small = returned_with(world, files=1, versions=1, cases=3)
    small_counts = count_queries(applicant_client, small)
    big = returned_with(world, files=20, versions=5, cases=5)
    for _ in range(4):  # the list page grows too
        world.submitted()
    for _ in range(5):  # and the settings page's choice of supervising departments
        UserFactory(role="supervisor", organisation__recommending_unit=RecommendingUnitFactory())
    big_counts = count_queries(applicant_client, big)
    assert big_counts == small_counts
    # and small in themselves: the heaviest applicant page stays under this many queries
    assert max(small_counts.values()) <= 25, small_counts
