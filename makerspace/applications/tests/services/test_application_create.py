from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from makerspace.applications import services
from makerspace.applications.validators import R2_MESSAGE
from makerspace.audit.models import AuditEvent
from makerspace.batches.models import Batch
from makerspace.core.errors import RuleViolation
from makerspace.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def create(world, space, **kwargs):
    return services.application_create(
        user=kwargs.get("user", world.applicant),
        space=space,
        batch=kwargs.get("batch", world.batch),
        recommending_unit=world.unit,
        supervisor=kwargs.get("supervisor", world.supervisor.organisation),
    )


def test_r2_a_space_is_created_only_with_a_professional_name(world):
    with pytest.raises(ValidationError) as caught:
        services.space_create(user=world.applicant, name="南京众创空间")
    assert caught.value.message_dict["name"] == [R2_MESSAGE]
    space = services.space_create(user=world.applicant, name=" 生物医药专业化众创空间 ")
    assert space.name == "生物医药专业化众创空间"
    assert space.organisation == world.applicant.organisation
    assert AuditEvent.objects.filter(action="space.create", target_id=str(space.pk)).exists()


def test_r2_a_space_cannot_be_renamed_to_an_improper_name(world):
    space = services.space_create(user=world.applicant, name="生物医药专业化众创空间")
    with pytest.raises(ValidationError):
        services.space_rename(user=world.applicant, space=space, name="生物医药孵化器")
    services.space_rename(user=world.applicant, space=space, name="创新药物专业化众创空间")
    space.refresh_from_db()
    assert space.name == "创新药物专业化众创空间"
    assert AuditEvent.objects.filter(action="space.rename", target_id=str(space.pk)).exists()


def test_an_application_starts_with_the_organisations_data_and_a_number(world):
    space = services.space_create(user=world.applicant, name="生物医药专业化众创空间")
    application = create(world, space)
    organisation = world.applicant.organisation
    assert application.number == f"ZC{world.batch.year}{application.pk:06d}"
    info = application.basic_info
    assert (info.operator_name, info.legal_representative, info.address) == (
        organisation.name,
        organisation.legal_representative,
        organisation.address,
    )
    assert application.report.pk is not None
    assert AuditEvent.objects.filter(action="application.create", application=application).exists()


def test_one_application_per_space_per_batch(world):
    space = services.space_create(user=world.applicant, name="生物医药专业化众创空间")
    create(world, space)
    with pytest.raises(ValidationError) as caught:
        create(world, space)
    assert "该众创空间在本批次已有申报" in caught.value.messages[0]


def test_only_for_the_organisations_own_space(world):
    other = UserFactory(role="applicant")
    space = services.space_create(user=other, name="生物医药专业化众创空间")
    with pytest.raises(PermissionDenied):
        create(world, space)


def test_the_supervisor_must_be_a_supervising_department(world):
    space = services.space_create(user=world.applicant, name="生物医药专业化众创空间")
    with pytest.raises(ValidationError):
        create(world, space, supervisor=world.recommender.organisation)


def test_r5_no_application_is_started_after_the_deadline_or_in_a_closed_batch(world):
    space = services.space_create(user=world.applicant, name="生物医药专业化众创空间")
    Batch.objects.filter(pk=world.batch.pk).update(applicant_deadline=timezone.now() - timedelta(minutes=1))
    world.batch.refresh_from_db()
    with pytest.raises(RuleViolation) as caught:
        create(world, space)
    assert caught.value.rule == "R5"
    closed = Batch.objects.create(
        year=2018,
        title="2018年批次",
        status=Batch.Status.CLOSED,
        applicant_deadline=timezone.now() + timedelta(days=1),
    )
    with pytest.raises(RuleViolation):
        create(world, space, batch=closed)
