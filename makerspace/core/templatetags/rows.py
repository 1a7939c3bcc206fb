"""`{% row_url "app:view" pk %}`: the URL of one row's view, as `{% url "app:view" pk %}` gives it,
without resolving the pattern again for every row. A list page names the same view once per row
(50 rows, two or three links each); the pattern is reversed once per process with placeholder ids
and the row's ids put in their places. `{% site_url "app:view" %}` is the same for a view without
arguments (the header's links, the menu), reversed once per process."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

# Ids no table reaches, none a part of another, so that a placeholder cannot be mistaken for
# another part of the URL.
_PLACEHOLDERS = (918273645546372819, 827364554637281991, 736455463728199182)
_patterns: dict[tuple, str] = {}
# For a page that keeps its own pattern of URLs (the applicant's tabs).
ROW_PLACEHOLDER = _PLACEHOLDERS[0]


def row_reverse(view_name: str, *pks) -> str:
    """reverse(view_name, args=pks) for a view that takes integer ids (at most three)."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), view_name, len(pks))
    url = _patterns.get(key)
    if url is None:
        url = _patterns[key] = reverse(view_name, args=_PLACEHOLDERS[: len(pks)])
    for placeholder, pk in zip(_PLACEHOLDERS, pks, strict=False):
        url = url.replace(str(placeholder), str(int(pk)), 1)
    return url


def row_reverser(view_name: str):
    """A function of one row's id giving row_reverse(view_name, pk): the pattern found once for a
    table's rows, each row's URL then the two halves around its id (for rows written in Python)."""
    head, tail = row_reverse(view_name, _PLACEHOLDERS[0]).split(str(_PLACEHOLDERS[0]), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"


def row_reverse_with(view_name: str, *args) -> str:
    """row_reverse for a view that also takes fixed strings (a kind, a format): each string is a
    part of the pattern kept, each id a placeholder."""
    shape = tuple(arg if isinstance(arg, str) else None for arg in args)
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), view_name, shape)
    url = _patterns.get(key)
    if url is None:
        placeholders = iter(_PLACEHOLDERS)
        url = _patterns[key] = reverse(
            view_name, args=[arg if arg is not None else next(placeholders) for arg in shape]
        )
    pks = [arg for arg in args if not isinstance(arg, str)]
    for placeholder, pk in zip(_PLACEHOLDERS, pks, strict=False):
        url = url.replace(str(placeholder), str(int(pk)), 1)
    return url


def site_reverse(view_name: str) -> str:
    """reverse(view_name) for a view without arguments, once per process."""
    return row_reverse(view_name)


@register.simple_tag
def row_url(view_name: str, *args) -> str:
    if any(isinstance(arg, str) for arg in args):
        return row_reverse_with(view_name, *args)
    return row_reverse(view_name, *args)


@register.simple_tag
def site_url(view_name: str) -> str:
    return site_reverse(view_name)
