"""Dates as the list pages print them on every row, without Django's date formatter per value.

`{% countdown deadline %}` is the deadline's `<time data-countdown>` (site.js counts it down) and
`{{ value|minute }}` is `{{ value|date:"Y-m-d H:i" }}`. Both formats are fixed (no month names,
nothing translated), so a datetime's fields give them directly; the `date` filter parses its format
and looks up the language's settings for each value (a queue of 50 rows prints 150 of them). Any
other value (None, a date) goes to the `date` filter itself. tests/test_dates.py compares both with
the `date` filter."""

from datetime import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.timezone import template_localtime

register = template.Library()


@register.filter(expects_localtime=True)
def minute(value) -> str:
    """`value|date:"Y-m-d H:i"`."""
    if isinstance(value, datetime):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    return date_filter(value, "Y-m-d H:i")


@register.simple_tag
def countdown(deadline) -> str:
    """The deadline as `<time data-countdown datetime="{{ deadline|date:'c' }}" class="countdown">`,
    `{{ deadline|date:"Y年n月j日 H:i" }}` inside, and the newline after it that the pages printed
    from their include before."""
    local = template_localtime(deadline)
    if isinstance(local, datetime):
        iso = local.isoformat()
        text = f"{local.year:04d}年{local.month}月{local.day}日 {local.hour:02d}:{local.minute:02d}"
    else:
        iso, text = date_filter(local, "c"), date_filter(local, "Y年n月j日 H:i")
    return format_html('<time data-countdown datetime="{}" class="countdown">{}</time>\n', iso, text)
