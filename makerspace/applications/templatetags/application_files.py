"""The overview page's file list, rendered in Python.

An application gathers dozens of files, and the template language costs about 600 Python calls
per row of this table (the kind's display, the download URL, two filters, each variable looked up
node by node): with 33 files that was more than half of the applicant's most requested page on the
deadline day. The markup is the one the template wrote; the labels are translated once per page."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html_join

from makerspace.applications.models import Attachment
from makerspace.core.templatetags.rows import row_reverse

register = template.Library()


@register.simple_tag
def attachment_rows(application, attachments):
    """One `<tr>` per file: its kind, its title linked to the download, its size and digest."""
    labels = {value: str(label) for value, label in Attachment.Kind.choices}
    return format_html_join(
        "\n",
        '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td><code>{}</code></td></tr>',
        (
            (
                labels.get(a.kind, a.kind),
                row_reverse("applications:file_download", application.pk, a.pk),
                a.title,
                filesizeformat(a.size),
                _digest(a.sha256),
            )
            for a in attachments
        ),
    )


def _digest(sha256: str) -> str:
    """The digest's first 16 characters and an ellipsis, as `truncatechars:17` shows it."""
    return sha256 if len(sha256) <= 17 else f"{sha256[:16]}…"
