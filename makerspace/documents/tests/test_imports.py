"""Import from a 汇总表-layout .xlsx: preview first, each bad row named by row and column;
nothing is written until the importer confirms, and then only the valid rows."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from makerspace.accounts.models import Organisation
from makerspace.applications.models import Application
from makerspace.core.demo import demo_credit_code
from makerspace.documents import services
from makerspace.documents.imports import ImportFileError

pytestmark = pytest.mark.django_db

HEADERS = [
    "统一社会信用代码",
    "运营主体名称",
    "众创空间名称",
    "主管部门",
    "运营主体性质",
    "管理团队人员总数",
    "其中大专以上人数",
    "成立时间",
    "是否由高校建立",
]


def xlsx(rows: list[list], headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def good_row(world, n: int) -> list:
    return [
        demo_credit_code(900 + n),
        f"导入单位{n}有限公司",
        f"导入领域{n}专业化众创空间",
        world.supervisor.organisation.name,
        "企业（民营）",
        10,
        8,
        "2017-03-01",
        "否",
    ]


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(world):
    bad_code = good_row(world, 2)
    bad_code[0] = demo_credit_code(902)[:-1] + ("0" if demo_credit_code(902)[-1] != "0" else "1")
    too_many = good_row(world, 3)
    too_many[6] = 20  # more college graduates than the team
    bad_name = good_row(world, 4)
    bad_name[2] = "导入空间"
    rows = [good_row(world, 1), bad_code, too_many, bad_name]
    before = Application.objects.count()
    pending = services.import_preview(user=world.recommender, batch=world.batch, upload=xlsx(rows))
    errors = {(e["row"], e["column"]): e for e in pending.errors}
    assert (3, "A") in errors and "校验位" in errors[(3, "A")]["message"]
    assert (4, "G") in errors and errors[(4, "G")]["header"] == "其中大专以上人数"
    assert (5, "C") in errors and "专业化众创空间" in errors[(5, "C")]["message"]
    assert [r["row"] for r in pending.rows] == [2]
    assert Application.objects.count() == before  # the preview writes no application
    assert not Organisation.objects.filter(credit_code=demo_credit_code(901)).exists()


def test_confirm_creates_drafts_of_the_valid_rows_only(world):
    rows = [good_row(world, 1), good_row(world, 2), ["", "", "", "", "", "", "", "", ""], good_row(world, 1)]
    pending = services.import_preview(user=world.recommender, batch=world.batch, upload=xlsx(rows))
    assert [e["row"] for e in pending.errors] == [5]  # the repeated space; the empty row is skipped
    created, skipped = services.import_confirm(user=world.recommender, pending=pending)
    assert (created, skipped) == (2, [])
    application = Application.objects.get(space__name="导入领域1专业化众创空间")
    assert application.state == "draft" and application.number.startswith(f"ZC{world.batch.year}")
    assert application.recommending_unit == world.unit
    assert application.basic_info.team_size == 10 and application.basic_info.built_by_university is False
    assert application.space.organisation.recommending_unit == world.unit
    with pytest.raises(services.StateConflict):
        services.import_confirm(user=world.recommender, pending=pending)


def test_a_unit_cannot_import_organisations_of_another_unit(world):
    from makerspace.core.tests.factories import World

    other = World(batch=world.batch)
    row = good_row(world, 1)
    row[0] = other.applicant.organisation.credit_code
    pending = services.import_preview(user=world.recommender, batch=world.batch, upload=xlsx([row]))
    assert pending.errors[0]["column"] == "A" and "不能由本单位导入" in pending.errors[0]["message"]


def test_the_province_must_name_the_unit(world):
    pending = services.import_preview(
        user=world.province, batch=world.batch, upload=xlsx([good_row(world, 1)])
    )
    assert pending.errors[0]["header"] == "推荐单位"
    headers = [*HEADERS, "推荐单位"]
    ok = services.import_preview(
        user=world.province, batch=world.batch, upload=xlsx([[*good_row(world, 1), world.unit.name]], headers)
    )
    assert ok.errors == [] and len(ok.rows) == 1


def test_a_file_without_the_required_columns_is_refused(world):
    with pytest.raises(ImportFileError, match="缺少必需的列"):
        services.import_preview(user=world.recommender, batch=world.batch, upload=xlsx([["x"]], ["名称"]))


def test_import_pages_two_steps_and_permissions(client, world):
    client.force_login(world.applicant)
    assert client.get(reverse("documents:import")).status_code == 403
    client.force_login(world.recommender)
    response = client.post(
        reverse("documents:import"), {"batch": world.batch.pk, "file": xlsx([good_row(world, 1)])}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "确认导入1个有效行" in preview.content.decode()
    assert not Application.objects.filter(space__name="导入领域1专业化众创空间").exists()
    pending_id = response["Location"].rstrip("/").split("/")[-1]
    client.force_login(world.province)  # somebody else's import: not even visible
    assert client.get(response["Location"]).status_code == 404
    client.force_login(world.recommender)
    client.post(reverse("documents:import_confirm", args=[pending_id]))
    assert Application.objects.filter(space__name="导入领域1专业化众创空间").exists()
