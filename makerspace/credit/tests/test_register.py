"""The register's screens: list with search and filter, add, end early (never delete), import
from the provincial platform with every bad row named, export read back against the register."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from makerspace.core.demo import demo_credit_code
from makerspace.credit.models import CreditImport, CreditRecord
from makerspace.credit.selectors import EXPORT_COLUMNS, active_bad_records

from .helpers import bad_record

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_list_searches_and_filters(world, client):
    kept = bad_record(world, demo_credit_code(880_001), "无锡甲科技有限公司")
    expired = bad_record(world, demo_credit_code(880_002), "常州乙科技有限公司", days_ago=900, ends_in=-10)
    client.force_login(world.province)
    page = client.get(reverse("credit:register")).content.decode()
    assert kept.subject_name in page and expired.subject_name not in page
    page = client.get(reverse("credit:register"), {"status": "ended"}).content.decode()
    assert expired.subject_name in page and kept.subject_name not in page
    page = client.get(reverse("credit:register"), {"q": "880001", "status": "all"}).content.decode()
    assert kept.subject_name in page and expired.subject_name not in page
    page = client.get(reverse("credit:register"), {"kind": "other", "status": "all"}).content.decode()
    assert kept.subject_name not in page


def test_add_and_end_early_keeps_the_record(world, client):
    client.force_login(world.admin)
    code = demo_credit_code(880_010)
    response = client.post(
        reverse("credit:record_add"),
        {
            "credit_code": code,
            "subject_name": "南通丙科技有限公司",
            "kind": "serious_dishonesty",
            "reason": "列入严重失信主体名单",
            "source_document": "信用江苏〔2026〕3号",
            "starts_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
            "ends_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    record = CreditRecord.objects.get(credit_code=code)
    assert active_bad_records(code).exists()

    bad = client.post(
        reverse("credit:record_end", args=[record.pk]), {"ends_on": timezone.localdate().isoformat()}
    )
    assert bad.status_code == 400 and "reason" in bad.context["end_form"].errors

    yesterday = timezone.localdate() - timedelta(days=1)
    client.post(
        reverse("credit:record_end", args=[record.pk]),
        {"ends_on": yesterday.isoformat(), "reason": "决定已撤销"},
    )
    record.refresh_from_db()
    assert (record.ends_on, record.end_reason, record.ended_early_by) == (
        yesterday,
        "决定已撤销",
        world.admin,
    )
    assert record.original_ends_on == timezone.localdate() + timedelta(days=365)
    assert not active_bad_records(code).exists()
    assert CreditRecord.objects.filter(pk=record.pk).exists()  # never deleted


def test_add_form_shows_errors_next_to_the_field(world, client):
    client.force_login(world.province)
    response = client.post(
        reverse("credit:record_add"), {"credit_code": "123", "subject_name": "x", "kind": "other"}
    )
    assert response.status_code == 400
    assert "credit_code" in response.context["form"].errors


def _workbook(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "单位名称", "记录类别", "记录事由", "依据文件", "起始日期", "截止日期"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("credit.xlsx", buffer.getvalue(), content_type=XLSX)


def test_import_preview_names_each_bad_row_then_confirm_writes(world, client):
    good = demo_credit_code(880_020)
    upload = _workbook(
        [
            [
                good,
                "扬州丁科技有限公司",
                "不良科技信用记录",
                "虚报项目经费",
                "苏科监〔2026〕5号",
                date(2026, 1, 5),
                date(2028, 1, 4),
            ],
            ["91320000ABC", "坏代码公司", "不良科技信用记录", "x", "y", "2026-01-01", None],
            [demo_credit_code(880_021), "泰州戊公司", "黑名单", "x", "y", "2026-13-01", None],
            [
                demo_credit_code(880_022),
                "宿迁己公司",
                "其他不良信用记录",
                "x",
                "y",
                "2026-03-01",
                "2026-02-01",
            ],
            [good, "扬州丁科技有限公司", "不良科技信用记录", "重复", "苏科监〔2026〕5号", "2026-01-05", None],
        ]
    )
    client.force_login(world.province)
    response = client.post(reverse("credit:import"), {"file": upload})
    assert response.status_code == 302
    pending = CreditImport.objects.get()
    assert not CreditRecord.objects.exists()  # preview writes nothing
    where = {(e["row"], e["column"]) for e in pending.errors}
    assert {(3, "A"), (4, "C"), (4, "F"), (5, "G"), (6, "A")} <= where
    page = client.get(reverse("credit:import_preview", args=[pending.pk])).content.decode()
    assert "第3行" in page and ("校验位" in page or "18位" in page)

    client.post(reverse("credit:import_confirm", args=[pending.pk]))
    record = CreditRecord.objects.get()
    assert (record.credit_code, record.origin, record.ends_on) == (good, "import", date(2028, 1, 4))
    assert client.post(reverse("credit:import_confirm", args=[pending.pk])).status_code == 302
    assert CreditRecord.objects.count() == 1  # not twice


def test_import_refuses_a_file_that_is_not_a_workbook(world, client):
    client.force_login(world.province)
    response = client.post(reverse("credit:import"), {"file": SimpleUploadedFile("x.xlsx", b"plain text")})
    assert response.status_code == 400 and "file" in response.context["form"].errors


def test_export_read_back_matches_the_register(world, client):
    records = [bad_record(world, demo_credit_code(880_100 + n), f"测试单位{n}") for n in range(3)]
    records.append(bad_record(world, demo_credit_code(880_200), "长期记录单位", ends_in=None))
    client.force_login(world.province)

    xlsx = client.get(reverse("credit:export", args=["xlsx"]), {"status": "all"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == [title for _, title in EXPORT_COLUMNS]
    by_id = {row[0]: dict(zip([key for key, _ in EXPORT_COLUMNS], row, strict=True)) for row in rows}
    assert set(by_id) == {r.pk for r in records}
    # Printed: A4 landscape, one page wide, the header row repeated on every page.
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0 and sheet.print_title_rows == "$1:$1"
    assert "第 &P 页" in sheet.oddFooter.right.text

    data = json.loads(client.get(reverse("credit:export", args=["json"]), {"status": "all"}).content)
    by_id_json = {row["record_id"]: row for row in data["records"]}
    for record in records:
        for exported in (by_id[record.pk], by_id_json[record.pk]):
            assert exported["credit_code"] == record.credit_code
            assert exported["subject_name"] == record.subject_name
            assert exported["kind"] == record.get_kind_display()
            assert exported["reason"] == record.reason
            assert exported["starts_on"] == record.starts_on.isoformat()
            assert (exported["ends_on"] or None) == (record.ends_on.isoformat() if record.ends_on else None)
    assert by_id_json[records[0].pk]["in_force"] is True and by_id[records[0].pk]["in_force"] == "是"

    # The export can be imported back: every row is then a duplicate of the register.
    client.post(
        reverse("credit:import"), {"file": SimpleUploadedFile("back.xlsx", xlsx.content, content_type=XLSX)}
    )
    pending = CreditImport.objects.get()
    assert pending.rows == [] and len(pending.errors) == len(records)
