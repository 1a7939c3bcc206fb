"""Issue 15: the anonymous 异议 form has a rate limit, a size quota and a challenge; anonymous
uploads are refused by their declared size before the body is read."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from makerspace.core.demo import blank_pdf
from makerspace.publicity.models import Objection
from makerspace.publicity.tests.test_publicity import ranked, start
from makerspace.security.challenge import solve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _notice_url(world):
    ranked(world)
    return reverse("publicity:notice_detail", args=[start(world).pk])


def _answered(client, url, **data) -> dict:
    """The form as a person fills it: the page's question answered."""
    form = client.get(url).context["form"]
    token = form["challenge"].value()
    return {
        "name": "李某",
        "phone": "13812345678",
        "content": "该空间公共服务面积明显夸大，请核查。",
        "challenge": token,
        "challenge_answer": solve(token),
        **data,
    }


def test_the_objection_form_asks_a_question_a_script_does_not_answer(client, world):
    url = _notice_url(world)
    html = client.get(url).content.decode()
    assert 'name="challenge"' in html and "验证问题：" in html and "等于多少" in html
    data = _answered(client, url)
    wrong = data["challenge_answer"] + 1
    for missing in ({"challenge_answer": ""}, {"challenge": ""}, {"challenge_answer": wrong}):
        response = client.post(url, {**data, **missing})
        assert response.status_code == 400
        assert response.context["form"].errors["challenge_answer"]
    assert not Objection.objects.exists()
    assert client.post(url, data).status_code == 302
    assert Objection.objects.count() == 1


def test_an_answered_question_cannot_be_replayed(client, world):
    url = _notice_url(world)
    data = _answered(client, url)
    assert client.post(url, data).status_code == 302
    replay = client.post(url, data)
    assert replay.status_code == 400
    assert replay.context["form"].errors["challenge_answer"] == ["验证问题已使用过，请回答新的问题。"]
    assert Objection.objects.count() == 1


def test_the_objection_form_is_rate_limited_per_address(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": "3/h"}
    url = _notice_url(world)
    for _ in range(3):
        assert client.post(url, _answered(client, url)).status_code == 302
    refused = client.post(url, _answered(client, url))
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
    assert Objection.objects.count() == 3
    other = client.post(url, _answered(client, url), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_objection_text_and_attachment_have_a_quota(client, world, settings):
    url = _notice_url(world)
    long_text = client.post(url, _answered(client, url, content="夸" * 5001))
    assert long_text.status_code == 400
    assert long_text.context["form"].errors["content"] == ["异议内容不能超过5000字。"]
    settings.OBJECTION_MAX_ATTACHMENT_BYTES = 400
    pdf = blank_pdf("现场照片")
    assert len(pdf) > 400
    big = client.post(url, _answered(client, url, attachment=SimpleUploadedFile("a.pdf", pdf)))
    assert big.status_code == 400
    assert "附件不能超过" in big.context["form"].errors["attachment"][0]
    assert not Objection.objects.exists()


@pytest.mark.parametrize("url", ["/documents/verify/", "/documents/verify/7K3M-Q9TX-2HWD/"])
def test_an_anonymous_upload_is_refused_by_its_declared_size_before_it_is_read(client, db, url):
    response = client.generic(
        "POST",
        url,
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "不能超过20 MB" in response.content.decode()


def test_the_verify_upload_is_rate_limited(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify_upload": "2/h"}
    for _ in range(2):
        response = client.post("/documents/verify/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
        assert response.status_code == 200
    response = client.post("/documents/verify/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert response.status_code == 429
