"""One deployment, two provinces: the province (省科技厅) and the acceptance unit of each see and act
on their own province's batches only, in every list, dashboard and export, and the two faces of the
permission module (predicate and queryset) agree across the provinces."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from makerspace.applications.models import Application
from makerspace.batches.models import Level
from makerspace.core.tests.factories import BatchFactory, RecommendingUnitFactory, World, login_verified
from makerspace.permissions import (
    get_application_for,
    get_batch_for,
    get_unit_submission_for,
    visible_applications,
    visible_batches,
    visible_unit_submissions,
)
from makerspace.reviews import chain
from makerspace.reviews import services as reviews
from makerspace.reviews.models import UnitSubmission
from makerspace.reviews.selectors import batches_with_counts
from makerspace.stats import selectors as stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    """A Jiangsu and a Zhejiang batch, each with its own unit, province and acceptance unit, and
    applications at several heights of the chain in each."""
    jiangsu = World(batch=BatchFactory(province="江苏省"))
    unit = RecommendingUnitFactory(
        name="杭州市科学技术局", short_name="杭州市", city="杭州", province="浙江省"
    )
    zhejiang = World(unit=unit, batch=BatchFactory(province="浙江省"))
    for world, passed in ((jiangsu, 2), (zhejiang, 1)):
        for _ in range(passed):
            world.formal_passed()
        world.delivered()
        world.submitted()
    return jiangsu, zhejiang


def test_the_provincial_users_act_for_their_organisations_province(two):
    jiangsu, zhejiang = two
    assert jiangsu.province.organisation.province == "江苏省"
    assert zhejiang.acceptance.organisation.province == "浙江省"


def test_predicate_and_queryset_agree_for_every_role_of_both_provinces(two):
    jiangsu, zhejiang = two
    applications = list(Application.objects.select_related("batch", "space"))
    submissions = list(UnitSubmission.objects.select_related("batch"))
    for user in [*jiangsu.users().values(), *zhejiang.users().values()]:
        listed = set(visible_applications(user))
        for application in applications:
            assert user.has_perm("applications.view_application", application) == (application in listed), (
                user.role,
                application.batch.province,
            )
        listed_submissions = set(visible_unit_submissions(user))
        for submission in submissions:
            assert user.has_perm("reviews.view_unit_submission", submission) == (
                submission in listed_submissions
            ), (user.role, submission.batch.province)


@pytest.mark.parametrize("role", ["province", "acceptance"])
def test_each_provincial_user_lists_only_its_own_provinces_applications_and_submissions(two, role):
    for world, other in (two, two[::-1]):
        user = getattr(world, role)
        provinces = set(visible_applications(user).values_list("batch__province", flat=True))
        assert provinces == {world.batch.province}
        # Delivered or later: three in Jiangsu, two in Zhejiang (the submitted ones are the supervisors').
        assert visible_applications(user).count() == {"江苏省": 3, "浙江省": 2}[world.batch.province]
        assert set(visible_unit_submissions(user).values_list("batch", flat=True)) == {world.batch.pk}
        assert list(visible_batches(user)) == [world.batch]
        assert [row["batch"] for row in batches_with_counts(user, ["delivered", "formal_passed"])] == [
            world.batch
        ]
        foreign = Application.objects.filter(batch=other.batch).exclude(state="at_supervisor").first()
        with pytest.raises(Http404):
            get_application_for(user, foreign.pk)
        with pytest.raises(Http404):
            get_unit_submission_for(user, UnitSubmission.objects.filter(batch=other.batch).first().pk)
        with pytest.raises(Http404):
            get_batch_for(user, other.batch.pk)


def test_the_ministry_stays_national(two):
    jiangsu, zhejiang = two
    assert set(visible_batches(jiangsu.ministry)) == {jiangsu.batch, zhejiang.batch}
    assert jiangsu.ministry.has_perm("documents.view_province_letter", zhejiang.batch)


@pytest.mark.parametrize("role", ["province", "acceptance"])
def test_the_batch_dashboard_counts_what_the_users_lists_show_and_only_its_province(two, role, client):
    for world, other in (two, two[::-1]):
        user = getattr(world, role)
        assert stats.batches_of(user) == [world.batch]
        figures = stats.batch_dashboard(user, world.batch)
        listed = visible_applications(user).filter(batch=world.batch).count()
        assert dict(figures.headline)["申报总数"] == listed
        assert sum(row[1] for row in figures.table("by_state").rows) == listed
        assert sum(row[1] for row in figures.table("by_unit").rows) == listed
        assert {row[0] for row in figures.table("not_delivered").rows} <= {
            unit.short_name for unit in type(world.unit).objects.filter(province=world.batch.province)
        }
        trends = stats.trends_dashboard(user)
        assert [row[0] for row in trends.table("by_batch").rows] == [
            f"{world.batch.year}年 {world.batch.title}"
        ]
        # Asked for the other province's batch, the page shows its own.
        login_verified(client, user)
        response = client.get(reverse("stats:batch"), {"batch": other.batch.pk})
        assert response.status_code == 200
        assert response.context["batch"] == world.batch
        assert other.batch.title not in response.content.decode()


def _exported_numbers(response) -> set[str]:
    rows = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    return {str(row[1]) for row in list(rows.iter_rows(values_only=True))[1:] if row and row[1]}


@pytest.mark.parametrize("role", ["province", "acceptance"])
def test_the_summary_export_holds_only_the_provinces_own_applications(two, role, client):
    for world, other in (two, two[::-1]):
        user = getattr(world, role)
        login_verified(client, user)
        response = client.get(reverse("documents:export_summary"), {"batch": ""})
        assert response.status_code == 200
        numbers = _exported_numbers(response)
        assert numbers == set(visible_applications(user).values_list("number", flat=True))
        assert not numbers & set(
            Application.objects.filter(batch=other.batch).values_list("number", flat=True)
        )
        # Filtering on the other province's batch is not a choice of the form.
        assert client.get(reverse("documents:export_summary"), {"batch": other.batch.pk}).status_code == 404


def test_a_province_cannot_extend_receive_or_select_in_another_province(two, client):
    jiangsu, zhejiang = two
    later = zhejiang.batch.applicant_deadline + timedelta(days=3)
    with pytest.raises(PermissionDenied):
        reviews.deadline_extend(
            user=jiangsu.province,
            batch=zhejiang.batch,
            level=Level.APPLICANT,
            new_deadline=later,
            reason="延期",
        )
    reviews.deadline_extend(
        user=zhejiang.province, batch=zhejiang.batch, level=Level.APPLICANT, new_deadline=later, reason="延期"
    )
    login_verified(client, jiangsu.province)
    assert client.get(reverse("reviews:province_deadlines", args=[zhejiang.batch.pk])).status_code == 404
    assert client.get(reverse("reviews:province_deadlines", args=[jiangsu.batch.pk])).status_code == 200
    assert client.get(reverse("reviews:province_batch", args=[zhejiang.batch.pk])).status_code == 404

    delivered = Application.objects.get(batch=zhejiang.batch, state="delivered")
    assert not jiangsu.acceptance.has_perm("reviews.receive_for_batch", zhejiang.batch)
    assert zhejiang.acceptance.has_perm("reviews.receive_for_batch", zhejiang.batch)
    assert not jiangsu.acceptance.has_perm("applications.receive", delivered)
    with pytest.raises((PermissionDenied, Http404)):
        chain.receive(delivered, jiangsu.acceptance)
    delivered.refresh_from_db()
    assert delivered.state == "delivered"

    passed = Application.objects.get(batch=zhejiang.batch, state="formal_passed")
    assert not jiangsu.province.has_perm("applications.select", passed)
    assert zhejiang.province.has_perm("applications.select", passed)
    assert not jiangsu.province.has_perm("applications.disqualify", passed)
    assert not jiangsu.province.has_perm("scoring.manage_scoring", zhejiang.batch)
    assert not jiangsu.province.has_perm("publicity.manage_notices", zhejiang.batch)
    assert not jiangsu.province.has_perm("documents.build_batch_dossier", zhejiang.batch)
    assert not jiangsu.acceptance.has_perm("documents.view_recommendation_letter", zhejiang.unit)
