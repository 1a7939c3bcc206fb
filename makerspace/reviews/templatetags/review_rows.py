"""The reviewers' queues' rows, rendered in Python.

A queue shows a page of 50 applications, and the template language costs some 150 to 250 Python
calls per row of a queue's table (each variable looked up node by node, the link, the filters):
on the supervisor's queue, whose two tables show up to 100 rows, that was a third of the page. The
markup is the one the templates wrote, their white space too (each row begins a line of the
table's body); the tables' empty rows stay in the templates."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from makerspace.core.templatetags.dates import countdown, minute
from makerspace.core.templatetags.rows import row_reverse

register = template.Library()


def _lines(rows) -> str:
    return mark_safe("".join(f"\n      {row}\n    " for row in rows))


@register.simple_tag
def supervisor_queue_rows(queue):
    """The 主管部门's waiting applications: number (to the detail page), space, operator, batch,
    submitted, deadline."""
    return _lines(
        format_html(
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            row_reverse("reviews:supervisor_detail", a.pk),
            a.number,
            a.space.name,
            a.space.organisation.name,
            a.batch.title,
            minute(template_localtime(a.submitted_at)),
            countdown(a.deadline),
        )
        for a in queue
    )


@register.simple_tag
def supervisor_handled_rows(handled):
    """The applications the 主管部门 passed on or returned: number, space, state, updated."""
    return _lines(
        format_html(
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td><span class="badge state-{}">{}</span></td>'
            "<td>{}</td></tr>",
            row_reverse("reviews:supervisor_detail", a.pk),
            a.number,
            a.space.name,
            a.state,
            a.get_state_display(),
            minute(template_localtime(a.updated_at)),
        )
        for a in handled
    )


@register.simple_tag
def recommender_queue_rows(queue):
    """The unit's waiting applications: number (to the review), space, operator, supervisor,
    batch, deadline."""
    return _lines(
        format_html(
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            row_reverse("reviews:review", a.pk),
            a.number,
            a.space.name,
            a.space.organisation.name,
            (a.supervisor.name if a.supervisor else "") or "—",
            a.batch.title,
            countdown(a.deadline),
        )
        for a in queue
    )
