"""`{% row_url "app:view" pk %}`: the URL of one row's view, as `{% url "app:view" pk %}` gives it,
without resolving the pattern again for every row. A list page names the same view once per row
(50 rows, two or three links each); the pattern is reversed once per process with a placeholder id
and the row's id put in its place."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

# An id no table reaches, so that the placeholder cannot be mistaken for another part of the URL.
_PLACEHOLDER = 918273645546372819
_patterns: dict[tuple, str] = {}


def row_reverse(view_name: str, pk) -> str:
    """reverse(view_name, args=[pk]) for a view that takes one integer id."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), view_name)
    pattern = _patterns.get(key)
    if pattern is None:
        pattern = _patterns[key] = reverse(view_name, args=[_PLACEHOLDER])
    return pattern.replace(str(_PLACEHOLDER), str(int(pk)), 1)


@register.simple_tag
def row_url(view_name: str, pk) -> str:
    return row_reverse(view_name, pk)
