"""After filing, in a real browser: the province opens a reporting round; the operating entity
fills, signs, seals and files its annual report; the unit forwards it; the province accepts it,
then grades the year's evaluation and publishes the result list."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from makerspace.core.tests.factories import make_expert
from makerspace.filed import evaluations
from makerspace.filed.models import Evaluation
from makerspace.filed.tests.helpers import FIGURES, filed

from .test_review_chain_journey import log_in, scan

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_year_after_filing_from_the_round_to_the_published_grades(new_page, world, tmp_path):
    filed_space = filed(world)
    year = timezone.now().year

    # 省科技厅 opens the round.
    page = log_in(new_page, world.province)
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_role("link", name="发布年度报告工作").click()
    page.fill("#id_year", str(year))
    deadline = timezone.localtime(timezone.now() + timedelta(days=20))
    page.fill("#id_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".msg-success")).to_contain_text("年度报告工作已发布")
    expect(page.locator("table")).to_contain_text(filed_space.name)

    # 运营主体 fills the figures, signs, uploads the sealed copy and files.
    page = log_in(new_page, world.applicant)
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_role("link", name=filed_space.name).click()
    expect(page.get_by_role("button", name="提交年度报告")).to_be_disabled()
    page.get_by_role("link", name="填写本年度数据").click()
    for name, value in FIGURES.items():
        page.fill(f"#id_{name}", str(value))
    page.fill("#id_public_area", "5000")  # more than the floor space: refused beside the field
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#field-public_area .error")).to_contain_text("公共办公和服务面积不能超过")
    page.fill("#id_public_area", str(FIGURES["public_area"]))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".msg-success")).to_contain_text("已保存")
    page.fill("#id_signatory", "王法人")
    page.get_by_role("button", name="签署（承诺数据真实）").click()
    expect(page.locator(".msg-success")).to_contain_text("已签署")
    page.set_input_files("input[type=file]", scan(tmp_path, "年度报告盖章件"))
    page.get_by_role("button", name="上传盖章件").click()
    expect(page.locator(".msg-success")).to_contain_text("盖章件已上传")
    page.get_by_role("button", name="提交年度报告").click()
    expect(page.locator(".msg-success")).to_contain_text("年度报告已提交")
    expect(page.locator("#report-state")).to_contain_text("推荐单位审核中")

    # 推荐单位 checks and forwards.
    page = log_in(new_page, world.recommender)
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_role("link", name=f"{year}年度报告").click()
    page.get_by_role("link", name=filed_space.name).click()
    page.get_by_role("button", name="推荐单位审核通过并报送").click()
    expect(page.locator(".msg-success")).to_contain_text("推荐单位审核通过并报送")

    # 省科技厅 accepts, organises the evaluation; three experts score; it grades and publishes.
    page = log_in(new_page, world.province)
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_role("link", name=f"{year}年度报告").click()
    page.get_by_role("link", name=filed_space.name).click()
    page.get_by_role("button", name="省科技厅审核通过").click()
    expect(page.locator("#report-state")).to_contain_text("已通过")
    page.get_by_role("link", name="绩效评价").first.click()
    page.get_by_role("link", name="组织绩效评价").click()
    page.select_option("#id_report_round", label=f"{year}年度报告")
    page.get_by_role("button", name="创建").click()
    expect(page.locator(".msg-success")).to_contain_text("绩效评价已创建")
    evaluation = Evaluation.objects.select_related("filed_space__application").get()
    for n in range(3):
        expert = make_expert(world, organisation_name=f"评审大学{n}", city="外省")
        evaluations.expert_score_record(user=expert, evaluation=evaluation, score=Decimal(80))
    page.get_by_role("button", name="评定等级").click()
    expect(page.locator(".msg-success")).to_contain_text("已评定等级")
    page.get_by_role("button", name="公布结果").click()
    expect(page.locator(".msg-success")).to_contain_text("评价结果已公布")

    # 公众: the result list, no login.
    page = new_page()
    page.goto(f"/filed/evaluations/{evaluation.round_id}/results/")
    expect(page.locator("table")).to_contain_text(filed_space.name)
    expect(page.locator("table")).to_contain_text("A（优秀）")
