"""`{% form_field %}` writes what templates/includes/field.html wrote as a template: the same
markup for every kind of field, bound or not, with help, errors and markup in labels."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe

from makerspace.core.tests.test_widgets import Everything

# templates/includes/field.html as it was, the reference the tag must match.
REFERENCE = """<div class="field{% if field.errors %} has-error{% endif %}{% if field.field.required %} required{% endif %}" id="field-{{ field.html_name }}">
  {% if field.widget_type == 'checkbox' %}
    <label>{{ field }} {{ field.label }}</label>
  {% else %}
    <label for="{{ field.id_for_label }}">{{ field.label }}</label>
    {{ field }}
  {% endif %}
  {% if field.help_text %}<small class="help">{{ field.help_text|safe }}</small>{% endif %}
  {% for error in field.errors %}<p class="error" role="alert">{{ error }}</p>{% endfor %}
</div>"""  # noqa: E501


class Marked(forms.Form):
    title = forms.CharField(label="名称<必填>", help_text=mark_safe("见<a href='#x'>说明</a>"), max_length=3)
    agree = forms.BooleanField(label="同意 & 承诺", help_text="勾选")
    count = forms.IntegerField(required=False, label="数量")

    def clean(self):
        raise forms.ValidationError("整表错误 <b>")


def _same_markup(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize(
    "form",
    [
        Everything(),
        Everything({"name": "", "count": "x<y", "agree": "on", "city": "nj"}),
        Marked(),
        Marked({"title": "超过三个字", "count": "-"}),
    ],
    ids=["unbound", "bound with errors", "markup in labels and help", "markup with errors"],
)
def test_the_tag_writes_the_templates_markup(form):
    reference, tag = Template(REFERENCE), Template("{% load fields %}{% form_field field %}")
    for field in form.visible_fields():
        context = Context({"field": field})
        assert _same_markup(tag.render(context)) == _same_markup(reference.render(context)), field.name
    assert form.is_bound is False or any(field.errors for field in form.visible_fields())
