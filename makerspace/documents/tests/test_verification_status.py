"""Issue 12: the public verification page says what a document is worth now, not only that the
system issued it: a version that was returned and superseded, a 附件5 issued before the supervisor
signed, a letter replaced by a later one."""

import pytest
from django.urls import reverse

from makerspace.applications import services as application_services
from makerspace.documents import services
from makerspace.documents.models import Format, Kind

pytestmark = pytest.mark.django_db


def _page(client, document) -> str:
    return client.get(reverse("documents:verify", args=[document.code])).content.decode()


def _issue(world, application, kind=Kind.BASIC_INFO):
    return services.application_document(
        user=world.applicant, application=application, kind=kind, fmt=Format.PDF
    ).issued


def test_verification_page_shows_a_returned_and_superseded_version(client, world, submitted):
    first = _issue(world, submitted)
    assert "当前有效" in _page(client, first)
    application_services.application_transition(
        user=world.supervisor, application=submitted, name="return_to_applicant", comment="请补充材料"
    )
    returned = _page(client, first)
    assert "已退回修改" in returned and "当前有效" not in returned
    application_services.application_submit(user=world.applicant, application=submitted)
    submitted.refresh_from_db()
    superseded = _page(client, first)
    assert "已被第2版取代" in superseded and "当前有效" not in superseded
    assert "当前有效" in _page(client, _issue(world, submitted))


def test_verification_page_shows_a_supervisor_commitment_issued_before_signing(client, world):
    application = world.submitted()
    before = _issue(world, application, Kind.COMMITMENT_SUPERVISOR)
    page = _page(client, before)
    assert "主管部门签署前" in page and "当前有效" not in page
    world.advance(application, "forward")
    after = _issue(world, application, Kind.COMMITMENT_SUPERVISOR)
    assert after.code != before.code
    assert "当前有效" in _page(client, after)
    assert "主管部门签署前" in _page(client, before)
