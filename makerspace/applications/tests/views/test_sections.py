"""DESIGN §5: each field check of 附件2 shows its error inside the field's own container."""

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from makerspace.applications.models import SectionDraft
from makerspace.applications.tests.helpers import field_errors, field_text, form_errors
from makerspace.applications.validators import R2_MESSAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(world):
    return world.draft()


def basic_url(application, section):
    return reverse("applications:basic", args=[application.pk, section])


def post_section(client, application, section, **data):
    return client.post(basic_url(application, section), data)


@pytest.mark.parametrize(
    ("section", "data", "field", "message"),
    [
        (
            "entity",
            {"founded_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "founded_on",
            "不能晚于今天",
        ),
        ("entity", {"founded_on": "2018-02-30"}, "founded_on", "有效的日期"),
        (
            "entity",
            {"legal_phone": "12345"},
            "legal_phone",
            "请输入固定电话（如025-83232116）或11位手机号码。",
        ),
        (
            "entity",
            {"person_in_charge_mobile": "1381234567"},
            "person_in_charge_mobile",
            "请输入11位手机号码",
        ),
        ("entity", {"contact_mobile": "0251234567"}, "contact_mobile", "请输入11位手机号码"),
        ("entity", {"email": "not-an-address"}, "email", "请输入合法的邮件地址。"),
        (
            "scale",
            {"team_size": "5", "team_college_count": "6"},
            "team_college_count",
            "不能超过管理团队人员总数（5人）",
        ),
        (
            "scale",
            {"floor_area": "100", "public_area": "100.01"},
            "public_area",
            "不能超过自主支配场地建筑面积",
        ),
        ("scale", {"team_size": "-1"}, "team_size", "大于或等于"),
        ("scale", {"mentor_count": "-3"}, "mentor_count", "大于或等于"),
        ("scale", {"floor_area": "-5"}, "floor_area", "大于或等于"),
        ("scale", {"public_area": "-0.5"}, "public_area", "大于或等于"),
        ("scale", {"angel_fund": "-100"}, "angel_fund", "大于或等于"),
        ("scale", {"resident_projects": "-1"}, "resident_projects", "大于或等于"),
        ("scale", {"resident_enterprises": "-1"}, "resident_enterprises", "大于或等于"),
        ("scale", {"events_held": "-1"}, "events_held", "大于或等于"),
        ("scale", {"team_size": "十八"}, "team_size", "整数"),
        ("builder", {"built_by_enterprise": "True"}, "builder_enterprise_name", "请填写建设企业的详细名称。"),
        ("builder", {"built_by_university": "True"}, "builder_university_name", "请填写建设高校的详细名称。"),
        (
            "builder",
            {"built_by_institute": "True"},
            "builder_institute_name",
            "请填写建设科研院所的详细名称。",
        ),
        ("platforms", {"has_online_platform": "True"}, "online_platform_name", "请填写线上服务平台的名称。"),
        ("platforms", {"has_tech_platform": "True"}, "tech_platform_name", "请填写公共技术服务平台的名称。"),
        ("platforms", {"mgmt_other": "on"}, "mgmt_other_text", "请注明其他管理制度。"),
    ],
)
def test_each_field_error_stands_next_to_its_field(
    applicant_client, application, section, data, field, message
):
    response = post_section(applicant_client, application, section, **data)
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert any(message in error for error in errors), (errors, form_errors(response))
    # and nowhere else: not repeated at the top of the form, not beside another field
    assert not any(message in error for error in form_errors(response))
    assert 'aria-invalid="true"' in response.content.decode()


def test_an_error_names_what_is_wrong_not_a_raw_field_key(applicant_client, application):
    response = post_section(applicant_client, application, "scale", team_size="5", team_college_count="6")
    assert "team_college_count" not in field_text(response, "team_college_count").replace(
        'id="id_team_college_count"', ""
    )
    assert "其中大专以上人数" in field_text(response, "team_college_count")


def test_a_valid_section_is_saved_and_the_page_redirects(applicant_client, application):
    response = post_section(
        applicant_client,
        application,
        "scale",
        team_size="18",
        team_college_count="16",
        floor_area="1200.5",
        public_area="300",
        angel_fund="0",
    )
    assert response.status_code == 302
    info = application.basic_info
    info.refresh_from_db()
    assert (info.team_size, info.team_college_count, str(info.floor_area)) == (18, 16, "1200.50")
    assert str(info.angel_fund) == "0.00"


def test_yes_no_answers_are_saved_and_shown_again(applicant_client, application):
    response = post_section(
        applicant_client,
        application,
        "builder",
        built_by_enterprise="True",
        builder_enterprise_name="南京医药集团有限公司",
        built_by_university="False",
        built_by_institute="",
    )
    assert response.status_code == 302
    info = application.basic_info
    info.refresh_from_db()
    assert (info.built_by_enterprise, info.built_by_university, info.built_by_institute) == (
        True,
        False,
        None,
    )
    page = lxml.html.fromstring(applicant_client.get(basic_url(application, "builder")).content.decode())
    checked = {(i.name, i.value) for i in page.xpath("//input[@type='radio'][@checked]")}
    assert checked == {("built_by_enterprise", "True"), ("built_by_university", "False")}


def test_an_invalid_post_keeps_what_was_typed(applicant_client, application):
    post_section(applicant_client, application, "entity", contact_name="孙联系", contact_mobile="123")
    draft = SectionDraft.objects.get(application=application, section="basic:entity")
    assert draft.data["contact_name"] == "孙联系"
    assert draft.data["contact_mobile"] == "123"
    info = application.basic_info
    info.refresh_from_db()
    assert info.contact_name == ""  # nothing invalid reached the record


def test_unknown_section_is_404(applicant_client, application):
    assert applicant_client.get(basic_url(application, "nonsense")).status_code == 404


def test_r2_improper_space_name_is_refused_on_the_space_form_with_the_rule(applicant_client):
    response = applicant_client.post(reverse("applications:space_create"), {"name": "南京众创空间"})
    assert response.status_code == 200
    assert field_errors(response, "name") == [R2_MESSAGE]
    response = applicant_client.post(reverse("applications:space_create"), {"name": "生物医药专业化众创空间"})
    assert response.status_code == 302


def test_r2_improper_name_is_refused_when_renaming(applicant_client, application):
    url = reverse("applications:space_edit", args=[application.space_id])
    response = applicant_client.post(url, {"name": "生物医药中心"})
    assert field_errors(response, "name") == [R2_MESSAGE]


def test_report_section_saves_the_four_chapters(applicant_client, application):
    data = {
        "builder_overview": "建设主体",
        "space_status": "现状",
        "overall_results": "成效",
        "goals_and_tasks": "目标",
        "organisation_and_support": "保障",
    }
    response = applicant_client.post(reverse("applications:report", args=[application.pk]), data)
    assert response.status_code == 302
    application.report.refresh_from_db()
    assert application.report.goals_and_tasks == "目标"


def test_settings_supervisor_must_belong_to_the_chosen_recommending_unit(
    applicant_client, application, world
):
    from makerspace.core.tests.factories import RecommendingUnitFactory, UserFactory

    elsewhere = UserFactory(role="supervisor", organisation__recommending_unit=RecommendingUnitFactory())
    response = applicant_client.post(
        reverse("applications:settings", args=[application.pk]),
        {
            "provincial_filing": "filed",
            "recommending_unit": world.unit.pk,
            "supervisor": elsewhere.organisation.pk,
        },
    )
    assert response.status_code == 200
    assert any("所选主管部门不属于" in e for e in field_errors(response, "supervisor"))
    application.refresh_from_db()
    assert application.supervisor == world.supervisor.organisation


def test_an_unchanged_save_writes_no_audit_row_and_keeps_the_signature(applicant_client, world):
    """What was seen: a save with nothing changed reported `row_version` as changed, bumped it,
    wrote an audit row and voided the 附件4 signature."""
    from makerspace.applications import services
    from makerspace.audit.models import AuditEvent

    application = world.complete_draft()
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    application.refresh_from_db()
    info = application.basic_info
    scale = {
        "team_size": str(info.team_size),
        "team_college_count": str(info.team_college_count),
        "floor_area": str(info.floor_area),
        "public_area": str(info.public_area),
        "angel_fund": str(info.angel_fund),
        "mentor_count": str(info.mentor_count),
        "resident_projects": str(info.resident_projects),
        "resident_enterprises": str(info.resident_enterprises),
        "events_held": str(info.events_held),
        "row_version": str(application.row_version),
    }
    audit = AuditEvent.objects.count()
    assert post_section(applicant_client, application, "scale", **scale).status_code == 302
    application.refresh_from_db()
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", "payload")[audit:]) == []
    assert application.is_signed
    scale["team_size"] = str(info.team_size + 1)
    scale["row_version"] = str(application.row_version)
    post_section(applicant_client, application, "scale", **scale)
    application.refresh_from_db()
    assert not application.is_signed  # a real change voids it (R4)
