"""The header's menu: each role's entries, the current page marked, the inbox's unread count."""

import pytest
from django.urls import reverse

from makerspace.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _menu(html: str) -> str:
    start = html.index('<nav class="main-nav"')
    return html[start : html.index("</nav>", start)]


def test_the_applicants_menu_marks_the_page_it_is_on(client, world):
    client.force_login(world.applicant)
    applicant_client = client
    menu = _menu(applicant_client.get(reverse("applications:list")).content.decode())
    assert f'<a href="{reverse("applications:list")}" aria-current="page">我的申报</a>' in menu
    assert f'<a href="{reverse("core:home")}">工作台</a>' in menu
    assert menu.count("aria-current") == 1
    assert reverse("reviews:supervisor_queue") not in menu


def test_a_reviewers_menu_has_its_queue_and_the_inbox_counts_unread(client, world):
    client.force_login(world.supervisor)
    Notification.objects.create(recipient=world.supervisor, kind="info", title="待审核", body="")
    html = client.get(reverse("reviews:supervisor_queue")).content.decode()
    menu = _menu(html)
    assert f'<a href="{reverse("reviews:supervisor_queue")}" aria-current="page">待审核申报</a>' in menu
    assert f'<a href="{reverse("core:home")}">工作台</a>' in menu
    assert reverse("applications:list") not in menu
    assert f'href="{reverse("notifications:inbox")}">通知 <span class="badge">1</span>' in html


def test_the_menu_kept_per_process_follows_the_language_and_the_role(client, world, settings):
    client.force_login(world.applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _menu(client.get(reverse("applications:list")).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = _menu(client.get(reverse("applications:list")).content.decode())
    assert "首页" in chinese and "首页" not in english
    client.force_login(world.supervisor)
    menu = _menu(client.get(reverse("reviews:supervisor_queue")).content.decode())
    assert reverse("reviews:supervisor_queue") in menu and reverse("applications:list") not in menu
    assert reverse("documents:hub") in menu
