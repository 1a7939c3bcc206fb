"""The file lists of the overview and of the files page, rendered in Python.

An application gathers dozens of files, and the template language costs about 600 Python calls
per row of the overview's table (the kind's display, the download URL, two filters, each variable
looked up node by node), and about 1,200 per row of the files page's (a remove form each): with 33
files that was more than half of the applicant's most requested page on the deadline day, and three
quarters of the page an upload returns to. The markup is the one the templates wrote; the labels are
translated once per page."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from makerspace.applications.models import Attachment
from makerspace.core.templatetags.dates import minute
from makerspace.core.templatetags.rows import row_reverse
from makerspace.core.widgets import conditional_escape as _e

register = template.Library()


@register.simple_tag
def attachment_rows(application, attachments):
    """One `<tr>` per file: its kind, its title linked to the download, its size and digest."""
    labels = _kind_labels()
    return mark_safe(
        "\n".join(
            f'<tr><td>{_e(labels.get(a.kind, a.kind))}</td><td><a href="'
            f'{_e(row_reverse("applications:file_download", application.pk, a.pk))}">{_e(a.title)}</a></td>'
            f"<td>{_e(filesizeformat(a.size))}</td><td><code>{_e(_digest(a.sha256))}</code></td></tr>"
            for a in attachments
        )
    )


@register.simple_tag(takes_context=True)
def removable_attachment_rows(context, application, attachments):
    """One `<tr>` per file on the files page: kind, title linked to the download, the name it was
    uploaded under, size, upload time, and a remove button for the applicant's own kinds."""
    labels = _kind_labels()
    token = CsrfTokenNode().render(context)  # the page's masked token, not a new masking
    confirm, remove = _e(_("确定移除该材料吗？")), _e(_("移除"))

    def remove_form(a):
        if a.kind not in Attachment.APPLICANT_KINDS:
            return ""
        action = _e(row_reverse("applications:file_remove", application.pk, a.pk))
        return (
            f'<form method="post" action="{action}" class="inline">{token}'
            f'<button type="submit" class="link" data-confirm="{confirm}">{remove}</button></form>'
        )

    return mark_safe(
        "\n".join(
            f'<tr><td>{_e(labels.get(a.kind, a.kind))}</td><td><a href="'
            f'{_e(row_reverse("applications:file_download", application.pk, a.pk))}">{_e(a.title)}</a></td>'
            f"<td>{_e(a.original_name)}</td><td>{_e(filesizeformat(a.size))}</td>"
            f"<td>{_e(minute(timezone.localtime(a.uploaded_at)))}</td><td>{remove_form(a)}</td></tr>"
            for a in attachments
        )
    )


def _kind_labels() -> dict[str, str]:
    """Each kind's label in the request's language, translated once per table."""
    return {value: str(label) for value, label in Attachment.Kind.choices}


def _digest(sha256: str) -> str:
    """The digest's first 16 characters and an ellipsis, as `truncatechars:17` shows it."""
    return sha256 if len(sha256) <= 17 else f"{sha256[:16]}…"
