"""Issue 15: a space's name is frozen with its first submitted version. Before that the applicant
may rename it; the audit row keeps the old and the new name."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from makerspace.applications import services
from makerspace.applications.forms import SpaceForm
from makerspace.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

FROZEN = "众创空间名称已随申报提交冻结，不能再修改；备案后如需更名，请提交变更申请。"


def test_rename_audit_keeps_the_old_and_the_new_name_when_the_form_changed_the_instance(world):
    """A bound ModelForm writes the new name into the instance before the service runs."""
    space = services.space_create(user=world.applicant, name="生物医药专业化众创空间")
    form = SpaceForm({"name": "创新药物专业化众创空间"}, instance=space)
    assert form.is_valid()
    services.space_rename(user=world.applicant, space=space, name=form.cleaned_data["name"])
    row = AuditEvent.objects.filter(action="space.rename").get()
    assert row.summary == "众创空间更名：生物医药专业化众创空间 → 创新药物专业化众创空间"
    assert row.payload == {"old": "生物医药专业化众创空间", "new": "创新药物专业化众创空间"}


def test_a_space_once_submitted_cannot_be_renamed(world):
    application = world.submitted()
    space = application.space
    old = space.name
    with pytest.raises(ValidationError) as refused:
        services.space_rename(user=world.applicant, space=space, name="另一个专业化众创空间")
    assert refused.value.message_dict == {"name": [FROZEN]}
    space.refresh_from_db()
    assert space.name == old
    assert not AuditEvent.objects.filter(action="space.rename").exists()


def test_a_space_stays_frozen_after_a_return_to_draft(world):
    """Returned to draft, the application still has its submitted version: the name stays."""
    application = world.submitted()
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="补充材料"
    )
    with pytest.raises(ValidationError):
        services.space_rename(user=world.applicant, space=application.space, name="另一个专业化众创空间")


def test_the_rename_page_refuses_a_frozen_name_next_to_the_field(client, world):
    application = world.submitted()
    client.force_login(world.applicant)
    url = reverse("applications:space_edit", args=[application.space_id])
    response = client.post(url, {"name": "另一个专业化众创空间"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": [FROZEN]}
    application.space.refresh_from_db()
    assert application.space.name != "另一个专业化众创空间"


def test_a_draft_never_submitted_may_still_be_renamed(client, world):
    application = world.complete_draft()
    client.force_login(world.applicant)
    url = reverse("applications:space_edit", args=[application.space_id])
    response = client.post(url, {"name": "另一个专业化众创空间"})
    assert response.status_code == 302
    application.space.refresh_from_db()
    assert application.space.name == "另一个专业化众创空间"
