"""`{% application_header application tabs active_tab %}`: the card at the top of every page of an
application (applicant's and reviewers' alike) and the applicant's tabs, written in Python.

It is on every applicant page of the deadline rush, and the template language spent about 2,200
Python calls on it (eight translated labels, each variable looked up node by node, a loop over
eleven tabs). The markup is the one applications/_header.html wrote
(makerspace/applications/tests/test_application_header.py compares the two)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from makerspace.core.context_processors import CURRENT
from makerspace.core.templatetags.rows import row_reverse

register = template.Library()


@register.simple_tag
def application_header(application, tabs=(), active_tab=""):
    # Every value shown is a plain string (names from the database, labels from gettext), so
    # html.escape gives what conditional_escape gave, at a fraction of the calls.
    space, supervisor, version = application.space, application.supervisor, application.current_version
    shown_version = (
        f"<dt>{escape(_('当前版本'))}</dt><dd>{escape(_('第%(n)s版') % {'n': version})}</dd>"
        if version
        else ""
    )
    links = "".join(
        f'<a href="{escape(url)}"{CURRENT if key == active_tab else ""}>{escape(label)}</a>'
        for key, label, url in tabs or ()
    )
    return mark_safe(
        '<header class="card">\n'
        f'  <h1>{escape(space.name)} <span class="badge state-{escape(application.state)}">'
        f"{escape(application.get_state_display())}</span></h1>\n"
        '  <dl class="facts">\n'
        f"    <dt>{escape(_('申报编号'))}</dt><dd>{escape(str(application.number))}</dd>\n"
        f"    <dt>{escape(_('申报批次'))}</dt><dd>{escape(application.batch.title)}</dd>\n"
        f"    <dt>{escape(_('运营主体'))}</dt><dd>{escape(space.organisation.name)}</dd>\n"
        f"    <dt>{escape(_('推荐单位'))}</dt><dd>{escape(application.recommending_unit.name)}</dd>\n"
        f"    <dt>{escape(_('主管部门'))}</dt>"
        f"<dd>{escape(supervisor.name if supervisor else _('尚待推荐单位添加'))}</dd>\n"
        f"    {shown_version}\n"
        f'    <dt>{escape(_("历史"))}</dt><dd><a href="'
        f'{escape(row_reverse("audit:application_history", application.pk))}">'
        f"{escape(_('完整的流转与操作历史'))}</a></dd>\n"
        "  </dl>\n"
        "</header>\n"
        f'<nav class="tabs" aria-label="{escape(_("申报各部分"))}">\n'
        f"  {links}\n"
        "</nav>"
    )
