"""The province whose science department runs a batch: a new batch takes SITE_PROVINCE, the batches
made before the field existed are given it by the migration, and the admin changes it only with a
reason, audited like every other field of the batch."""

import importlib

import pytest
from django.core import checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from makerspace.audit.models import AuditEvent
from makerspace.audit.services import audit_verify
from makerspace.batches.models import Batch
from makerspace.core.tests.factories import BatchFactory

pytestmark = pytest.mark.django_db


def test_a_new_batch_belongs_to_the_site_province(settings):
    settings.SITE_PROVINCE = "浙江省"
    assert BatchFactory().province == "浙江省"
    settings.SITE_PROVINCE = "江苏省"
    assert BatchFactory().province == "江苏省"


def test_the_migration_gives_existing_batches_the_site_province(settings):
    first, second = BatchFactory(), BatchFactory(province="安徽省")
    Batch.objects.filter(pk=first.pk).update(province="")  # as the column was added
    settings.SITE_PROVINCE = "江苏省"
    state = MigrationExecutor(connection).loader.project_state(("batches", "0004_batch_province"))
    module = importlib.import_module("makerspace.batches.migrations.0004_batch_province")
    module.existing_batches_to_the_site_province(state.apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.province, second.province) == ("江苏省", "安徽省")


def test_a_site_province_that_is_no_province_fails_the_system_check(settings):
    settings.SITE_PROVINCE = "江苏"
    errors = [e for e in checks.run_checks() if e.id == "makerspace.E001"]
    assert errors and "江苏" in errors[0].msg
    settings.SITE_PROVINCE = "江苏省"
    assert not [e for e in checks.run_checks() if e.id == "makerspace.E001"]


def _change_form(client, batch) -> tuple[str, dict]:
    """The admin's change form of `batch` as the page fills it, inline management forms included."""
    url = reverse("admin:batches_batch_change", args=[batch.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "strftime"):
            data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
        elif value is not None:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()}
        )
        # An open batch's chain is read-only: its rows post only their keys.
        for row in formset.initial_forms:
            data[row.add_prefix("id")] = row.instance.pk
            data[row.add_prefix(formset.fk.name)] = batch.pk
    return url, data


def test_the_admin_changes_the_province_only_with_a_reason_and_audits_it(client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    batch = world.batch
    assert "江苏省" in client.get(reverse("admin:batches_batch_changelist")).content.decode()
    url, data = _change_form(client, batch)
    data["province"] = "浙江省"
    refused = client.post(url, data)
    assert refused.status_code == 200 and "reason" in refused.context["adminform"].form.errors
    batch.refresh_from_db()
    assert batch.province == "江苏省"
    data["reason"] = "本批次由浙江省科技厅组织"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    batch.refresh_from_db()
    assert batch.province == "浙江省"
    row = AuditEvent.objects.get(action="batch.admin_change")
    assert row.payload == {"reason": "本批次由浙江省科技厅组织", "fields": ["province"]}
    assert audit_verify()[1] is None
