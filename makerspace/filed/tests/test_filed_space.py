"""The filed space: made by the ministry's filing, ended by a revocation, shown on the public list."""

import pytest
from django.urls import reverse

from makerspace.applications.workflow import State
from makerspace.filed.models import FiledSpace, Status
from makerspace.reviews import services as reviews

from .helpers import filed

pytestmark = pytest.mark.django_db


def test_filing_creates_the_filed_space_with_its_number_and_history(world):
    application = world.advance(world.formal_passed(), "select")
    assert not FiledSpace.objects.filter(application=application).exists()

    reviews.ministry_file(user=world.ministry, application=application)

    filed_space = FiledSpace.objects.get(application=application)
    assert filed_space.number == f"BA{world.batch.year}{filed_space.pk:05d}"
    assert filed_space.year == world.batch.year
    assert filed_space.batch == world.batch
    assert filed_space.name == application.space.name
    assert filed_space.operator == application.space.organisation
    assert filed_space.operator_name == application.basic_info.operator_name
    assert filed_space.city == world.unit.city
    assert filed_space.field == application.basic_info.professional_direction
    assert filed_space.status == Status.ACTIVE
    assert [(h.source, h.target) for h in filed_space.history.all()] == [("", Status.ACTIVE)]


def test_not_filed_makes_no_filed_space(world):
    application = world.advance(world.formal_passed(), "select")
    reviews.ministry_not_file(user=world.ministry, application=application, comment="不符合工作指引。")
    assert not FiledSpace.objects.exists()


def test_the_revoke_transition_marks_the_filed_space_revoked(world):
    filed_space = filed(world)

    reviews.application_revoke(user=world.ministry, application=filed_space.application, reason="运营停止")

    filed_space.refresh_from_db()
    assert filed_space.application.state == State.REVOKED
    assert filed_space.status == Status.REVOKED
    assert [(h.target, h.rule, h.reason) for h in filed_space.history.all()][-1] == (
        Status.REVOKED,
        "revoke",
        "运营停止",
    )


def test_a_revoked_space_leaves_the_public_list_as_revoked_and_keeps_its_history(world, client):
    filed_space = filed(world)
    kept = filed(world)
    url = reverse("public:list_detail", args=[world.batch.pk])
    page = client.get(url).content.decode()
    assert filed_space.name in page and "已撤销备案" not in page

    reviews.application_revoke(user=world.ministry, application=filed_space.application, reason="运营停止")

    page = client.get(url).content.decode()
    assert f"<del>{filed_space.name}</del>" in page
    assert "已撤销备案" in page
    assert kept.name in page and f"<del>{kept.name}</del>" not in page
    filed_space.refresh_from_db()
    assert [h.target for h in filed_space.history.all()] == [Status.ACTIVE, Status.REVOKED]
    client.force_login(world.province)
    detail = client.get(reverse("filed:space_detail", args=[filed_space.pk])).content.decode()
    assert "运营停止" in detail and "撤销" in detail


def test_the_data_migration_creates_filed_spaces_for_filed_and_published_applications(world):
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    filed_space = filed(world)
    application = filed_space.application
    revoked = filed(world)
    reviews.application_revoke(user=world.ministry, application=revoked.application, reason="主动退出")
    from makerspace.filed.models import StatusChange

    # As before filed spaces existed: the applications alone.
    StatusChange.objects.all().delete()
    FiledSpace.objects.all().delete()

    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(("filed", "0002_filed_spaces_of_filed_applications"))
    module = importlib.import_module("makerspace.filed.migrations.0002_filed_spaces_of_filed_applications")
    module.create_filed_spaces(state.apps, None)

    made = {f.application_id: f for f in FiledSpace.objects.all()}
    assert set(made) == {application.pk, revoked.application_id}
    assert made[application.pk].status == Status.ACTIVE
    assert made[revoked.application_id].status == Status.REVOKED
    assert [h.reason for h in made[revoked.application_id].history.all()] == ["科技部备案", "主动退出"]


def test_a_superuser_operator_is_asked_like_everyone_and_sees_no_filed_space_pages(world, client):
    filed_space = filed(world)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    for name, args in (
        ("filed:space_list", []),
        ("filed:round_list", []),
        ("filed:my_reports", []),
        ("filed:evaluation_list", []),
        ("filed:round_create", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.get(reverse("filed:space_detail", args=[filed_space.pk])).status_code == 404


def test_the_admin_shows_filed_spaces_read_only_with_their_history(world, client):
    filed_space = filed(world)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    assert filed_space.number in client.get(reverse("admin:filed_filedspace_changelist")).content.decode()
    page = client.get(reverse("admin:filed_filedspace_change", args=[filed_space.pk])).content.decode()
    assert "科技部备案" in page
    assert client.get(reverse("admin:filed_filedspace_add")).status_code == 403
