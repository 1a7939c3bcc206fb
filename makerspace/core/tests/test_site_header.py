"""`{% site_header %}` writes what base.html's header wrote as a template: the same markup, byte
for byte but the CSRF token's random mask, signed in (with and without an organisation, with and
without unread notifications) or not, in both languages, on a path with markup in its query."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from makerspace.notifications.models import Notification

# base.html's header as it was, the reference the tag must match.
REFERENCE = """{% load i18n rows %}{% get_current_language as LANGUAGE_CODE %}  <header class="site-header">
    <a class="brand" href="{% site_url 'public:home' %}">{% translate "专业化众创空间备案推荐系统" %}</a>
    <nav class="main-nav" aria-label="{% translate "主导航" %}">
      {{ nav_html }}
    </nav>
    <div class="user-box">
      {% if user.is_authenticated %}
        <span class="who">{{ user }} · {{ user.display_role }}{% if user.organisation %} · {{ user.organisation.name }}{% endif %}</span>
        {% if inbox_url %}<a class="inbox-link" href="{{ inbox_url }}">{% translate "通知" %}{% if inbox_unread %} <span class="badge">{{ inbox_unread }}</span>{% endif %}</a>{% endif %}
        <a class="security-link" href="{% site_url 'security:two_factor' %}">{% translate "账号安全" %}</a>
        <form method="post" action="{% site_url 'accounts:logout' %}" class="inline">{% csrf_token %}<button type="submit" class="link">{% translate "退出" %}</button></form>
      {% else %}
        <a href="{% site_url 'accounts:login' %}">{% translate "登录" %}</a> <a href="{% site_url 'accounts:register' %}">{% translate "注册" %}</a>
      {% endif %}
      <form action="{% site_url 'set_language' %}" method="post" class="inline lang-switch">{% csrf_token %}
        <input name="next" type="hidden" value="{{ request.get_full_path }}">
        <select name="language" aria-label="Language" data-autosubmit>
          {% get_available_languages as LANGUAGES %}
          {% for code, name in LANGUAGES %}<option value="{{ code }}"{% if code == LANGUAGE_CODE %} selected{% endif %}>{{ name }}</option>{% endfor %}
        </select>
      </form>
    </div>
  </header>"""  # noqa: E501


def _rendered(source: str, user, path: str) -> str:
    request = RequestFactory().get(path)
    request.user = user
    html = engines["django"].from_string(source).render({}, request)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="X"', html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tag_writes_the_templates_markup(world, language):
    Notification.objects.create(recipient=world.applicant, kind="info", title="待办", body="")
    world.applicant.full_name = "张<三> & 李"
    users = [world.applicant, world.supervisor, world.expert, AnonymousUser()]
    path = '/applications/?q=<b>"x"&kind=evidence'
    with translation.override(language):
        for user in users:
            tag = _rendered("{% load site_header %}  {% site_header %}", user, path)
            assert tag == _rendered(REFERENCE, user, path), user
    applicants = _rendered("{% load site_header %}  {% site_header %}", world.applicant, path)
    assert '<span class="badge">1</span>' in applicants
    assert "张&lt;三&gt; &amp; 李" in applicants
    assert '&amp;kind=evidence">' in applicants
    assert world.expert.organisation is None
