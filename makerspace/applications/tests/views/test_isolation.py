"""Applicant A never reaches applicant B's data: every URL of the applications namespace that takes
an id answers 404 with B's ids and with ids that do not exist, for GET and for POST.

The one other answer is 405 for a method the URL never accepts (GET of the submit URL): it is
given before any lookup, to the owner as well, so it tells nothing about B."""

import pytest
from django.urls import get_resolver, reverse

from makerspace.applications import services
from makerspace.applications.tests.helpers import pdf_upload
from makerspace.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ID_NAMES = {"pk", "space_id", "case_id", "attachment_id", "number"}
SECTION_FOR = {"basic": "entity", "autosave": "report"}


def patterns():
    _, resolver = get_resolver().namespace_dict["applications"]
    return [(p.name, set(p.pattern.converters)) for p in resolver.url_patterns]


@pytest.fixture
def refused_methods(client, world):
    """(URL name, method) pairs the URL refuses even to the owner, asked on a throwaway draft."""
    probe = world.complete_draft()
    ids = {
        "pk": probe.pk,
        "space_id": probe.space_id,
        "case_id": probe.success_cases.first().pk,
        "attachment_id": probe.attachments.first().pk,
        "number": 1,
    }
    client.force_login(world.applicant)
    refused = set()
    for method in ("get", "post"):
        for name, params in patterns():
            if params & ID_NAMES and getattr(client, method)(url_for(name, params, ids)).status_code == 405:
                refused.add((name, method))
    client.logout()
    return refused


def expected(refused_methods, name, method) -> int:
    return 405 if (name, method) in refused_methods else 404


def url_for(name, params, ids):
    kwargs = {key: ids[key] for key in params if key in ID_NAMES}
    if "section" in params:
        kwargs["section"] = SECTION_FOR[name]
    return reverse(f"applications:{name}", kwargs=kwargs)


@pytest.fixture
def other(world):
    """Applicant B of another organisation in the same city, with every kind of object."""
    b = UserFactory(role="applicant", organisation__recommending_unit=world.unit)
    application = world.submitted(applicant=b)
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="补充材料"
    )
    application.refresh_from_db()
    attachment = services.attachment_add_by_applicant(
        user=b, application=application, kind="evidence", title="", upload=pdf_upload()
    )
    return {
        "user": b,
        "pk": application.pk,
        "space_id": application.space_id,
        "case_id": application.success_cases.first().pk,
        "attachment_id": attachment.pk,
        "number": 1,
    }


def test_the_walk_covers_every_url_that_takes_an_id():
    with_ids = [name for name, params in patterns() if params & ID_NAMES]
    assert len(with_ids) >= 16
    assert {"detail", "file_download", "version", "space_edit", "case_delete", "autosave"} <= set(with_ids)


@pytest.mark.parametrize("method", ["get", "post"])
def test_applicant_a_gets_404_for_every_url_with_bs_ids(client, world, other, method, refused_methods):
    world.complete_draft()  # A has an application of its own
    client.force_login(world.applicant)
    answers, wanted = {}, {}
    for name, params in patterns():
        if params & ID_NAMES:
            answers[name] = getattr(client, method)(url_for(name, params, other)).status_code
            wanted[name] = expected(refused_methods, name, method)
    assert answers == wanted
    assert list(wanted.values()).count(404) >= 7


@pytest.mark.parametrize("method", ["get", "post"])
def test_bs_case_and_file_ids_under_as_own_application_are_404(client, world, other, method, refused_methods):
    mine = world.complete_draft()
    client.force_login(world.applicant)
    ids = {**other, "pk": mine.pk}
    answers, wanted = {}, {}
    for name, params in patterns():
        if params & {"case_id", "attachment_id"}:
            answers[name] = getattr(client, method)(url_for(name, params, ids)).status_code
            wanted[name] = expected(refused_methods, name, method)
    assert set(answers) == {"case_edit", "case_delete", "file_download", "file_remove"}
    assert answers == wanted
    assert 404 in wanted.values()


@pytest.mark.parametrize("method", ["get", "post"])
def test_nonexistent_ids_are_404(client, world, method, refused_methods):
    mine = world.complete_draft()
    client.force_login(world.applicant)
    missing = {"pk": 987654, "space_id": 987654, "case_id": 987654, "attachment_id": 987654, "number": 99}
    answers, wanted = {}, {}
    for name, params in patterns():
        if params & ID_NAMES:
            status = expected(refused_methods, name, method)
            answers[name] = getattr(client, method)(url_for(name, params, missing)).status_code
            wanted[name] = status
            if "pk" in params and params - {"pk", "section"}:
                ids = {**missing, "pk": mine.pk}
                answers[f"{name} (own pk)"] = getattr(client, method)(url_for(name, params, ids)).status_code
                wanted[f"{name} (own pk)"] = status
    assert answers == wanted


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_login_from_every_url(client, other, method):
    login = reverse("accounts:login")
    answers = {}
    for name, params in patterns():
        response = getattr(client, method)(url_for(name, params, other))
        answers[name] = (response.status_code, response.get("Location", "").split("?")[0])
    assert answers == dict.fromkeys(answers, (302, login))


def test_b_still_reaches_its_own_pages(client, other):
    client.force_login(other["user"])
    assert client.get(reverse("applications:detail", args=[other["pk"]])).status_code == 200
    assert (
        client.get(
            reverse("applications:file_download", args=[other["pk"], other["attachment_id"]])
        ).status_code
        == 200
    )
    assert client.get(reverse("applications:version", args=[other["pk"], 1])).status_code == 200


def test_bs_applications_do_not_appear_in_as_list(client, world, other):
    client.force_login(world.applicant)
    response = client.get(reverse("applications:list"))
    assert response.status_code == 200
    assert other["pk"] not in [a.pk for a in response.context["applications"]]
    assert other["space_id"] not in [s.pk for s in response.context["spaces"]]


def test_other_roles_are_refused_the_applicant_only_pages(client, world):
    client.force_login(world.supervisor)
    for name in ("list", "start", "space_create"):
        assert client.get(reverse(f"applications:{name}")).status_code == 403
