import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from makerspace.applications import services
from makerspace.applications.diff import (
    EMPTY,
    SECTION_BASIC,
    SECTION_CASES,
    SECTION_FILES,
    SECTION_REPORT,
    Change,
    Comparison,
    changes_since_last_review,
    compare_snapshots,
)
from makerspace.applications.models import Attachment, BasicInfo
from makerspace.applications.services import application_snapshot
from makerspace.core.demo import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(world):
    return application_snapshot(world.complete_draft())


def test_a_snapshot_compared_with_itself_has_no_changes(snapshot):
    assert compare_snapshots(snapshot, copy.deepcopy(snapshot)) == []


def test_basic_info_changes_carry_the_forms_labels_and_readable_values(snapshot):
    new = copy.deepcopy(snapshot)
    new["basic_info"]["team_size"] = 20
    new["basic_info"]["built_by_university"] = True
    new["basic_info"]["operator_nature"] = "university"
    new["basic_info"]["mentor_count"] = None

    changes = {c.label: c for c in compare_snapshots(snapshot, new)}

    assert set(changes) == {"管理团队人员总数", "是否由高校建立", "运营主体性质", "创业导师数"}
    assert (changes["管理团队人员总数"].old, changes["管理团队人员总数"].new) == ("18", "20")
    assert (changes["是否由高校建立"].old, changes["是否由高校建立"].new) == ("否", "是")
    assert changes["运营主体性质"].new == "高校"
    assert changes["创业导师数"].new == EMPTY
    assert {c.section for c in changes.values()} == {SECTION_BASIC}


@pytest.mark.parametrize(
    "name",
    [f.name for f in BasicInfo._meta.concrete_fields if f.name not in ("id", "application", "updated_at")],
)
def test_every_basic_info_field_is_compared(snapshot, name):
    new = copy.deepcopy(snapshot)
    new["basic_info"][name] = "变化后的值"

    (change,) = compare_snapshots(snapshot, new)

    assert change.label == BasicInfo._meta.get_field(name).verbose_name
    assert change.new == "变化后的值"


def test_a_decimal_written_differently_is_not_a_change(snapshot):
    new = copy.deepcopy(snapshot)
    new["basic_info"]["floor_area"] = "12000"
    old = copy.deepcopy(snapshot)
    old["basic_info"]["floor_area"] = "12000.00"

    assert compare_snapshots(old, new) == []


def test_report_chapters(snapshot):
    new = copy.deepcopy(snapshot)
    new["report"]["goals_and_tasks"] = "五年内建成国际一流的专业化众创空间。"

    (change,) = compare_snapshots(snapshot, new)

    assert (change.section, change.label) == (SECTION_REPORT, "发展目标和重点任务")


def test_success_cases_added_removed_and_changed(snapshot):
    new = copy.deepcopy(snapshot)
    new["success_cases"][0]["results"] = "完成B轮融资。"
    removed = new["success_cases"].pop(1)
    new["success_cases"].append(
        {**removed, "title": "全新的案例", "enterprise_name": "新企业", "position": 3}
    )

    changes = compare_snapshots(snapshot, new)

    assert {(c.kind, c.label) for c in changes} == {
        ("changed", "成功案例“成功案例1”·取得的成效"),
        ("added", "成功案例"),
        ("removed", "成功案例"),
    }
    assert all(c.section == SECTION_CASES for c in changes)
    assert next(c for c in changes if c.kind == "added").new == "全新的案例（新企业）"
    assert next(c for c in changes if c.kind == "removed").old.startswith("成功案例2")


def test_reordering_cases_is_not_a_change(snapshot):
    new = copy.deepcopy(snapshot)
    new["success_cases"].reverse()
    for position, case in enumerate(new["success_cases"], start=1):
        case["position"] = position

    assert compare_snapshots(snapshot, new) == []


def _file(kind, title, sha):
    return {
        "id": 1,
        "kind": kind,
        "title": title,
        "original_name": "a.pdf",
        "content_type": "application/pdf",
        "size": 1,
        "sha256": sha,
    }


def test_files_are_compared_by_sha256():
    evidence, commitment = Attachment.Kind.EVIDENCE, Attachment.Kind.APPLICANT_COMMITMENT
    old = {
        "attachments": [
            _file(commitment, "承诺书", "a" * 64),
            _file(evidence, "营业执照", "b" * 64),
            _file(evidence, "租赁合同", "c" * 64),
            _file(evidence, "已改名", "d" * 64),
        ]
    }
    new = {
        "attachments": [
            _file(commitment, "承诺书（重新盖章）", "e" * 64),
            _file(evidence, "营业执照", "f" * 64),
            _file(evidence, "获奖证书", "9" * 64),
            _file(evidence, "改名后", "d" * 64),
        ]
    }

    changes = {
        (c.kind, c.old.split("（SHA")[0], c.new.split("（SHA")[0]) for c in compare_snapshots(old, new)
    }

    assert changes == {
        ("replaced", "承诺书", "承诺书（重新盖章）"),
        ("replaced", "营业执照", "营业执照"),
        ("added", EMPTY, "获奖证书"),
        ("removed", "租赁合同", EMPTY),
    }


def test_changes_since_last_review_compares_the_version_the_reviewer_acted_on(world):
    application = world.submitted()
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="请补充。"
    )
    application.refresh_from_db()
    info = application.basic_info
    info.mentor_count = 30
    info.save()
    services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind=Attachment.Kind.APPLICANT_COMMITMENT,
        title="申报单位信用承诺书（盖章）",
        upload=SimpleUploadedFile("c.pdf", blank_pdf("second scan"), content_type="application/pdf"),
    )
    application.refresh_from_db()
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()

    comparison = changes_since_last_review(application, world.supervisor)

    assert (comparison.old_number, comparison.new_number) == (1, 2)
    assert {(c.section, c.label, c.kind) for c in comparison.changes} == {
        (SECTION_BASIC, "创业导师数", "changed"),
        (SECTION_FILES, "申报单位信用承诺书（签字盖章扫描件）", "replaced"),
    }
    assert changes_since_last_review(application, world.recommender) is None


def test_changes_since_last_review_is_none_when_the_reviewer_saw_the_current_version(world):
    application = world.advance(world.submitted(), "forward")

    assert changes_since_last_review(application, world.supervisor) is None


def test_changes_since_last_review_costs_two_queries(world, django_assert_num_queries):
    application = world.submitted()
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="请补充。"
    )
    application.refresh_from_db()
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()

    with django_assert_num_queries(2):
        comparison = changes_since_last_review(application, world.supervisor)

    assert comparison.changes == []


def test_the_partial_renders_changes_without_inline_styles(snapshot):
    new = copy.deepcopy(snapshot)
    new["report"]["space_status"] = "新的现状<script>alert(1)</script>"

    html = render_to_string("applications/_diff.html", {"changes": compare_snapshots(snapshot, new)})

    assert "专业化众创空间现状" in html
    assert "共1处变化" in html
    assert "<script>" not in html
    assert " style=" not in html
    assert "没有变化" in render_to_string("applications/_diff.html", {"changes": []})


def test_the_partial_names_the_versions_it_compares(world):
    comparison = Comparison(1, 2, [Change(SECTION_REPORT, "总体成效", "旧", "新")])

    html = render_to_string(
        "applications/_diff.html", {"changes": comparison.changes, "comparison": comparison}
    )

    assert "第1版 → 第2版" in html
    assert "<del>旧</del>" in html
