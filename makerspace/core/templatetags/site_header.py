"""`{% site_header %}`: the header of every page (the site's name, the menu, who is signed in with
the inbox, security and sign-out links, and the language switcher), written in Python.

Every page pays for it; the template language spent about 1,500 Python calls on it (seven
translated labels, two CSRF inputs, the languages' loop, each variable looked up node by node),
a third of the signed-in bare view again. The markup is the one base.html wrote
(makerspace/core/tests/test_site_header.py compares the two)."""

from html import escape

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from makerspace.core.templatetags.rows import site_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context):
    # Every value written is a plain string (names, labels from gettext, reversed URLs) and so
    # html.escape gives what the template's autoescape gave; nav_html is already markup.
    request = context.get("request")
    user = context.get("user")
    # {% csrf_token %}'s own node: the page's one masked token (the context's), not another
    # masking of the secret (get_token draws a new random mask on every call).
    token = CsrfTokenNode().render(context)
    if user is not None and user.is_authenticated:
        who = f"{escape(str(user))} · {escape(str(user.display_role))}"
        if user.organisation:
            who += f" · {escape(user.organisation.name)}"
        inbox_url, unread = context.get("inbox_url"), context.get("inbox_unread")
        inbox = ""
        if inbox_url:
            badge = f' <span class="badge">{escape(str(localize(unread)))}</span>' if unread else ""
            inbox = f'<a class="inbox-link" href="{escape(inbox_url)}">{escape(_("通知"))}{badge}</a>'
        box = (
            f'\n        <span class="who">{who}</span>\n'
            f"        {inbox}\n"
            f'        <a class="security-link" href="{escape(site_reverse("security:two_factor"))}">'
            f"{escape(_('账号安全'))}</a>\n"
            f'        <form method="post" action="{escape(site_reverse("accounts:logout"))}" class="inline">'
            f'{token}<button type="submit" class="link">{escape(_("退出"))}</button></form>\n      '
        )
    else:
        box = (
            f'\n        <a href="{escape(site_reverse("accounts:login"))}">{escape(_("登录"))}</a> '
            f'<a href="{escape(site_reverse("accounts:register"))}">{escape(_("注册"))}</a>\n      '
        )
    current = get_language()
    options = "".join(
        f'<option value="{escape(code)}"{" selected" if code == current else ""}>{escape(_(name))}</option>'
        for code, name in settings.LANGUAGES
    )
    path = escape(request.get_full_path()) if request is not None else ""
    return mark_safe(
        '<header class="site-header">\n'
        f'    <a class="brand" href="{escape(site_reverse("public:home"))}">'
        f"{escape(_('专业化众创空间备案推荐系统'))}</a>\n"
        f'    <nav class="main-nav" aria-label="{escape(_("主导航"))}">\n'
        f"      {context.get('nav_html', '')}\n"
        "    </nav>\n"
        '    <div class="user-box">\n'
        f"      {box}\n"
        f'      <form action="{escape(site_reverse("set_language"))}" method="post"'
        f' class="inline lang-switch">{token}\n'
        f'        <input name="next" type="hidden" value="{path}">\n'
        '        <select name="language" aria-label="Language" data-autosubmit>\n'
        "          \n"
        f"          {options}\n"
        "        </select>\n"
        "      </form>\n"
        "    </div>\n"
        "  </header>"
    )
