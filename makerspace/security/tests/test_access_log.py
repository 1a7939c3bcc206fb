"""ASVS 7.2.2: a refused access is logged with who asked, so an operator can find it."""

import json
import logging

import pytest
from django.urls import reverse

from makerspace.core.logs import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestContextFilter())
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def lines():
    handler = Lines()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_a_refused_access_is_logged_with_the_user_and_the_request_id(client, world, lines):
    client.force_login(world.applicant)
    response = client.get(reverse("credit:register"))
    assert response.status_code == 403
    (line,) = [entry for entry in lines if "/credit/" in entry["message"]]
    assert line["level"] == "WARNING"
    assert line["user_id"] == world.applicant.pk
    assert line["request_id"] == response["X-Request-ID"]


def test_an_allowed_page_logs_nothing(client, world, lines):
    client.force_login(world.applicant)
    assert client.get(reverse("applications:list")).status_code == 200
    assert lines == []
