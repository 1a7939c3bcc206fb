"""The PDF face of every document: an HTML template per document, rendered by WeasyPrint with the
Noto CJK fonts. WeasyPrint is imported inside the functions: it is heavy, and most requests never
render a PDF."""

from django.template.loader import render_to_string

from . import content as c
from .stamp import Stamp


def html_to_pdf(template: str, context: dict, *, css: str = "documents/pdf/print.css") -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    stylesheet = CSS(string=render_to_string(css, context))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


def _marks(stamp: Stamp | None, draft: bool, page_numbers: bool) -> dict:
    return {"stamp": stamp, "draft": draft, "page_numbers": page_numbers}


def basic_info(
    data: dict, stamp: Stamp | None = None, draft: bool = False, page_numbers: bool = True
) -> bytes:
    return html_to_pdf(
        "documents/pdf/basic_info.html",
        {
            "title": "专业化众创空间基础信息表",
            "rows": c.basic_info_rows(data["space"], data["basic_info"]),
            "columns": range(c.TABLE_COLUMNS),
            "widths": c.BASIC_INFO_WIDTHS_CM,
            **_marks(stamp, draft, page_numbers),
        },
    )


def report(data: dict, stamp: Stamp | None = None, draft: bool = False, page_numbers: bool = True) -> bytes:
    outline = [
        {
            "title": chapter,
            "items": [
                {
                    "heading": heading,
                    "cases": field is None,
                    "lines": (data["report"].get(field) or "").splitlines() if field else [],
                }
                for heading, field in items
            ],
        }
        for chapter, items in c.REPORT_OUTLINE
    ]
    cases = [
        {
            "title": case["title"],
            "rows": [
                (caption, c.chinese_date(case[key]) if key == "joined_on" and case[key] else case[key] or "")
                for key, caption in c.CASE_FIELDS
            ],
        }
        for case in data["success_cases"]
    ]
    cover = [
        ("众创空间名称", data["space"]),
        ("运营主体（盖章）", data["organisation"]["name"]),
        ("主管部门", data["supervisor"]),
        ("推荐单位", data["recommending_unit"]),
        ("申报编号", data["number"]),
        ("填报日期", c.chinese_date(data["submitted_at"])),
    ]
    return html_to_pdf(
        "documents/pdf/report.html",
        {
            "title": "国家专业化众创空间备案申报书",
            "cover": cover,
            "outline": outline,
            "cases": cases,
            **_marks(stamp, draft, page_numbers),
        },
    )


def commitment_applicant(
    data: dict, stamp: Stamp | None = None, draft: bool = False, page_numbers: bool = True
) -> bytes:
    signature = c.applicant_signature_lines(data)
    return html_to_pdf(
        "documents/pdf/commitment.html",
        {
            "title": c.APPLICANT_COMMITMENT["title"],
            "text": c.APPLICANT_COMMITMENT,
            "attachment_number": 4,
            "signature": signature,
            **_marks(stamp, draft, page_numbers),
        },
    )


def commitment_supervisor(
    data: dict, stamp: Stamp | None = None, draft: bool = False, page_numbers: bool = True
) -> bytes:
    signature = [line for line in (data["supervisor"], "（公 章）") if line]
    signature.append(c.chinese_date(data["supervisor_signed_at"]))
    return html_to_pdf(
        "documents/pdf/commitment.html",
        {
            "title": c.SUPERVISOR_COMMITMENT["title"],
            "text": c.SUPERVISOR_COMMITMENT,
            "attachment_number": 5,
            "signature": signature,
            **_marks(stamp, draft, page_numbers),
        },
    )


def _letter(letter: dict, stamp, draft, page_numbers) -> bytes:
    rows = [
        {**row, "rank": row[letter["rank_key"]] or index} for index, row in enumerate(letter["rows"], start=1)
    ]
    return html_to_pdf(
        "documents/pdf/letter.html",
        {
            "title": letter["title"],
            "letter": letter,
            "rows": rows,
            "headers": c.LETTER_TABLE_HEADERS,
            "widths": c.LETTER_TABLE_WIDTHS_CM,
            "signed_on": c.chinese_date(letter["signed_at"]),
            **_marks(stamp, draft, page_numbers),
        },
    )


def recommendation_letter(
    data: dict, stamp: Stamp | None = None, draft: bool = False, page_numbers: bool = True
) -> bytes:
    return _letter(c.recommendation_letter_text(data), stamp, draft, page_numbers)


def province_letter(
    data: dict, stamp: Stamp | None = None, draft: bool = False, page_numbers: bool = True
) -> bytes:
    return _letter(c.province_letter_text(data), stamp, draft, page_numbers)


def notice_page(heading: str, lines: list[str]) -> bytes:
    """A page standing in for an uploaded file that cannot be bound in, saying why."""
    return html_to_pdf(
        "documents/pdf/notice_page.html",
        {"title": heading, "heading": heading, "lines": lines, **_marks(None, False, False)},
    )


def package_front(
    cover: list[tuple[str, str]], toc: list[tuple[str, int]], stamp: Stamp | None, draft: bool
) -> bytes:
    return html_to_pdf(
        "documents/pdf/package_front.html",
        {"title": "申报材料合订本", "cover": cover, "toc": toc, **_marks(stamp, draft, False)},
    )


def page_number_overlay(labels: list[tuple[str, bool]]) -> bytes:
    """One A4 page per (page number label, whether the page is an uploaded page of a draft)."""
    return html_to_pdf(
        "documents/pdf/page_numbers.html", {"labels": labels}, css="documents/pdf/page_numbers.css"
    )
