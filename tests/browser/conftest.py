"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium. Every test here is
marked `browser` (deselect with `-m "not browser"`) and runs in one xdist group, so the journeys
never compete for the two cores with each other.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("BROWSER_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture
def browser(monkeypatch):
    """A fresh Chromium per test: Playwright's sync API runs an event loop in this thread, which
    Django's ORM would refuse to run beside; allowing it only for the test's own duration keeps
    that check active for every other test of the worker."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # The connection the journey's queries opened (in this thread, while Playwright's
            # event loop ran) was seen open to the end of the session, nothing else closing it:
            # PostgreSQL then could not drop the test database.
            connections.close_all()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies: one per role when several act)."""
    contexts = []
    problems: list[str] = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", lambda dialog: dialog.accept())
        # A script error, a CSP violation, a missing static file or a server error is a bug of
        # the page. (Chromium asks for /favicon.ico on its own; that 404 is not the page's.)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type}: {message.text}")
                if message.type == "error" and not message.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                problems.append(f"{response.status} {response.url}")
                if response.status >= 500 or (response.status == 404 and "/static/" in response.url)
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()
