"""`{% application_header %}` writes what applications/_header.html wrote as a template: the same
markup, byte for byte, for a draft with its tabs, a submitted version without a supervisor, names
with markup in them, and a reviewer's page (no tabs), in both languages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from makerspace.applications.views import _tabs

# applications/_header.html as it was, the reference the tag must match.
REFERENCE = """{% load i18n rows %}<header class="card">
  <h1>{{ application.space.name }} <span class="badge state-{{ application.state }}">{{ application.get_state_display }}</span></h1>
  <dl class="facts">
    <dt>{% translate "申报编号" %}</dt><dd>{{ application.number }}</dd>
    <dt>{% translate "申报批次" %}</dt><dd>{{ application.batch.title }}</dd>
    <dt>{% translate "运营主体" %}</dt><dd>{{ application.space.organisation.name }}</dd>
    <dt>{% translate "推荐单位" %}</dt><dd>{{ application.recommending_unit.name }}</dd>
    <dt>{% translate "主管部门" %}</dt><dd>{% if application.supervisor %}{{ application.supervisor.name }}{% else %}{% translate "尚待推荐单位添加" %}{% endif %}</dd>
    {% if application.current_version %}<dt>{% translate "当前版本" %}</dt><dd>{% blocktranslate with n=application.current_version %}第{{ n }}版{% endblocktranslate %}</dd>{% endif %}
    <dt>{% translate "历史" %}</dt><dd><a href="{% row_url 'audit:application_history' application.pk %}">{% translate "完整的流转与操作历史" %}</a></dd>
  </dl>
</header>
<nav class="tabs" aria-label="{% translate "申报各部分" %}">
  {% for key, label, url in tabs %}<a href="{{ url }}"{% if key == active_tab %} aria-current="page"{% endif %}>{{ label }}</a>{% endfor %}
</nav>
"""  # noqa: E501


def _both(context: dict) -> tuple[str, str]:
    tag = Template("{% load application_header %}{% application_header application tabs active_tab %}\n")
    return tag.render(Context(context)), Template(REFERENCE).render(Context(context))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tag_writes_the_templates_markup(world, language):
    draft = world.draft(name="甲&乙<丙>专业化众创空间")
    draft.batch.title = '批次 "2026" & <一>'
    draft.recommending_unit.name = "推荐<单位>"
    submitted = world.draft()
    submitted.supervisor = None
    submitted.current_version = 3
    with translation.override(language):
        cases = [
            {"application": draft, "tabs": _tabs(draft), "active_tab": "basic-scale"},
            {"application": draft, "tabs": _tabs(draft), "active_tab": "overview"},
            {"application": submitted, "tabs": _tabs(submitted), "active_tab": "overview"},
            {"application": submitted},  # a reviewer's page: no tabs
        ]
        for context in cases:
            tag, reference = _both(context)
            assert tag == reference
    assert "甲&amp;乙&lt;丙&gt;" in _both(cases[0])[0]
    assert "第3版" in _both(cases[2])[0]


def test_a_states_label_is_read_in_the_language_of_each_request(world):
    """The labels are kept per language (workflow.state_label): one language's never shows in
    another's page."""
    from makerspace.applications.workflow import state_label

    draft = world.draft()
    for _round in range(2):
        with translation.override("en"):
            assert state_label(draft) == "Draft"
        with translation.override("zh-hans"):
            assert state_label(draft) == "草稿"
