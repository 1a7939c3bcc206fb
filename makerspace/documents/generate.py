"""Which renderer makes which document, and the data each is made from."""

from collections.abc import Callable

from makerspace.applications.models import Application, ApplicationVersion

from . import content as c
from . import render_docx, render_pdf
from .models import Format, Kind

RENDERERS: dict[tuple[str, str], Callable[..., bytes]] = {
    (kind, Format.DOCX): getattr(render_docx, kind)
    for kind in (
        Kind.BASIC_INFO,
        Kind.REPORT,
        Kind.COMMITMENT_APPLICANT,
        Kind.COMMITMENT_SUPERVISOR,
        Kind.RECOMMENDATION_LETTER,
        Kind.PROVINCE_LETTER,
    )
} | {
    (kind, Format.PDF): getattr(render_pdf, kind)
    for kind in (
        Kind.BASIC_INFO,
        Kind.REPORT,
        Kind.COMMITMENT_APPLICANT,
        Kind.COMMITMENT_SUPERVISOR,
        Kind.RECOMMENDATION_LETTER,
        Kind.PROVINCE_LETTER,
    )
}

SHORT_NAMES = {
    Kind.BASIC_INFO: "附件2-基础信息表",
    Kind.REPORT: "附件3-备案申报书",
    Kind.COMMITMENT_APPLICANT: "附件4-申报单位信用承诺书",
    Kind.COMMITMENT_SUPERVISOR: "附件5-主管部门信用承诺书",
    Kind.RECOMMENDATION_LETTER: "推荐函",
    Kind.PROVINCE_LETTER: "省科技厅推荐函",
    Kind.PACKAGE: "申报材料合订本",
}


def renderer(kind: str, fmt: str) -> Callable[..., bytes]:
    try:
        return RENDERERS[(kind, fmt)]
    except KeyError:
        raise ValueError(f"不支持的文件类型或格式：{kind} / {fmt}") from None


def version_to_render(application: Application, number: int | None) -> ApplicationVersion | None:
    """The frozen version a document is made from; None means the live draft.

    Without a number: the live draft while the application can still be edited (it is what the
    applicant is working on), otherwise the latest submitted version."""
    if number is not None:
        return application.versions.get(number=number)
    if application.is_editable or not application.current_version:
        return None
    return application.versions.get(number=application.current_version)


def application_reference(data: dict) -> str:
    return f"申报编号 {data['number']} · 第{data['version']}版"


def application_filename(data: dict, kind: str, fmt: str) -> str:
    version = f"第{data['version']}版" if data["version"] else "草稿"
    return f"{data['number']}-{SHORT_NAMES[kind]}-{version}.{fmt}"


def letter_filename(data: dict, kind: str, fmt: str) -> str:
    who = data.get("unit", "江苏省科学技术厅")
    state = "" if data["final"] else "-草稿"
    return f"{data['batch_year']}-{who}-{SHORT_NAMES[kind]}{state}.{fmt}"


def application_content(application: Application, version: ApplicationVersion | None) -> dict:
    return c.application_content(application, version)
