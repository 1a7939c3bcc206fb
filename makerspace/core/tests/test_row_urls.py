"""`{% row_url %}` gives the URL `{% url %}` gives, for every row's id and under any script prefix."""

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from makerspace.core.templatetags.rows import row_reverse, row_reverse_with, site_reverse

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


@pytest.mark.parametrize("ids", [(1, 2), (42, 918273645546372819 % 10**6), (10**12, 7)])
def test_row_reverse_of_two_ids_is_reverse(ids):
    assert row_reverse("applications:file_download", *ids) == reverse("applications:file_download", args=ids)


def test_site_url_is_reverse_under_another_script_prefix():
    try:
        for prefix in ("/", "/makerspace/"):
            set_script_prefix(prefix)
            for name in ("public:home", "accounts:logout", "set_language", "notifications:inbox"):
                assert site_reverse(name) == reverse(name)
                tag = Template(f"{{% load rows %}}{{% site_url '{name}' %}}")
                assert tag.render(Context()) == reverse(name)
    finally:
        clear_script_prefix()


@pytest.mark.parametrize("kind", ["basic_info", "report", "commitment"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_row_reverse_with_fixed_strings_is_reverse(kind, fmt):
    for pk in (1, 42, 10**12):
        expected = reverse("documents:application_document", args=[pk, kind, fmt])
        assert row_reverse_with("documents:application_document", pk, kind, fmt) == expected
        tag = Template("{% load rows %}{% row_url 'documents:application_document' pk kind fmt %}")
        assert tag.render(Context({"pk": pk, "kind": kind, "fmt": fmt})) == expected
    expected = reverse("applications:basic", args=[7, "scale"])
    assert row_reverse_with("applications:basic", 7, "scale") == expected
