"""The annual report and the evaluation result as .docx and PDF in 附件2's layout (six columns,
label cells shaded), and a round's figures per space as .xlsx. Both faces of a document are drawn
from one list of rows (`documents.content.Cell`), as for 附件2, so they never disagree. Reads only."""

import io

from django.utils import timezone

from makerspace.core.i18n import in_chinese
from makerspace.core.spreadsheets import text_safe
from makerspace.documents import render_docx, render_pdf
from makerspace.documents.content import BASIC_INFO_WIDTHS_CM, TABLE_COLUMNS, Cell, label

from .models import AnnualReport, Evaluation
from .workflow import ReportState


def _value(value) -> str:
    return "" if value is None else str(value)


def _figure_label(name: str) -> str:
    return str(AnnualReport._meta.get_field(name).verbose_name)


def report_rows(report: AnnualReport) -> list[list[Cell]]:
    space = report.filed_space
    rows = [
        [label("众创空间名称"), Cell(space.name, span=3), label("备案编号"), Cell(space.number)],
        [
            label("运营主体"),
            Cell(space.operator_name, span=3),
            label("报告年度"),
            Cell(str(report.round.year)),
        ],
        [label("所在城市"), Cell(space.city), label("专业方向"), Cell(space.field, span=3)],
    ]
    figures = AnnualReport.FIGURES
    for start in range(0, len(figures), 3):
        row = []
        for name in figures[start : start + 3]:
            row += [label(_figure_label(name)), Cell(_value(getattr(report, name)))]
        if len(row) < TABLE_COLUMNS:
            row.append(Cell("", span=TABLE_COLUMNS - len(row)))
        rows.append(row)
    signed = (
        f"{report.signatory}（{timezone.localtime(report.signed_at):%Y年%m月%d日}签署）"
        if report.signed_at
        else ""
    )
    rows.append(
        [
            label("运营主体法人（签字）"),
            Cell(signed, span=2),
            label("状态"),
            Cell(report.get_state_display(), span=2),
        ]
    )
    return rows


def evaluation_rows(evaluation: Evaluation) -> list[list[Cell]]:
    from .evaluations import EXPERT

    space = evaluation.filed_space
    report = evaluation.report
    rows = [
        [label("众创空间名称"), Cell(space.name, span=3), label("备案编号"), Cell(space.number)],
        [
            label("运营主体"),
            Cell(space.operator_name, span=3),
            label("评价年度"),
            Cell(str(evaluation.round.year)),
        ],
        [label("序号"), label("指标", span=2), label("权重"), label("计分来源"), label("数值")],
    ]
    for indicator in evaluation.round.indicators.all():
        value = "专家评分" if indicator.source == EXPERT else _value(getattr(report, indicator.source, None))
        rows.append(
            [
                Cell(str(indicator.position)),
                Cell(indicator.name, span=2),
                Cell(str(indicator.weight)),
                Cell("专家" if indicator.source == EXPERT else _figure_label(indicator.source)),
                Cell(value or "未报"),
            ]
        )
    rows.append(
        [
            label("得分"),
            Cell(_value(evaluation.score), span=2),
            label("等级"),
            Cell(evaluation.get_grade_display(), span=2),
        ]
    )
    return rows


def _docx(title: str, rows, *, draft: bool) -> bytes:
    document = render_docx.new_document(stamp=None, draft=draft)
    render_docx._title(document, title, 18)
    render_docx._grid_table(document, rows, TABLE_COLUMNS, widths=BASIC_INFO_WIDTHS_CM)
    return render_docx._save(document)


def _pdf(title: str, rows, *, draft: bool) -> bytes:
    return render_pdf.html_to_pdf(
        "filed/pdf/table.html",
        {
            "title": title,
            "rows": rows,
            "columns": range(TABLE_COLUMNS),
            "widths": BASIC_INFO_WIDTHS_CM,
            "stamp": None,
            "draft": draft,
            "page_numbers": True,
        },
    )


@in_chinese
def annual_report(report: AnnualReport, fmt: str) -> bytes:
    """A report not yet filed prints as a draft."""
    title = f"{report.round.year}年度专业化众创空间年度报告"
    draft = report.state in (ReportState.DRAFT, ReportState.RETURNED)
    return (_docx if fmt == "docx" else _pdf)(title, report_rows(report), draft=draft)


@in_chinese
def evaluation_result(evaluation: Evaluation, fmt: str) -> bytes:
    title = f"{evaluation.round.year}年度专业化众创空间绩效评价结果"
    draft = evaluation.round.published_at is None
    return (_docx if fmt == "docx" else _pdf)(title, evaluation_rows(evaluation), draft=draft)


@in_chinese
def round_xlsx(report_round, reports) -> bytes:
    """One row per space: its number, name, city, the report's state and every figure."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{report_round.year}年度报告"
    sheet.append(
        [
            "备案编号",
            "众创空间名称",
            "运营主体",
            "所在城市",
            "状态",
            *map(_figure_label, AnnualReport.FIGURES),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, report in enumerate(reports, start=2):
        space = report.filed_space
        sheet.append(
            [
                space.number,
                space.name,
                space.operator_name,
                space.city,
                report.get_state_display(),
                *[
                    None if getattr(report, name) is None else float(getattr(report, name))
                    for name in AnnualReport.FIGURES
                ],
            ]
        )
        for cell in sheet[number]:
            text_safe(cell)
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
