"""The statistics pages in a real browser: every chart is drawn (a canvas with pixels on it, the map
of Jiangsu included), no request leaves the site and the Content-Security-Policy reports nothing.

With STATS_SHOTS=<folder> set, a full-page screenshot of each dashboard is saved there."""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from makerspace.core.demo import DEMO_PASSWORD
from makerspace.stats.tests.conftest import Scene

pytestmark = pytest.mark.django_db(transaction=True)

# (role, path, charts expected drawn)
DASHBOARDS = [
    ("province", "/stats/batch/", True),
    ("acceptance", "/stats/batch/", True),
    ("recommender", "/stats/jurisdiction/", True),
    ("supervisor", "/stats/jurisdiction/", True),
    ("applicant", "/stats/progress/", False),
    ("ministry", "/stats/filed/", True),
    ("province", "/stats/trends/", True),
    ("anonymous", "/stats/public/", True),
]

# Any pixel of the canvas that is not transparent: the chart drew something.
DRAWN = """el => {
  const canvas = el.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) return false;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
  return false;
}"""


def test_every_dashboard_draws_its_charts_from_the_site_alone(new_page, live_server, settings):
    settings.STATS_CACHE_SECONDS = 0
    scene = Scene()
    users = scene.users()
    site = urlparse(live_server.url).netloc
    shots = os.environ.get("STATS_SHOTS")
    for role, path, with_charts in DASHBOARDS:
        page = new_page()
        page.set_viewport_size({"width": 1400, "height": 1000})
        outside, violations = [], []
        page.on(
            "request",
            lambda request, bad=outside: (
                bad.append(request.url)
                if urlparse(request.url).netloc not in (site, "") and not request.url.startswith("data:")
                else None
            ),
        )
        page.on(
            "console",
            lambda message, bad=violations: (
                bad.append(message.text)
                if "Content Security Policy" in message.text or "Refused to" in message.text
                else None
            ),
        )
        if role != "anonymous":
            page.goto("/accounts/login/")
            page.fill("#id_username", users[role].username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(path)
        charts = page.locator("[data-chart]")
        if with_charts:
            assert charts.count() > 0, f"{role} {path}: no chart"
            expect(page.locator('[data-chart]:not([data-drawn="1"])')).to_have_count(0, timeout=15_000)
            for i in range(charts.count()):
                assert charts.nth(i).evaluate(DRAWN), f"{role} {path}: chart {i} left blank"
        else:
            expect(page.locator(".timeline").first).to_be_visible()
        if path == "/stats/batch/" or path == "/stats/public/":
            assert page.locator('[data-chart-type="map"] canvas').count() == 1
        assert not outside, f"{role} {path}: requests left the site: {outside}"
        assert not violations, f"{role} {path}: {violations}"
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(Path(shots) / f"{role}-{path.strip('/').replace('/', '-')}.png"), full_page=True
            )
