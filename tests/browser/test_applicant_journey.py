"""The applicant's whole journey in a real browser: register, name the space (R2), fill 附件2 and
附件3, upload the sealed 附件4, sign, watch the readiness panel turn green, submit version 1."""

import re

import pytest
from playwright.sync_api import Page, expect

from makerspace.accounts.models import Role
from makerspace.accounts.tests.helpers import confirm_link
from makerspace.core.demo import DEMO_PASSWORD, blank_pdf, demo_credit_code
from makerspace.core.tests.factories import BatchFactory, OrganisationFactory, RecommendingUnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_batch():
    unit = RecommendingUnitFactory(name="南京市科学技术局", short_name="南京市")
    supervisor = OrganisationFactory(
        name="南京市江北新区科技创新局", kind=Role.SUPERVISOR, recommending_unit=unit
    )
    batch = BatchFactory(title="2026年国家专业化众创空间备案推荐")
    return unit, supervisor, batch


def wait_for(found, seconds: float = 10.0):
    """The mail is sent after the request's commit, by the server's thread: wait for it."""
    import time

    deadline = time.monotonic() + seconds
    while not (value := found()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert value, "nothing arrived in time"
    return value


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"#id_{name}", value)


def choose(page: Page, name: str, value: str) -> None:
    page.check(f"input[name='{name}'][value='{value}']")


def save(page: Page, button: str = "保存") -> None:
    page.get_by_role("button", name=button, exact=True).click()


def field_error(page: Page, name: str):
    return page.locator(f"#field-{name} .error")


def tab(page: Page, label: str) -> None:
    page.locator("nav.tabs").get_by_role("link", name=label).click()


def test_applicant_registers_fills_signs_and_submits(page: Page, open_batch, tmp_path):
    unit, supervisor, batch = open_batch

    # Register the operating entity with a valid 统一社会信用代码.
    page.goto("/accounts/register/")
    fill(
        page,
        {
            "organisation_name": "南京智造创新发展有限公司",
            "credit_code": demo_credit_code(424242),
            "legal_representative": "王建国",
            "full_name": "孙联系",
            "mobile": "13912345678",
            "email": "office@zhizao.example.cn",
            "username": "zhizao",
            "password1": DEMO_PASSWORD,
            "password2": DEMO_PASSWORD,
        },
    )
    page.select_option("#id_nature", label="企业（民营）")
    page.select_option("#id_recommending_unit", label=unit.name)
    save(page, "注册")
    # The account is opened from the link mailed to the address typed.
    expect(page.get_by_role("heading", name="请查收确认邮件")).to_be_visible()
    link = wait_for(lambda: confirm_link("office@zhizao.example.cn"))
    page.goto(link)
    expect(page.get_by_text("南京智造创新发展有限公司")).to_be_visible()
    save(page, "确认注册")
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()

    # R2: a name that does not name the field is refused, next to the field.
    page.get_by_role("link", name="新建众创空间").first.click()
    fill(page, {"name": "智造众创空间"})
    save(page)
    expect(field_error(page, "name")).to_contain_text("XXX专业化众创空间")
    fill(page, {"name": "智能制造专业化众创空间"})
    save(page)

    # Start the application.
    expect(page.get_by_role("heading", name="开始申报")).to_be_visible()
    page.select_option("#id_space", label="智能制造专业化众创空间")
    page.select_option("#id_batch", label=batch.title)
    page.select_option("#id_supervisor", label=supervisor.name)
    save(page, "创建申报")
    expect(page.locator("#readiness")).to_contain_text("项要求未满足")

    tab(page, "申报设置")
    choose(page, "provincial_filing", "filed")
    save(page)
    expect(page.locator(".msg-success")).to_contain_text("已保存")

    # 附件2, section by section; a wrong mobile number is shown next to its field, then fixed.
    tab(page, "附件2·运营主体")
    page.fill("#id_founded_on", "2016-05-18")
    fill(
        page,
        {
            "legal_phone": "025-83232116",
            "person_in_charge": "钱负责",
            "person_in_charge_mobile": "12345",
            "contact_name": "孙联系",
            "contact_mobile": "13912345678",
            "address": "江苏省南京市江北新区药谷大道8号",
        },
    )
    save(page)
    expect(field_error(page, "person_in_charge_mobile")).to_contain_text("11位手机号码")
    fill(page, {"person_in_charge_mobile": "13812345678"})
    save(page)
    expect(page.locator(".msg-success")).to_contain_text("已保存")
    expect(page.locator(".error")).to_have_count(0)

    tab(page, "附件2·建设主体与专业方向")
    choose(page, "built_by_enterprise", "True")
    fill(page, {"builder_enterprise_name": "南京智能装备集团有限公司"})
    choose(page, "built_by_university", "False")
    choose(page, "built_by_institute", "False")
    fill(page, {"professional_direction": "智能制造"})
    save(page)
    expect(page.locator(".msg-success")).to_contain_text("已保存")

    tab(page, "附件2·团队、场地与服务")
    fill(
        page,
        {
            "team_size": "18",
            "team_college_count": "16",
            "mentor_count": "25",
            "floor_area": "12000",
            "public_area": "3500",
            "angel_fund": "5000",
            "resident_projects": "46",
            "resident_enterprises": "38",
            "events_held": "60",
        },
    )
    save(page)
    expect(page.locator(".msg-success")).to_contain_text("已保存")

    tab(page, "附件2·平台与管理制度")
    choose(page, "has_online_platform", "True")
    fill(page, {"online_platform_name": "智造创新云平台"})
    choose(page, "has_tech_platform", "False")
    page.check("#id_mgmt_entry_standard")
    page.check("#id_mgmt_exit_conditions")
    save(page)
    expect(page.locator(".msg-success")).to_contain_text("已保存")

    # 附件3: what is typed is saved while typing and survives a reload.
    tab(page, "附件3·申报书")
    page.fill("#id_builder_overview", "建设主体为省内智能装备龙头企业，拥有省级企业技术中心。")
    expect(page.locator(".autosave-status")).to_contain_text("已自动保存", timeout=15_000)
    page.reload()
    expect(page.locator("#id_builder_overview")).to_have_value(
        "建设主体为省内智能装备龙头企业，拥有省级企业技术中心。"
    )
    fill(
        page,
        {
            "space_status": "空间聚焦智能制造细分领域，提供设计、打样、检测一体化服务。",
            "overall_results": "累计孵化项目120个，培育高新技术企业15家。",
            "goals_and_tasks": "三年内建成国内一流的智能制造专业化众创空间。",
            "organisation_and_support": "设立专门运营团队，建立理事会决策机制。",
        },
    )
    save(page)
    expect(page.locator(".msg-success")).to_contain_text("已保存")

    tab(page, "附件3·成功案例")
    for n in range(1, 4):
        fill(
            page,
            {
                "title": f"成功案例{n}",
                "enterprise_name": f"示范智能科技有限公司{n}",
                "field": "智能制造",
                "services": "提供设计打样平台、导师辅导与融资对接。",
                "results": "完成A轮融资，产品批量上市。",
            },
        )
        save(page, "保存案例")
        expect(page.locator("table tbody tr")).to_have_count(n)

    # 附件4: the sealed scan (a PDF made with pypdf), then the electronic signature.
    scan = tmp_path / "附件4-信用承诺书.pdf"
    scan.write_bytes(blank_pdf("applicant commitment"))
    tab(page, "证明材料")
    page.select_option("#id_kind", value="applicant_commitment")
    fill(page, {"title": "申报单位信用承诺书（盖章）"})
    page.set_input_files("#id_file", str(scan))
    save(page, "上传")
    expect(page.locator("table")).to_contain_text("申报单位信用承诺书（盖章）")

    tab(page, "附件4·信用承诺")
    expect(page.locator("#id_signatory")).to_have_value("王建国")
    page.check("#id_agree")
    save(page, "签署承诺书")

    # The readiness panel is green; submit; version 1 is frozen.
    expect(page.locator("#readiness .ready-ok")).to_contain_text("全部要求已满足")
    expect(page.locator("#readiness .readiness li")).to_have_count(0)
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator(".msg-success")).to_contain_text("已提交第1版")
    expect(page.locator(".badge")).to_contain_text("主管部门审核中")
    page.get_by_role("link", name="第1版").click()
    expect(page.get_by_role("heading", name=re.compile("第1版"))).to_be_visible()
