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


def _rows(view: str, applications, cells, template: str) -> str:
    """Each application's `<tr>`: its number linked to `view`, then `cells(a)` in `template`'s
    cells, each row a line of the table's body."""
    row = '<tr><td><a href="{}">{}</a></td>' + template + "</tr>"
    return mark_safe(
        "".join(
            f"\n      {format_html(row, row_reverse(view, a.pk), a.number, *cells(a))}\n    "
            for a in applications
        )
    )


_FIVE = "<td>{}</td>" * 5


def _space(application) -> tuple[str, str]:
    """The space's and its operator's names."""
    return application.space.name, application.space.organisation.name


def _minute(value) -> str:
    """`{{ value|minute }}`, the value in the current time zone as the template gave it."""
    return minute(template_localtime(value))


def _supervisor(application) -> str:
    """`{{ a.supervisor.name|default:"—" }}`."""
    return (application.supervisor.name if application.supervisor else "") or "—"


@register.simple_tag
def supervisor_queue_rows(queue):
    """The 主管部门's waiting applications: number (to the detail page), space, operator, batch,
    submitted, deadline."""
    return _rows(
        "reviews:supervisor_detail",
        queue,
        lambda a: (*_space(a), a.batch.title, _minute(a.submitted_at), countdown(a.deadline)),
        _FIVE,
    )


@register.simple_tag
def supervisor_handled_rows(handled):
    """The applications the 主管部门 passed on or returned: number, space, state, updated."""
    return _rows(
        "reviews:supervisor_detail",
        handled,
        lambda a: (a.space.name, a.state, a.get_state_display(), _minute(a.updated_at)),
        '<td>{}</td><td><span class="badge state-{}">{}</span></td><td>{}</td>',
    )


@register.simple_tag
def recommender_queue_rows(queue):
    """The unit's waiting applications: number (to the review), space, operator, supervisor,
    batch, deadline."""
    return _rows(
        "reviews:review",
        queue,
        lambda a: (*_space(a), _supervisor(a), a.batch.title, countdown(a.deadline)),
        _FIVE,
    )
