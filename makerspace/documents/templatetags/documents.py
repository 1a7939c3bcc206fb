"""`{% application_downloads application versions %}`: the download block of the overview (附件2–5
in Word and PDF, the package, earlier versions), written in Python.

The overview is the applicant's most requested page on the deadline day, and the block cost the
template language about 1,800 Python calls (an inclusion template, eleven reversed links, each
variable looked up node by node). The markup is the one documents/_application_downloads.html wrote
(makerspace/documents/tests/test_downloads_block.py compares the two)."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

from makerspace.core.templatetags.rows import row_reverse, row_reverse_with, site_reverse
from makerspace.core.widgets import conditional_escape as _e
from makerspace.documents.models import APPLICATION_KINDS, Kind

register = template.Library()


def _document(pk: int, kind: str, fmt: str) -> str:
    return row_reverse_with("documents:application_document", pk, kind, fmt)


@register.simple_tag(takes_context=True)
def application_downloads(context, application, versions=()):
    pk = application.pk
    if application.is_editable or not application.current_version:
        note = "当前为草稿，生成的文件带“草稿”水印，仅供核对。"
    else:
        note = (
            f"以下为第{_e(application.current_version)}版的正式文件，页脚印有申报编号、版本和验证码，"
            f'可在<a href="{_e(site_reverse("documents:verify_index"))}">文件真伪核验</a>页面核对。'
        )
    rows = "".join(
        f'\n      <tr><td>{_e(Kind(kind).label)}</td><td><a href="{_e(_document(pk, kind.value, "docx"))}">'
        f'Word</a> · <a href="{_e(_document(pk, kind.value, "pdf"))}">PDF</a></td></tr>\n    '
        for kind in APPLICATION_KINDS
    )
    history = ""
    if versions:
        basic_info = _e(_document(pk, "basic_info", "pdf"))
        report = _e(_document(pk, "report", "pdf"))
        shown = "；".join(
            f'第{_e(v.number)}版 <a href="{basic_info}?version={_e(v.number)}">附件2</a> '
            f'<a href="{report}?version={_e(v.number)}">附件3</a>'
            for v in versions
        )
        history = f'<p class="muted">历史版本：{shown}</p>'
    return mark_safe(
        '<section class="card" id="documents">\n'
        "  <h2>申报材料下载</h2>\n"
        f'  <p class="muted">{note}</p>\n'
        "  <table>\n"
        f"    <tbody>\n    {rows}\n    </tbody>\n"
        "  </table>\n"
        f'  <form method="post" action="{_e(row_reverse("documents:package_build", pk))}" class="inline"'
        f" data-once>{CsrfTokenNode().render(context)}\n"
        '    <div class="actions"><button type="submit">生成申报材料合订本（PDF）</button></div>\n'
        "  </form>\n"
        f"  {history}\n"
        "</section>\n"
    )
