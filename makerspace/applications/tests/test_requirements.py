"""R1, R3 and R4 as the readiness check decides them: each unmet requirement is named and linked."""

import pytest
from django.urls import reverse

from makerspace.applications import services
from makerspace.applications.models import Attachment, ProvincialFiling
from makerspace.applications.requirements import BASIC_REQUIRED, REPORT_REQUIRED, readiness
from makerspace.applications.tests.helpers import pdf_upload

pytestmark = pytest.mark.django_db


def unmet(application, rule: str | None = None) -> list[str]:
    application.refresh_from_db()
    return [item.message for item in readiness(application) if rule is None or item.rule == rule]


def set_basic(application, **values) -> None:
    info = application.basic_info
    for key, value in values.items():
        setattr(info, key, value)
    info.save()


@pytest.fixture
def ready(world):
    application = world.complete_draft()
    assert readiness(application) == []
    return application


def test_a_new_draft_lists_every_requirement_with_a_link(world):
    application = world.draft()
    items = readiness(application)
    assert {item.rule for item in items} == {"R1", "R3", "R4"}
    assert all(item.url.startswith(f"/applications/{application.pk}/") for item in items)


# R1 ---------------------------------------------------------------------------------------------


def test_r1_none_of_the_three_builder_questions_answered_yes_is_unmet(ready):
    set_basic(ready, built_by_enterprise=False, built_by_university=False, built_by_institute=False)
    assert unmet(ready, "R1") == [
        "须由龙头骨干企业（高新技术企业）、高校或科研院所建设：三个“是否由…建立”中至少一项应为“是”。"
    ]


@pytest.mark.parametrize(
    ("question", "name_field"),
    [
        ("built_by_enterprise", "builder_enterprise_name"),
        ("built_by_university", "builder_university_name"),
        ("built_by_institute", "builder_institute_name"),
    ],
)
def test_r1_yes_without_the_builders_full_name_is_unmet(ready, question, name_field):
    set_basic(ready, **{question: True, name_field: "  "})
    messages = unmet(ready, "R1")
    assert len(messages) == 1
    assert "选“是”时须填写详细名称" in messages[0]
    set_basic(ready, **{name_field: "南京大学"})
    assert unmet(ready, "R1") == []


@pytest.mark.parametrize("question", ["built_by_enterprise", "built_by_university", "built_by_institute"])
def test_r1_any_one_of_the_builders_is_enough(ready, question):
    names = {
        "built_by_enterprise": "builder_enterprise_name",
        "built_by_university": "builder_university_name",
        "built_by_institute": "builder_institute_name",
    }
    values = {q: False for q in names}
    values[question] = True
    values[names[question]] = "江苏省产业技术研究院"
    set_basic(ready, **values)
    assert unmet(ready) == []


@pytest.mark.parametrize(
    "address",
    [
        "浙江省杭州市西湖区文三路90号",
        "上海市黄浦区南京东路100号",  # a 南京路 outside Jiangsu
        "北京市海淀区中关村大街1号",
        "安徽省合肥市蜀山区长江西路",
        "广东省深圳市南山区科技园",
    ],
)
def test_r1_address_outside_jiangsu_is_unmet(ready, address):
    set_basic(ready, address=address)
    assert unmet(ready, "R1") == ["备案推荐对象须为江苏省内的众创空间，请填写江苏省内的单位地址。"]


@pytest.mark.parametrize(
    "address",
    [
        "江苏省南京市鼓楼区广州路37号",
        "南京市江北新区药谷大道8号",
        "苏州工业园区若水路398号",
        "昆山市玉山镇前进西路1号",  # a county-level city of Jiangsu
        "中国江苏省无锡市新吴区",
    ],
)
def test_r1_addresses_in_jiangsu_are_met(ready, address):
    set_basic(ready, address=address)
    assert unmet(ready, "R1") == []


@pytest.mark.parametrize("filing", [ProvincialFiling.NONE, ""])
def test_r1_provincial_filing_neither_filed_nor_applying_is_unmet(ready, filing):
    ready.provincial_filing = filing
    ready.save(update_fields=["provincial_filing"])
    assert unmet(ready, "R1") == ["须已纳入或申请纳入省级众创空间备案管理。"]


@pytest.mark.parametrize("filing", [ProvincialFiling.FILED, ProvincialFiling.APPLYING])
def test_r1_provincial_filing_filed_or_applying_is_met(ready, filing):
    ready.provincial_filing = filing
    ready.save(update_fields=["provincial_filing"])
    assert unmet(ready) == []


# R3 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", BASIC_REQUIRED)
def test_r3_each_missing_basic_info_field_is_unmet(ready, field):
    from makerspace.applications.models import BasicInfo

    set_basic(ready, **{field: None if BasicInfo._meta.get_field(field).null else ""})
    label = str(BasicInfo._meta.get_field(field).verbose_name)  # a lazy translation
    messages = unmet(ready, "R3")
    assert f"附件2 基础信息表：请填写“{label}”。" in messages
    item = next(i for i in readiness(ready) if label in i.message and i.rule == "R3")
    assert item.url.endswith(f"#id_{field}")


@pytest.mark.parametrize(
    ("flag", "name_field"),
    [("has_online_platform", "online_platform_name"), ("has_tech_platform", "tech_platform_name")],
)
def test_r3_a_platform_answered_yes_needs_its_name(ready, flag, name_field):
    set_basic(ready, **{flag: True, name_field: ""})
    assert any("选“是”时须填写平台名称" in m for m in unmet(ready, "R3"))


def test_r3_no_management_system_ticked_is_unmet(ready):
    set_basic(
        ready,
        mgmt_entry_standard=False,
        mgmt_exit_conditions=False,
        mgmt_incubation_database=False,
        mgmt_other=False,
    )
    assert unmet(ready, "R3") == ["附件2 基础信息表：请至少勾选一项管理制度。"]


def test_r3_other_management_system_needs_its_text(ready):
    set_basic(ready, mgmt_other=True, mgmt_other_text="")
    assert unmet(ready, "R3") == ["管理制度勾选“其他”时须注明具体制度。"]


@pytest.mark.parametrize("field", REPORT_REQUIRED)
def test_r3_each_missing_report_chapter_is_unmet(ready, field):
    from makerspace.applications.models import Report

    report = ready.report
    setattr(report, field, "   ")
    report.save()
    label = Report._meta.get_field(field).verbose_name
    assert unmet(ready, "R3") == [f"附件3 申报书：请填写“{label}”。"]


@pytest.mark.parametrize("count", [3, 4, 5])
def test_r3_three_to_five_success_cases_are_met(world, count):
    from makerspace.core.demo import fill_complete

    application = world.draft()
    fill_complete(application, world.applicant, cases=count)
    assert unmet(application) == []


@pytest.mark.parametrize("count", [0, 2, 6])
def test_r3_fewer_than_three_or_more_than_five_cases_are_unmet(world, count):
    from makerspace.core.demo import fill_complete

    application = world.draft()
    fill_complete(application, world.applicant, cases=count)
    assert unmet(application, "R3") == [f"附件3 申报书：成功案例应为3–5个，当前{count}个。"]


# R4 ---------------------------------------------------------------------------------------------


def test_r4_unsigned_commitment_is_unmet(ready, world):
    ready.commitment_signed_at = None
    ready.save(update_fields=["commitment_signed_at"])
    assert unmet(ready) == ["请签署《申报单位信用承诺书》（附件4）。修改申报内容后须重新签署。"]


def test_r4_no_sealed_scan_is_unmet(ready, world):
    scan = ready.attachments.get(kind=Attachment.Kind.APPLICANT_COMMITMENT)
    services.attachment_remove(user=world.applicant, application=ready, attachment=scan)
    assert "请上传签字盖章的《申报单位信用承诺书》（附件4）扫描件。" in unmet(ready, "R4")


def test_r4_evidence_does_not_count_as_the_sealed_scan(ready, world):
    scan = ready.attachments.get(kind=Attachment.Kind.APPLICANT_COMMITMENT)
    services.attachment_remove(user=world.applicant, application=ready, attachment=scan)
    services.attachment_add_by_applicant(
        user=world.applicant, application=ready, kind=Attachment.Kind.EVIDENCE, title="", upload=pdf_upload()
    )
    assert "请上传签字盖章的《申报单位信用承诺书》（附件4）扫描件。" in unmet(ready, "R4")


def test_r1_link_to_the_provincial_filing_points_at_the_settings_section(ready):
    ready.provincial_filing = ""
    ready.save(update_fields=["provincial_filing"])
    (item,) = readiness(ready)
    assert item.url == reverse("applications:settings", args=[ready.pk]) + "#id_provincial_filing"
