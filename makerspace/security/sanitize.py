"""User text is sanitised on input (nh3) and escaped on output (Django autoescape).

The chapters of 附件3 and the success cases are plain text. Markup outside a tiny allow-list is
stripped, and entities are decoded again afterwards so the stored value reads as the applicant
typed it ("面积>100㎡" stays as is) and is never double-escaped on output. Cleaning repeats until
nothing changes, so markup hidden behind entities ("&lt;script&gt;") is stripped too.
"""

import html

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
MAX_ROUNDS = 10


def clean_text(value: str) -> str:
    for _ in range(MAX_ROUNDS):
        cleaned = html.unescape(nh3.clean(value, tags=ALLOWED_TAGS, attributes={}, url_schemes=set()))
        if cleaned == value:
            break
        value = cleaned
    return value


def clean_fields(data: dict, names) -> dict:
    """Sanitise the named string values of a form's cleaned_data in place."""
    for name in names:
        if isinstance(data.get(name), str):
            data[name] = clean_text(data[name])
    return data
