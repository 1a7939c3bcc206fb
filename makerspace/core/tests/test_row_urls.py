"""`{% row_url %}` gives the URL `{% url %}` gives, for every row's id and under any script prefix."""

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from makerspace.core.templatetags.rows import row_reverse

VIEWS = ["reviews:supervisor_detail", "reviews:review", "reviews:province_select", "credit:disqualify"]


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("pk", [1, 7, 42, 918273645546372819 % 10**6, 10**12])
def test_row_reverse_is_reverse(view_name, pk):
    assert row_reverse(view_name, pk) == reverse(view_name, args=[pk])


def test_the_tag_renders_as_the_url_tag_does_under_another_script_prefix():
    source = "{% load rows %}{% for pk in ids %}{% row_url 'reviews:review' pk %}|{% endfor %}"
    expected = "{% for pk in ids %}{% url 'reviews:review' pk %}|{% endfor %}"
    try:
        for prefix in ("/", "/makerspace/"):
            set_script_prefix(prefix)
            context = {"ids": [3, 30, 300]}
            ours = Template(source).render(Context(context))
            assert ours == Template(expected).render(Context(context))
            assert ours.startswith(prefix)
    finally:
        clear_script_prefix()
