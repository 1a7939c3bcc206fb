"""汇总表: one row per application the user may see, with the notice's labels as headers."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from makerspace.core.tests.factories import World
from makerspace.documents.columns import SUMMARY_COLUMNS
from makerspace.documents.exports import write_summary
from makerspace.documents.selectors import summary_applications

pytestmark = pytest.mark.django_db


def _sheet(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))


def _export(user, **filters) -> list[tuple]:
    buffer = io.BytesIO()
    write_summary(summary_applications(user, **filters), buffer)
    return _sheet(buffer.getvalue())


def test_headers_are_the_notice_labels_and_values_are_readable(world):
    application = world.submitted()
    world.advance(application, "forward")
    rows = _export(world.recommender)
    header = rows[0]
    for label in [
        "申报编号",
        "众创空间名称",
        "运营主体名称",
        "运营主体性质",
        "法人代表",
        "管理团队人员总数",
        "天使投资（种子）基金（资金）规模（万元）",
        "是否由高校建立",
        "入驻标准",
        "状态",
        "推荐排序",
        "省级排序",
    ]:
        assert label in header, label
    assert header[0] == "序号" and len(header) == len(SUMMARY_COLUMNS) + 1
    row = dict(zip(header, rows[1], strict=True))
    assert row["申报编号"] == application.number
    assert row["状态"] == "推荐单位审核中"
    assert row["运营主体性质"] == "企业（民营）"
    assert row["是否由高新技术企业或龙头骨干企业建立"] == "是"
    assert row["自主支配场地建筑面积（平方米）"] == 12000


def test_exports_contain_only_what_the_user_may_see(world):
    other = World(batch=world.batch)
    at_recommender = world.submitted()
    world.advance(at_recommender, "forward")
    at_supervisor = world.submitted()
    elsewhere = other.submitted()
    other.advance(elsewhere, "forward")
    world.draft()

    def numbers(user):
        return {row[1] for row in _export(user)[1:]}

    assert numbers(world.recommender) == {at_recommender.number}  # not another city's, not below its level
    assert numbers(world.supervisor) == {at_recommender.number, at_supervisor.number}
    assert numbers(world.province) == set()  # nothing has reached the province yet
    assert numbers(world.expert) == set()


def test_filters_narrow_the_export(world):
    first = world.submitted()
    world.submitted()
    world.advance(first, "forward")
    rows = _export(world.supervisor, state="at_recommender")
    assert [r[1] for r in rows[1:]] == [first.number]


def test_export_view_asks_the_permission_module(client, world):
    application = world.submitted()
    world.advance(application, "forward")
    client.force_login(world.applicant)
    assert client.get(reverse("documents:export_summary")).status_code == 403
    client.force_login(world.recommender)
    response = client.get(reverse("documents:export_summary"), {"batch": world.batch.pk})
    assert response.status_code == 200
    rows = _sheet(b"".join(response.streaming_content))
    assert [r[1] for r in rows[1:]] == [application.number]


def test_export_queries_do_not_grow_with_rows(world, django_assert_max_num_queries):
    for _ in range(3):
        world.advance(world.submitted(), "forward")
    with django_assert_max_num_queries(3):
        _export(world.recommender)
