"""The batch pages' order (province rank, the recommending unit's order, the unit's rank) reads the
unit's order from the application's own copy of it (Application.unit_sort_order), which one index
serves: the copy is taken when an application is started, follows a change of its unit in the
settings and a change of the unit's order (the admin's form, accounts.services), and the migration
copied it for the applications before it."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from makerspace.accounts.services import recommending_unit_order_follow
from makerspace.applications import services
from makerspace.applications.forms import ApplicationSettingsForm
from makerspace.applications.models import Application
from makerspace.applications.workflow import State
from makerspace.core.tests.factories import RecommendingUnitFactory, World
from makerspace.reviews import selectors

pytestmark = pytest.mark.django_db

TO_FORMAL_PASSED = ("forward", "recommend", "deliver", "receive", "pass_formal_review")


def _passed(world) -> Application:
    return world.advance(world.submitted(), *TO_FORMAL_PASSED)


def _names(world) -> list[str]:
    page = selectors.batch_page(world.province, world.batch, [State.FORMAL_PASSED])
    return [a.space.name for a in page.object_list]


def test_an_application_takes_its_units_order_when_started():
    world = World(unit=RecommendingUnitFactory(sort_order=7))
    assert world.draft().unit_sort_order == 7


def test_changing_the_unit_in_the_settings_takes_the_new_units_order(world):
    application = world.draft()
    other = RecommendingUnitFactory(sort_order=3)
    form = ApplicationSettingsForm(
        {"provincial_filing": "filed", "recommending_unit": other.pk, "supervisor": ""}, instance=application
    )
    assert form.is_valid(), form.errors
    services.section_save(user=world.applicant, application=application, section="settings", form=form)
    application.refresh_from_db()
    assert (application.recommending_unit_id, application.unit_sort_order) == (other.pk, 3)


def test_the_sections_follow_a_change_of_the_units_order(world):
    world.unit.sort_order = 2
    world.unit.save()
    first = World(unit=RecommendingUnitFactory(sort_order=1), batch=world.batch)
    first.province = world.province
    second, earlier = _passed(world), _passed(first)
    assert _names(world) == [earlier.space.name, second.space.name]

    world.unit.sort_order = 0
    world.unit.save()
    assert recommending_unit_order_follow(unit=world.unit) == 1
    assert _names(world) == [second.space.name, earlier.space.name]
    assert recommending_unit_order_follow(unit=world.unit) == 0  # nothing left to change


def test_the_admins_change_of_a_units_order_reorders_its_applications(client, world):
    application = world.draft()
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    unit = world.unit
    response = client.post(
        reverse("admin:accounts_recommendingunit_change", args=[unit.pk]),
        {
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "city": unit.city,
            "province": unit.province,
            "sort_order": "9",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.unit_sort_order == 9


def test_the_migration_copies_each_units_order():
    world = World(unit=RecommendingUnitFactory(sort_order=5))
    application = world.draft()
    Application.objects.update(unit_sort_order=0)
    migration = importlib.import_module("makerspace.applications.migrations.0007_batch_order_index")
    migration.copy_unit_orders(apps, None)
    application.refresh_from_db()
    assert application.unit_sort_order == 5


def test_the_benchmark_data_carries_each_units_order():
    from django.core.management import call_command

    from makerspace.accounts.models import RecommendingUnit

    call_command("generate_applications", "--benchmark", "--count", "20", "--batches", "1", verbosity=0)
    orders = dict(RecommendingUnit.objects.values_list("pk", "sort_order"))
    rows = list(Application.objects.values_list("recommending_unit_id", "unit_sort_order"))
    assert len(rows) == 20 and len(set(orders.values())) > 1
    assert all(order == orders[unit] for unit, order in rows)
