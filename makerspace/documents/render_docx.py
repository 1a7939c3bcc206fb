"""The .docx face of every document (python-docx), in the notice's layout: 宋体 body, 黑体
headings, A4, the 附件 number top left, and the stamp or the 草稿 watermark on every page."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import content as c
from .stamp import Stamp

BODY_FONT, HEADING_FONT = "宋体", "黑体"
WATERMARK_XML = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    "<w:r><w:pict>"
    '<v:shape id="DraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:400pt;height:200pt;rotation:315;'
    "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" '
    'o:allowincell="f" fillcolor="#d0d0d0" stroked="f">'
    '<v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;宋体&quot;;font-size:1pt" string="草稿"/>'
    "</v:shape></w:pict></w:r></w:p>"
)


def _font(run, name: str = BODY_FONT, size: float | None = None, bold: bool = False) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _para(container, text: str = "", *, size=12, bold=False, font=BODY_FONT, align=None, indent=False):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.space_after = Pt(4)
    if text:
        _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    for tag, attrs, text in (
        ("w:fldChar", {"w:fldCharType": "begin"}, None),
        ("w:instrText", {"xml:space": "preserve"}, " PAGE "),
        ("w:fldChar", {"w:fldCharType": "end"}, None),
    ):
        element = OxmlElement(tag)
        for key, val in attrs.items():
            element.set(qn(key), val)
        if text:
            element.text = text
        run._element.append(element)
    _font(run, size=9)


def new_document(*, stamp: Stamp | None, draft: bool, page_numbers: bool = True):
    document = Document()
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.6)
    header = section.header.paragraphs[0]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if draft:
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run("草稿（未提交，仅供核对）")
        _font(run, size=9, bold=True)
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
        section.header._element.append(parse_xml(WATERMARK_XML))
    elif stamp is not None:
        _font(footer.add_run(stamp.line + "　"), size=8)
        footer.add_run().add_picture(io.BytesIO(stamp.qr), width=Cm(1.6))
        footer = section.footer.add_paragraph()
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(footer.add_run(f"扫码或访问 {stamp.url} 核验"), size=7)
    if page_numbers:
        numbers = section.footer.add_paragraph()
        numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(numbers.add_run("第 "), size=9)
        _page_field(numbers)
        _font(numbers.add_run(" 页"), size=9)
    return document


def _attachment_mark(document, number: int) -> None:
    _para(document, f"附件 {number}", size=14, font=HEADING_FONT)


def _title(document, text: str, size: float = 20) -> None:
    _para(document, text, size=size, bold=True, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)


def _cell_text(cell, text: str, *, bold=False, size=10.5) -> None:
    cell.text = ""
    lines = (text or "").split("\n")
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _font(run, BODY_FONT, size, bold)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _shade(cell, fill: str = "F2F2F2") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _grid_table(document, rows: list[list[c.Cell]], columns: int):
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(rows):
        col = 0
        for cell_spec in row:
            cell = table.cell(r, col)
            if cell_spec.span > 1:
                cell = cell.merge(table.cell(r, col + cell_spec.span - 1))
            _cell_text(cell, cell_spec.text, bold=cell_spec.label)
            if cell_spec.label:
                _shade(cell)
            col += cell_spec.span
    return table


def _save(document) -> bytes:
    document.core_properties.author = "专业化众创空间备案推荐系统"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The documents ------------------------------------------------------------------------------


def basic_info(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft)
    _attachment_mark(document, 2)
    _title(document, "专业化众创空间基础信息表", 18)
    _grid_table(document, c.basic_info_rows(data["space"], data["basic_info"]), c.TABLE_COLUMNS)
    return _save(document)


def report(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft)
    _attachment_mark(document, 3)
    for _ in range(4):
        _para(document)
    _title(document, "国家专业化众创空间备案申报书", 24)
    for _ in range(4):
        _para(document)
    cover = [
        ("众创空间名称", data["space"]),
        ("运营主体（盖章）", data["organisation"]["name"]),
        ("主管部门", data["supervisor"]),
        ("推荐单位", data["recommending_unit"]),
        ("申报编号", data["number"]),
        ("填报日期", c.chinese_date(data["submitted_at"])),
    ]
    for caption, text in cover:
        _para(
            document,
            f"{caption}：{text or '________________________'}",
            size=15,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
    document.add_page_break()
    _title(document, "国家专业化众创空间备案申报书", 18)
    for chapter, items in c.REPORT_OUTLINE:
        _para(document, chapter, size=15, font=HEADING_FONT)
        for heading, field in items:
            if heading:
                _para(document, heading, size=13, bold=True)
            if field:
                for line in (data["report"].get(field) or "").splitlines() or [""]:
                    _para(document, line, indent=True)
            else:
                _cases(document, data["success_cases"])
    return _save(document)


def _cases(document, cases: list[dict]) -> None:
    if not cases:
        _para(
            document,
            "（每个案例写明：企业（团队）名称、所属领域、入驻时间、空间提供的服务、取得的成效。）",
            size=10.5,
        )
    for number, case in enumerate(cases, start=1):
        _para(document, f"案例{number}：{case['title']}", bold=True)
        rows = [
            [
                c.label(caption),
                c.value(c.chinese_date(case[key]) if key == "joined_on" and case[key] else case[key]),
            ]
            for key, caption in c.CASE_FIELDS
        ]
        _grid_table(document, rows, 2)
        _para(document)


def _commitment(document, text: dict) -> None:
    _title(document, text["title"], 20)
    _para(document)
    _para(document, text["intro"], size=14, indent=True)
    for clause in text["clauses"]:
        _para(document, clause, size=14, indent=True)
    for _ in range(3):
        _para(document)


def commitment_applicant(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft)
    _attachment_mark(document, 4)
    _commitment(document, c.APPLICANT_COMMITMENT)
    signatory = data["commitment"]["signatory"]
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _para(document, f"运营主体法人（签字或盖章）：{signatory or '　' * 8}", size=14, align=right)
    _para(document)
    _para(document, f"主营主体（公章）：{data['organisation']['name'] or '　' * 8}", size=14, align=right)
    _para(document)
    _para(document, c.chinese_date(data["commitment"]["signed_at"]), size=14, align=right)
    return _save(document)


def commitment_supervisor(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft)
    _attachment_mark(document, 5)
    _commitment(document, c.SUPERVISOR_COMMITMENT)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    if data["supervisor"]:
        _para(document, data["supervisor"], size=14, align=right)
    _para(document, "（公 章）", size=14, align=right)
    _para(document)
    _para(document, c.chinese_date(data["supervisor_signed_at"]), size=14, align=right)
    return _save(document)


def _letter(
    document,
    *,
    title: str,
    addressee: str,
    body: list[str],
    rows: list[dict],
    rank_key: str,
    signer: str,
    signed_at,
    closing: str,
) -> None:
    _title(document, title, 18)
    _para(document)
    _para(document, addressee, size=14)
    for paragraph in body:
        _para(document, paragraph, size=14, indent=True)
    header = [
        c.label("推荐排序"),
        c.label("众创空间名称"),
        c.label("运营主体"),
        c.label("主管部门"),
        c.label("申报编号"),
    ]
    table_rows = [header] + [
        [
            c.value(row[rank_key] or index),
            c.value(row["space"]),
            c.value(row["organisation"]),
            c.value(row["supervisor"]),
            c.value(f"{row['number']}（第{row['version']}版）"),
        ]
        for index, row in enumerate(rows, start=1)
    ]
    _grid_table(document, table_rows, 5)
    _para(document)
    _para(document, closing, size=14, indent=True)
    for _ in range(2):
        _para(document)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _para(document, signer, size=14, align=right)
    _para(document, "（公 章）", size=14, align=right)
    _para(document, c.chinese_date(signed_at), size=14, align=right)


def recommendation_letter(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft)
    _letter(document, **c.recommendation_letter_text(data))
    return _save(document)


def province_letter(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft)
    _letter(document, **c.province_letter_text(data))
    return _save(document)


# 附件1, for the blank forms: the guideline's text as the notice gives it.


def guideline(paragraphs: list[tuple[str, str]]) -> bytes:
    document = new_document(stamp=None, draft=False)
    _attachment_mark(document, 1)
    for kind, text in paragraphs:
        if kind == "title":
            _title(document, text, 20)
        elif kind == "heading":
            _para(document, text, size=15, font=HEADING_FONT)
        else:
            _para(document, text, size=14, indent=True)
    return _save(document)
