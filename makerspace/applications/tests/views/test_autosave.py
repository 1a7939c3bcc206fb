"""Autosave: nothing typed is lost. Valid input is saved; invalid input is kept aside with its errors."""

import pytest
from django.urls import reverse

from makerspace.applications.models import SectionDraft
from makerspace.applications.tests.helpers import field_errors, field_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(world):
    return world.draft()


def autosave(client, application, section, **data):
    return client.post(
        reverse("applications:autosave", args=[application.pk, section]), data, HTTP_HX_REQUEST="true"
    )


def test_a_valid_autosave_saves(applicant_client, application):
    response = autosave(
        applicant_client, application, "basic:entity", contact_name="孙联系", contact_mobile="13912345678"
    )
    assert response.status_code == 200
    assert "已自动保存" in response.content.decode()
    info = application.basic_info
    info.refresh_from_db()
    assert (info.contact_name, info.contact_mobile) == ("孙联系", "13912345678")
    assert not SectionDraft.objects.exists()


def test_an_invalid_autosave_keeps_the_raw_input_and_the_next_page_shows_it_with_its_errors(
    applicant_client, application
):
    response = autosave(
        applicant_client,
        application,
        "basic:entity",
        contact_name="孙联系",
        contact_mobile="139-1234",
        email="sun@",
    )
    assert response.status_code == 200
    assert "有2处需要修改" in response.content.decode()
    draft = SectionDraft.objects.get(application=application, section="basic:entity")
    assert draft.data["contact_mobile"] == "139-1234"
    info = application.basic_info
    info.refresh_from_db()
    assert info.contact_name == ""  # the record is untouched until everything is valid

    page = applicant_client.get(reverse("applications:basic", args=[application.pk, "entity"]))
    html = page.content.decode()
    assert "以下显示的是您上次输入但尚未通过校验的内容" in html
    assert 'value="139-1234"' in html
    assert 'value="孙联系"' in html
    assert field_errors(page, "contact_mobile") == ["请输入11位手机号码，例如13812345678。"]
    assert field_errors(page, "email") == ["请输入合法的邮件地址。"]
    assert field_errors(page, "contact_name") == []
    assert "孙联系" not in field_text(page, "email")


def test_a_later_valid_save_clears_the_draft(applicant_client, application):
    autosave(applicant_client, application, "basic:entity", contact_mobile="139-1234")
    assert SectionDraft.objects.filter(application=application).exists()
    response = applicant_client.post(
        reverse("applications:basic", args=[application.pk, "entity"]), {"contact_mobile": "13912345678"}
    )
    assert response.status_code == 302
    assert not SectionDraft.objects.filter(application=application).exists()
    page = applicant_client.get(reverse("applications:basic", args=[application.pk, "entity"]))
    assert "尚未通过校验的内容" not in page.content.decode()
    assert 'value="13912345678"' in page.content.decode()


def test_drafts_are_kept_per_section(applicant_client, application):
    autosave(applicant_client, application, "basic:scale", team_size="5", team_college_count="9")
    autosave(applicant_client, application, "report", goals_and_tasks="三年目标")
    assert set(SectionDraft.objects.values_list("section", flat=True)) == {"basic:scale"}
    application.report.refresh_from_db()
    assert application.report.goals_and_tasks == "三年目标"
    page = applicant_client.get(reverse("applications:basic", args=[application.pk, "scale"]))
    assert field_errors(page, "team_college_count") == ["大专以上人数不能超过管理团队人员总数（5人）。"]
    other = applicant_client.get(reverse("applications:basic", args=[application.pk, "entity"]))
    assert "尚未通过校验的内容" not in other.content.decode()


def test_settings_autosave(applicant_client, application):
    response = autosave(
        applicant_client,
        application,
        "settings",
        provincial_filing="applying",
        recommending_unit=application.recommending_unit_id,
        supervisor=application.supervisor_id,
    )
    assert "已自动保存" in response.content.decode()
    application.refresh_from_db()
    assert application.provincial_filing == "applying"


def test_autosave_of_an_unknown_section_is_404(applicant_client, application):
    assert autosave(applicant_client, application, "basic:nonsense").status_code == 404
    assert autosave(applicant_client, application, "cases").status_code == 404


def test_autosave_needs_post(applicant_client, application):
    response = applicant_client.get(reverse("applications:autosave", args=[application.pk, "report"]))
    assert response.status_code == 405


def test_autosave_of_a_submitted_application_is_refused(applicant_client, world):
    application = world.submitted()
    response = autosave(applicant_client, application, "report", goals_and_tasks="改")
    assert response.status_code == 403
    assert not SectionDraft.objects.exists()


def _scale_as_posted(application) -> dict[str, str]:
    """The 附件2 scale section as the browser posts it back: every value as text."""
    info = application.basic_info
    fields = [
        "team_size",
        "team_college_count",
        "floor_area",
        "public_area",
        "angel_fund",
        "mentor_count",
        "resident_projects",
        "resident_enterprises",
        "events_held",
    ]
    return {name: str(getattr(info, name)) for name in fields} | {"row_version": str(application.row_version)}


def test_an_unchanged_autosave_writes_no_audit_row_and_keeps_the_signature(applicant_client, world):
    """Issue 14: 1,095 identical autosaves wrote 1,124 audit rows and voided the 附件4 signature."""
    from makerspace.applications import services
    from makerspace.audit.models import AuditEvent

    application = world.complete_draft()
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    application.refresh_from_db()
    data = _scale_as_posted(application)
    audit, row_version = AuditEvent.objects.count(), application.row_version
    for _ in range(3):
        assert autosave(applicant_client, application, "basic:scale", **data).status_code == 200
    application.refresh_from_db()
    assert AuditEvent.objects.count() == audit
    assert application.row_version == row_version
    assert application.is_signed


def test_an_autosave_that_changes_a_value_voids_the_signature(applicant_client, world):
    from makerspace.applications import services
    from makerspace.audit.models import AuditEvent

    application = world.complete_draft()
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    application.refresh_from_db()
    data = _scale_as_posted(application)
    data["team_size"] = str(application.basic_info.team_size + 1)
    audit = AuditEvent.objects.count()
    assert autosave(applicant_client, application, "basic:scale", **data).status_code == 200
    application.refresh_from_db()
    application.basic_info.refresh_from_db()
    assert application.basic_info.team_size == int(data["team_size"])
    assert AuditEvent.objects.count() > audit
    assert not application.is_signed  # R4: a change after signing voids the commitment
