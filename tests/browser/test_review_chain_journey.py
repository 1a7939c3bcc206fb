"""One submitted application walked through every party's screens in a real browser, each party
clicking as it would: 主管部门 → 推荐单位 → 受理单位 → 省科技厅 → 科技部 → the public list."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from makerspace.core.demo import blank_pdf

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def scan(tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(blank_pdf(name))
    return str(path)


def open_every_document(page: Page) -> None:
    """The document links open in a new tab; fetch each as that tab would (same session), so
    the server records the opening (R6), then reload to see them ticked."""
    links = page.locator("#documents a")
    # the page has loaded when its list of documents shows (a count alone does not wait)
    expect(links.first).to_be_visible()
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs, "no documents to open"
    for href in hrefs:
        assert page.context.request.get(href).ok
    page.reload()
    expect(page.locator("#documents .rule")).to_have_count(0)


def judge_every_item(page: Page, comment: str) -> None:
    rows = page.locator("#checklist tbody tr")
    for i in range(rows.count()):
        row = rows.nth(i)
        row.locator("input[type=radio][value=meets]").check()
        row.locator("textarea").fill(f"{comment}（第{i + 1}项已对照材料核实）")
    page.get_by_role("button", name="保存审核意见").click()
    expect(page.locator(".msg-success")).to_contain_text("审核意见")


def decide(page: Page, decision: str) -> None:
    # Before its first decision in the batch the reviewer signs the integrity pledge (三.2).
    pledge = page.locator("#integrity a")
    if pledge.count():
        pledge.click()
        page.check("#id_accept")
        page.get_by_role("button", name="签署承诺").click()
        expect(page.locator(".msg-success")).to_contain_text("已签署审核诚信承诺")
    expect(page.locator("#decision .readiness")).to_have_count(0)
    page.check(f"#decision input[name=decision][value={decision}]")
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".msg-success")).to_contain_text("结论已记录")


def test_one_application_climbs_every_level_to_the_public_list(new_page, world, tmp_path):
    application = world.submitted()
    space = application.space.name

    # 主管部门: its queue, the R8 credit check, 附件5 uploaded, forwarded.
    page = log_in(new_page, world.supervisor)
    expect(page.get_by_role("heading", name="主管部门审核")).to_be_visible()
    page.get_by_role("link", name=application.number).click()
    expect(page.locator("#credit .ready-ok")).to_be_visible()
    page.set_input_files("#commitment input[type=file]", scan(tmp_path, "附件5"))
    page.get_by_role("button", name="上传盖章扫描件").click()
    expect(page.locator(".msg-success")).to_contain_text("附件5")
    # 附件5's commitments checked one by one before the decision (R6 at the first level).
    page.get_by_role("link", name="逐项核对并作出审核结论").click()
    open_every_document(page)
    judge_every_item(page, "经核查属实")
    decide(page, "forward")
    expect(page.locator(".msg-success")).to_contain_text("主管部门审核结论已记录")

    unit_recommends_and_delivers(new_page, world, application, tmp_path, "受理单位")
    receipt(log_in(new_page, world.acceptance), world, application)
    province_to_ministry_to_public(new_page, world)

    # 公众: no login; the list names the space and the ministry's document number.
    page = new_page()
    page.goto("/lists/")
    page.get_by_role("link", name=world.batch.title).click()
    expect(page.locator("main")).to_contain_text(space)
    expect(page.locator("main")).to_contain_text("国科办函高〔2026〕1号")

    # The applicant was told of every step in its inbox, and its history shows the whole climb.
    page = log_in(new_page, world.applicant)
    page.locator(".inbox-link").click()
    for label in ["主管部门审核通过", "推荐单位同意推荐", "报送受理单位", "形式审查通过", "公布备案名单"]:
        expect(page.locator("main")).to_contain_text(f"{application.number} {space}：{label}")
    page.goto(f"/audit/applications/{application.pk}/")
    expect(page).to_have_title(re.compile("操作记录"))
    expect(page.locator("main")).to_contain_text("当前状态：已公布")
    for label in ["提交申报", "主管部门审核通过", "推荐单位同意推荐", "受理", "形式审查通过", "公布备案名单"]:
        expect(page.locator("table.history")).to_contain_text(label)


def unit_recommends_and_delivers(new_page, world, application, tmp_path, receiver: str) -> None:
    # 推荐单位: every document opened, every item judged (R6, R9), recommended, ranked, letter, delivered.
    page = log_in(new_page, world.recommender)
    page.get_by_role("link", name=application.number).click()
    open_every_document(page)
    judge_every_item(page, "符合工作指引要求")
    decide(page, "recommend")
    expect(page.get_by_role("heading", name=world.batch.title)).to_be_visible()
    page.fill("#ranks input[name^=rank_]", "1")
    page.get_by_role("button", name="保存排序").click()
    expect(page.locator(".msg-success")).to_contain_text("推荐排序已保存")
    page.set_input_files("#letter input[type=file]", scan(tmp_path, "推荐函"))
    page.get_by_role("button", name="上传推荐函").click()
    expect(page.locator("#letter .ready-ok")).to_be_visible()
    page.locator("#submit").get_by_role("button", name="报送").click()
    expect(page.locator(".msg-success")).to_contain_text(f"已报送{receiver}")


def receipt(page: Page, world, application) -> None:
    # 受理单位: the unit's set, the electronic check, two paper copies, received.
    page.get_by_role("link", name=world.unit.name).click()
    card = page.locator(f"#app-{application.pk}")
    card.get_by_role("button", name="记录核对结果").click()
    expect(page.locator(".msg-success")).to_contain_text("电子材料核对已记录")
    # The date the copies arrived, picked as the receiver would (the browser's date field).
    card.locator("input[name=received_on]").fill(date.today().isoformat())
    card.locator("input[name=receiver]").fill("余子佳")
    card.get_by_role("button", name="登记").click()
    expect(page.locator(".msg-success")).to_contain_text("已登记纸质材料2份")
    card.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator(".msg-success")).to_contain_text("已受理")


def province_to_ministry_to_public(new_page, world) -> None:
    # 省科技厅: formal review item by item, passed, ranked, recommended to the ministry (R10).
    page = log_in(new_page, world.province)
    page.get_by_role("link", name=world.batch.title).click()
    page.locator("#received").get_by_role("link", name="形式审查").click()
    open_every_document(page)
    judge_every_item(page, "材料齐全规范")
    decide(page, "pass")
    page.goto(f"/review/province/batches/{world.batch.pk}/")
    page.fill("#ranks input[name^=rank_]", "1")
    page.get_by_role("button", name="保存排序").click()
    expect(page.locator(".msg-success")).to_contain_text("省级排序已保存")
    page.locator("#ranks").get_by_role("button", name="推荐", exact=True).click()
    expect(page.locator(".msg-success")).to_contain_text("已择优推荐至科技部")

    # 科技部: filed, then the list published.
    page = log_in(new_page, world.ministry)
    page.get_by_role("link", name=world.batch.title).click()
    page.get_by_role("button", name="备案", exact=True).click()
    expect(page.locator(".msg-success")).to_contain_text("已备案")
    page.fill("#publish input[name=document_number]", "国科办函高〔2026〕1号")
    page.get_by_role("button", name="公布", exact=True).click()
    expect(page.locator(".msg-success")).to_contain_text("备案名单已公布")


def test_a_chain_without_a_supervisor_where_the_province_receives(new_page, tmp_path):
    """The second chain configuration: no 主管部门 step, the province receiving the units' sets
    itself, walked on the same screens by the parties the chain names."""
    from makerspace.core.tests.factories import BatchFactory, World

    world = World(batch=BatchFactory(chain="province_receipt"))
    application = world.submitted()  # straight to the recommending unit: no 主管部门 in this chain
    assert application.state == "at_recommender"

    unit_recommends_and_delivers(new_page, world, application, tmp_path, "省科技厅")
    page = log_in(new_page, world.province)
    page.get_by_role("link", name="材料受理").click()
    receipt(page, world, application)
    province_to_ministry_to_public(new_page, world)

    page = new_page()
    page.goto("/lists/")
    page.get_by_role("link", name=world.batch.title).click()
    expect(page.locator("main")).to_contain_text(application.space.name)
