"""The .docx face of every document (python-docx), in the notice's layout: 宋体 body, 黑体
headings, A4, the 附件 number top left, and the stamp or the 草稿 watermark on every page.

The letters follow GB/T 9704-2012 (信函格式): 方正小标宋简体 for the organ's mark and the title,
仿宋 (三号) for the text, 黑体 for the 附件 heading. These are the fonts of the official's own PC;
where they are missing (Debian) fontconfig maps them to Noto CJK (docs/documents.md), the fonts
the PDF is set in, so the two faces look alike."""

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import content as c
from .stamp import Stamp

BODY_FONT, HEADING_FONT = "宋体", "黑体"
TITLE_FONT, LETTER_FONT = "方正小标宋简体", "仿宋"
RED = RGBColor(0xE6, 0x00, 0x12)
RED_DRAFT = RGBColor(0xB0, 0x00, 0x00)
# Cell margins in twentieths of a point: room round the text, as the printed form has.
CELL_MARGINS = {"top": 57, "bottom": 57, "left": 85, "right": 85}
WATERMARK_XML = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    "<w:r><w:pict>"
    # The shape type of a text watermark, declared as Word does: LibreOffice draws the text only
    # when the type is defined in the document, and at the size of the shape when fitshape is on.
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="DraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:400pt;height:200pt;rotation:315;'
    "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" '
    'o:allowincell="f" fillcolor="#d0d0d0" stroked="f">'
    '<v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;黑体&quot;;font-size:96pt" on="t" fitshape="t" trim="t" '
    'string="草稿"/>'
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


def _page_field(paragraph, field: str = "PAGE") -> None:
    run = paragraph.add_run()
    for tag, attrs, text in (
        ("w:fldChar", {"w:fldCharType": "begin"}, None),
        ("w:instrText", {"xml:space": "preserve"}, f" {field} "),
        ("w:fldChar", {"w:fldCharType": "end"}, None),
    ):
        element = OxmlElement(tag)
        for key, val in attrs.items():
            element.set(qn(key), val)
        if text:
            element.text = text
        run._element.append(element)
    _font(run, size=9)


def new_document(*, stamp: Stamp | None, draft: bool, page_numbers: bool = True, letter: bool = False):
    document = Document()
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if letter:  # GB/T 9704-2012 5.2.1: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    else:
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.6)
    if draft:
        _draft_header(section.header)
    _footer(section, section.footer, stamp=None if draft else stamp, page_numbers=page_numbers)
    return document


def _draft_header(header) -> None:
    """草稿 at the top right and the page-sized watermark, on every page the header serves."""
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run("草稿（未提交，仅供核对）")
    _font(run, size=9, bold=True)
    run.font.color.rgb = RED_DRAFT
    header._element.append(parse_xml(WATERMARK_XML))


def _footer(section, footer, *, stamp: Stamp | None, page_numbers: bool) -> None:
    """The PDF's footer in one borderless row: the QR code and its two lines on the left,
    第 1 页 / 共 2 页 on the right."""
    if stamp is None and not page_numbers:
        return
    width = (section.page_width - section.left_margin - section.right_margin) / Cm(1)
    table = footer.add_table(rows=1, cols=3, width=Cm(width))
    _fixed_layout(table, [1.9, width - 1.9 - 3.4, 3.4])
    # A footer ends with a paragraph: the row goes before the one it starts with, which is kept
    # empty and small.
    spacer = footer.paragraphs[0]
    spacer._p.addprevious(table._tbl)
    spacer.paragraph_format.space_after = Pt(0)
    _font(spacer.add_run(), size=2)
    qr, lines, numbers = table.rows[0].cells
    for cell in (qr, lines, numbers):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    if stamp is not None:
        qr.paragraphs[0].add_run().add_picture(io.BytesIO(stamp.qr), width=Cm(1.5))
        _font(lines.paragraphs[0].add_run(stamp.line), size=7.5)
        more = lines.add_paragraph()
        more.paragraph_format.space_after = Pt(0)
        _font(more.add_run(f"扫码或访问 {stamp.url} 核验"), size=7.5)
    if page_numbers:
        paragraph = numbers.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(paragraph.add_run("第 "), size=8.5)
        _page_field(paragraph)
        _font(paragraph.add_run(" 页 / 共 "), size=8.5)  # as the PDF: 第 1 页 / 共 2 页
        _page_field(paragraph, "NUMPAGES")
        _font(paragraph.add_run(" 页"), size=8.5)


def _cover_page(document, section, *, stamp: Stamp | None, draft: bool) -> None:
    """The first page is a cover: as in the PDF, it carries the stamp but no page number."""
    section.different_first_page_header_footer = True
    if draft:
        _draft_header(section.first_page_header)
    _footer(section, section.first_page_footer, stamp=None if draft else stamp, page_numbers=False)


def _attachment_mark(document, number: int) -> None:
    _para(document, f"附件 {number}", size=14, font=HEADING_FONT)


def _title(document, text: str, size: float = 20) -> None:
    _para(document, text, size=size, bold=True, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)


def _cell_text(cell, text: str, *, bold=False, size=10.5, center=False) -> None:
    cell.text = ""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = (text or "").split("\n")
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _font(run, HEADING_FONT if bold else BODY_FONT, size, bold)  # labels as the PDF's 黑体 th
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _shade(cell, fill: str = "F2F2F2") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _fixed_layout(table, widths_cm: list[float]) -> None:
    """Fixed column widths and cell margins: without them Word and LibreOffice share the width out
    evenly, and a label column is as narrow as a number's."""
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side, twips in CELL_MARGINS.items():
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _min_height(row, height_cm: float) -> None:
    row.height = Cm(height_cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _no_wrap(cell) -> None:
    cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))


def _grid_table(
    document,
    rows: list[list[c.Cell]],
    columns: int,
    *,
    widths: list[float] | None = None,
    row_height: float = 0.8,
):
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, widths or [c.TEXT_WIDTH_CM / columns] * columns)
    for r, row in enumerate(rows):
        _min_height(table.rows[r], row_height)
        col = 0
        for cell_spec in row:
            cell = table.cell(r, col)
            if cell_spec.span > 1:
                cell = cell.merge(table.cell(r, col + cell_spec.span - 1))
            _cell_text(cell, cell_spec.text, bold=cell_spec.label, center=cell_spec.label)
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
    blank = not data["number"]  # a blank form leaves room to write by hand
    _grid_table(
        document,
        c.basic_info_rows(data["space"], data["basic_info"]),
        c.TABLE_COLUMNS,
        widths=c.BASIC_INFO_WIDTHS_CM,
        row_height=c.BLANK_ROW_CM if blank else 0.8,
    )
    return _save(document)


def report(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft)
    _cover_page(document, document.sections[0], stamp=stamp, draft=draft)
    _attachment_mark(document, 3)
    for _ in range(6):  # the PDF's 5 cm above the title and 3 cm below it
        _para(document)
    _title(document, "国家专业化众创空间备案申报书", 24)
    for _ in range(3):
        _para(document)
    cover = [
        ("众创空间名称", data["space"]),
        ("运营主体（盖章）", data["organisation"]["name"]),
        ("主管部门", data["supervisor"]),
        ("推荐单位", data["recommending_unit"]),
        ("申报编号", data["number"]),
        ("填报日期", c.chinese_date(data["submitted_at"])),
    ]
    _cover_fields(document, cover)
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


def _cover_fields(document, fields: list[tuple[str, str]]) -> None:
    """The cover's captions and their values on ruled lines, 80 % of the text width, as the PDF."""
    width = c.TEXT_WIDTH_CM * 0.8
    table = document.add_table(rows=len(fields), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, [width * 0.45, width * 0.55])  # room for 运营主体（盖章）：
    for row, (caption, text) in zip(table.rows, fields, strict=True):
        _min_height(row, 1.1)
        _cell_text(row.cells[0], f"{caption}：", size=15)
        _cell_text(row.cells[1], text or "", size=15)
        borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        row.cells[1]._tc.get_or_add_tcPr().append(borders)


def _cases(document, cases: list[dict]) -> None:
    if not cases:
        _para(
            document,
            "（每个案例写明：企业（团队）名称、所属领域、入驻时间、空间提供的服务、取得的成效。）",
            size=10.5,
        )
    for number, case in enumerate(cases, start=1):
        heading = _para(document, f"案例{number}：{case['title']}", bold=True)
        heading.paragraph_format.keep_with_next = True
        rows = [
            [
                c.label(caption),
                c.value(c.chinese_date(case[key]) if key == "joined_on" and case[key] else case[key]),
            ]
            for key, caption in c.CASE_FIELDS
        ]
        table = _grid_table(document, rows, 2, widths=c.CASE_WIDTHS_CM)
        for row in table.rows[:-1]:  # the case is never split over two pages
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
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
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for line in c.applicant_signature_lines(data):
        _para(document, line, size=14, align=right)
        _para(document)
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


def _letter_para(container, text: str = "", *, indent=True, align=None, size=16, font=LETTER_FONT):
    """GB/T 9704 text: 三号仿宋, 28-point lines (22 lines a page), first line indented two characters."""
    paragraph = _para(container, text, size=size, font=font, align=align, indent=indent)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(28)
    return paragraph


def _rule(document, *, double: bool = False, color: str = "E60012") -> None:
    """A full-width line under a paragraph: the red separator under the organ's mark, or the 版记's."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(6)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thinThickSmallGap" if double else "single")
    bottom.set(qn("w:sz"), "24" if double else "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _letter(document, letter: dict) -> None:
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    mark = _para(document, letter["organ"], size=30, font=TITLE_FONT, align=centre)
    mark.runs[0].font.color.rgb = RED
    mark.paragraph_format.space_after = Pt(0)
    _rule(document, double=True)
    if letter["letter_number"]:
        number = _letter_para(document, letter["letter_number"], indent=False, align=right)
        number.paragraph_format.space_after = Pt(14)  # the PDF's margins round the title
    title = _para(document, align=centre)
    title.paragraph_format.space_before = Pt(14)
    title.paragraph_format.space_after = Pt(28)
    for index, line in enumerate(letter["title_lines"]):
        run = title.add_run(line)
        _font(run, TITLE_FONT, 22)
        if index < len(letter["title_lines"]) - 1:
            run.add_break(WD_BREAK.LINE)
    title.paragraph_format.line_spacing = Pt(35)
    _letter_para(document, letter["addressee"], indent=False)
    for paragraph in letter["body"]:
        _letter_para(document, paragraph)
    header = [c.label(text) for text in c.LETTER_TABLE_HEADERS]
    table_rows = [header] + [
        [
            c.value(row[letter["rank_key"]] or index),
            c.value(row["space"]),
            c.value(row["organisation"]),
            c.value(row["supervisor"]),
            c.value(f"{row['number']}\n（第{row['version']}版）"),
        ]
        for index, row in enumerate(letter["rows"], start=1)
    ]
    table = _grid_table(document, table_rows, len(header), widths=c.LETTER_TABLE_WIDTHS_CM, row_height=0.9)
    for row in table.rows:  # rank and number centred, the number never broken (as the PDF)
        _no_wrap(row.cells[-1])
        for cell in (row.cells[0], row.cells[-1]):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _letter_para(document, letter["closing"])
    _letter_para(document)
    for number, attachment in enumerate(letter["attachments"], start=1):
        prefix = "附件：" if number == 1 else "　　　"
        _letter_para(document, f"{prefix}{number}. {attachment}")
    _letter_para(document)
    _letter_para(document)
    _letter_para(document, f"{letter['signer']}　　", indent=False, align=right)
    _letter_para(document, f"{c.chinese_date(letter['signed_at'])}　　", indent=False, align=right)
    if letter["note"]:
        _letter_para(document, letter["note"])
    if letter["cc"]:
        _letter_para(document)
        _rule(document, color="000000")
        _letter_para(document, letter["cc"], size=14, indent=False)
        _rule(document, color="000000")


def recommendation_letter(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft, letter=True)
    _letter(document, c.recommendation_letter_text(data))
    return _save(document)


def province_letter(data: dict, stamp: Stamp | None = None, draft: bool = False) -> bytes:
    document = new_document(stamp=stamp, draft=draft, letter=True)
    _letter(document, c.province_letter_text(data))
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
