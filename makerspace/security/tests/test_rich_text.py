"""附件3 text is sanitised on input (nh3) and escaped on output: XSS payloads never come back
as markup."""

import pytest

from makerspace.security.sanitize import clean_text

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">点我</a>',
    "<iframe src=//evil.example></iframe>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<<script>script>alert(1)<</script>/script>",
    '<p style="background:url(javascript:alert(1))" onclick="x()">段落</p>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_text_leaves_no_active_markup(payload):
    cleaned = clean_text(payload).lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<iframe",
        "<img",
        "<svg",
        "style=",
    ):
        assert needle not in cleaned, cleaned


def test_plain_text_reads_as_typed_and_the_allow_list_stays():
    assert clean_text("面积>100㎡，R&D投入<5%") == "面积>100㎡，R&D投入<5%"
    assert clean_text("<p>一</p><ul><li>二</li></ul><strong>三</strong><br>") == (
        "<p>一</p><ul><li>二</li></ul><strong>三</strong><br>"
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_report_chapters_are_stored_clean_and_shown_escaped(client, world, payload):
    application = world.draft()
    client.force_login(world.applicant)
    url = f"/applications/{application.pk}/report/"
    client.post(url, {"builder_overview": f"介绍{payload}结束", "space_status": "现状"})
    application.report.refresh_from_db()
    stored = application.report.builder_overview
    assert stored.startswith("介绍") and stored.endswith("结束")
    assert "<script" not in stored.lower() and "onerror" not in stored.lower()
    page = client.get(url).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_a_success_case_with_markup_only_is_refused_as_empty_and_titles_are_escaped(client, world):
    application = world.draft()
    client.force_login(world.applicant)
    url = f"/applications/{application.pk}/cases/"
    case = {
        "enterprise_name": "某公司",
        "field": "生物医药",
        "joined_on": "2020-01-01",
        "services": "<b onmouseover=alert(1)>服务</b>",
        "results": "成效",
    }
    refused = client.post(url, {**case, "title": "<script>alert(1)</script>"})
    assert refused.status_code == 200
    assert not application.success_cases.exists()
    client.post(url, {**case, "title": "案例<strong>一</strong>"})
    saved = application.success_cases.get()
    assert saved.services == "服务"
    listing = client.get(url).content.decode()
    assert "案例&lt;strong&gt;一&lt;/strong&gt;" in listing
