"""The annual report and the evaluation result as .docx/PDF in 附件2's layout; a round's figures
as .xlsx, scoped to what the reader may see."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from makerspace.core.tests.factories import World, make_expert
from makerspace.documents.tests.helpers import docx_text
from makerspace.filed import documents, evaluations

from .helpers import FIGURES, filed, open_round, report_of, submitted, task

pytestmark = pytest.mark.django_db


def test_the_annual_report_docx_carries_every_figure_and_the_signature(world):
    report = submitted(task(world), world.applicant)
    text = docx_text(documents.annual_report(report, "docx"))
    assert report.filed_space.name in text and report.filed_space.number in text
    assert "在孵企业数" in text and str(FIGURES["incubated_enterprises"]) in text
    assert "王法人" in text
    assert "草稿" not in text


def test_an_unfiled_report_prints_as_a_draft_and_the_pdf_renders(world):
    report = task(world)
    assert "草稿" in docx_text(documents.annual_report(report, "docx"))
    assert documents.annual_report(report, "pdf").startswith(b"%PDF")


def test_the_evaluation_result_lists_the_indicators_score_and_grade(world, client):
    filed_space = filed(world)
    report_round = open_round(world)
    report = submitted(report_of(report_round, filed_space), world.applicant)
    evaluation_round = evaluations.evaluation_round_create(user=world.province, report_round=report_round)
    evaluation = evaluation_round.evaluations.select_related("filed_space__application", "report").get()
    for n in range(3):
        expert = make_expert(world, organisation_name=f"评审大学{n}", city="外省")
        evaluations.expert_score_record(user=expert, evaluation=evaluation, score=Decimal(80))
    evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)
    url = reverse("filed:evaluation_document", args=[evaluation.pk, "docx"])
    client.force_login(world.applicant)
    assert client.get(url).status_code == 404  # not published yet: not the operator's to see
    evaluations.evaluation_round_publish(user=world.province, evaluation_round=evaluation_round)

    response = client.get(url)
    text = docx_text(b"".join(response.streaming_content))
    assert "在孵企业规模" in text and "专家评分" in text
    assert "A（优秀）" in text and report.filed_space.name in text


def test_the_round_figures_xlsx_holds_one_row_per_visible_space(world, client):
    from openpyxl import load_workbook

    mine = filed(world)
    other = World(batch=world.batch)
    theirs = filed(other)
    report_round = open_round(world)
    submitted(report_of(report_round, mine), world.applicant)

    def rows(user):
        client.force_login(user)
        response = client.get(reverse("filed:round_export", args=[report_round.pk]))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]

    province_rows = rows(world.province)
    assert {row[0] for row in province_rows} == {mine.number, theirs.number}
    unit_rows = rows(world.recommender)
    assert [row[0] for row in unit_rows] == [mine.number]
    assert unit_rows[0][4] == "推荐单位审核中"
    assert unit_rows[0][5:] == [float(FIGURES[name]) for name in FIGURES]
