"""No page carries inline script, inline style or inline event handlers: the Content-Security-Policy
forbids them, so they would silently stop working. Every page the URL walk reaches with a 200 is
checked, as every role that reaches it."""

import logging
import re

import pytest
from django.urls import reverse

from makerspace.core.tests.factories import World

from .test_url_permissions import EXPECTED, _entries
from .url_walk import OK, Objects, default_kwargs, walk

# A json_script element (type="application/json") is data the browser never runs, so the policy
# allows it: the statistics pages hand their chart numbers to static/js/stats.js that way.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.IGNORECASE
)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def inline_markup(html: str) -> list[str]:
    found = []
    for label, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("style= attribute", INLINE_STYLE),
        ("inline event handler", INLINE_HANDLER),
        ("<style> element", STYLE_ELEMENT),
    ]:
        match = pattern.search(html)
        if match:
            found.append(f"{label}: {html[match.start() : match.start() + 80]!r}")
    return found


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script src="/static/js/site.js" defer></script>', []),
        ("<script>alert(1)</script>", ["inline <script>"]),
        ('<script id="d" type="application/json">{"a": 1}</script>', []),
        ('<script type="text/javascript">alert(1)</script>', ["inline <script>"]),
        ('<p style="color:red">x</p>', ["style= attribute"]),
        ('<button onclick="go()">x</button>', ["inline event handler"]),
        ("<style>p{}</style>", ["<style> element"]),
        ("<p>online 在线 style 说明</p>", []),
    ],
)
def test_the_detector_finds_what_it_must(html, expected):
    assert [problem.split(":")[0] for problem in inline_markup(html)] == expected


@pytest.mark.django_db
def test_no_page_has_inline_script_style_or_handlers(client, world):
    objects = Objects(world, World())
    users = objects.users()
    problems = []
    request_log = logging.getLogger("django.request")
    previous = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        for route in walk():
            if route.name not in EXPECTED:
                continue
            for entry in _entries(route.name):
                roles = [role for role, status in entry.expect.items() if status == OK]
                if not roles:
                    continue
                url = reverse(route.name, kwargs=default_kwargs(route.keys, entry, objects)) + entry.query
                for role in roles:
                    client.logout()
                    if users[role] is not None:
                        client.force_login(users[role])
                    response = client.get(url)
                    if "text/html" not in response.get("Content-Type", ""):
                        continue
                    problems += [f"{url} as {role}: {p}" for p in inline_markup(response.content.decode())]
    finally:
        request_log.setLevel(previous)
    assert not problems, "\n".join(problems)
