"""What several browser journeys do the same way."""

from playwright.sync_api import Page

from makerspace.core.demo import DEMO_PASSWORD


def log_in(new_page, user) -> Page:
    """A fresh browser (own cookies) for one party, logged in through the login form."""
    page = new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page
