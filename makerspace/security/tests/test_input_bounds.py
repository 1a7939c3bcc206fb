"""Issue 15: huge numbers in forms are refused next to the field instead of a 500, and the debug
pages never reach a client that is not on this machine."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def test_a_huge_rank_number_is_refused_next_to_the_field_not_a_500(client, world):
    application = world.recommended()
    client.force_login(world.recommender)
    url = reverse("reviews:recommender_ranks", args=[world.batch.pk])
    response = client.post(url, {f"rank_{application.pk}": HUGE})
    assert response.status_code == 400
    assert response.context["ranks_form"].errors[f"rank_{application.pk}"] == ["排序不能超过9999。"]


def test_a_huge_publicity_period_is_refused_next_to_the_field(client, world):
    client.force_login(world.province)
    response = client.post(
        reverse("publicity:province_home"),
        {
            "batch": world.batch.pk,
            "title": "公示",
            "body": "说明",
            "contact": "高新处",
            "starts_on": "2026-12-01",
            "working_days": HUGE,
        },
    )
    assert response.status_code in (200, 400)
    assert "working_days" in response.context["form"].errors


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "203.0.113.9"])
def test_debug_pages_are_never_served_to_a_non_loopback_address(settings, db, monkeypatch, address):
    settings.DEBUG = True
    from makerspace.documents import services

    def broken(number):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "blank_form", broken)
    client = Client(raise_request_exception=False, REMOTE_ADDR=address)
    failed = client.get(reverse("documents:blank_form", args=[1]))
    assert failed.status_code == 500
    assert b"SECRET_KEY" not in failed.content and b"Traceback" not in failed.content
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert b"URLconf" not in missing.content
    not_found = client.get(reverse("documents:blank_form", args=[9]))
    assert not_found.status_code == 404 and b"URLconf" not in not_found.content


def test_debug_pages_still_help_a_developer_on_this_machine(settings, db, monkeypatch):
    settings.DEBUG = True
    from makerspace.documents import services

    monkeypatch.setattr(services, "blank_form", lambda number: (_ for _ in ()).throw(RuntimeError("boom")))
    client = Client(raise_request_exception=False, REMOTE_ADDR="127.0.0.1")
    assert b"Traceback" in client.get(reverse("documents:blank_form", args=[1])).content
