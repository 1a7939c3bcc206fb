"""English on the applicant's screens (locale/en): the site is Chinese by default; a user who picks
English reads the applicant's journey in English, while official documents and exports stay Chinese."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from makerspace.applications.validators import validate_space_name
from makerspace.documents import content, services
from makerspace.documents.models import Format, Kind

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("english-catalogue")]

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogue():
    """`make test` compiles the catalogue (`make messages`); a bare pytest run compiles it here."""
    po, mo = CATALOGUE / "django.po", CATALOGUE / "django.mo"
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command(
            "compilemessages", locale=["en"], ignore_patterns=[".venv*", "node_modules"], verbosity=0
        )
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


def test_every_marked_string_has_an_english_translation():
    """No entry of the catalogue is empty or fuzzy (a fuzzy entry is not compiled)."""
    entries = (CATALOGUE / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]
    assert len(entries) > 300
    for entry in entries:
        assert "fuzzy" not in entry, entry
        assert re.search(r'^msgstr(\[0\])? "[^"]', entry, re.M), entry


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_language_switch_turns_the_login_page_english_and_back(client):
    assert "忘记密码？" in _page(client, reverse("accounts:login"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    html = _page(client, reverse("accounts:login"))
    assert '<html lang="en">' in html
    assert "Forgot your password?" in html and "Register an operating entity" in html
    assert "忘记密码" not in html and "注册运营主体" not in html
    assert "Specialised Maker Space Filing and Recommendation System" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "忘记密码？" in _page(client, reverse("accounts:login"))


def test_the_registration_form_labels_follow_the_language(client, english):
    html = _page(english, reverse("accounts:register"))
    for text in (
        "Name of the operating entity",
        "Unified social credit code",
        "Nature of the operating entity",
    ):
        assert text in html
    assert "Enterprise (private)" in html  # a Nature choice
    for text in ("运营主体名称", "统一社会信用代码", "运营主体性质", "企业（民营）"):
        assert text not in html


def test_the_registration_form_is_chinese_by_default(client):
    html = _page(client, reverse("accounts:register"))
    assert "运营主体名称" in html and "统一社会信用代码" in html and "企业（民营）" in html
    assert "Name of the operating entity" not in html


def test_the_application_list_in_english(world, english):
    world.draft()
    english.force_login(world.applicant)
    html = _page(english, reverse("applications:list"))
    assert "My applications" in html and "Start a new application" in html
    assert '<span class="badge state-draft">Draft</span>' in html
    assert "我的申报" not in html and "开始新的申报" not in html and ">草稿<" not in html


def test_the_application_list_in_chinese(world, client):
    world.draft()
    client.force_login(world.applicant)
    html = _page(client, reverse("applications:list"))
    assert "我的申报" in html and '<span class="badge state-draft">草稿</span>' in html
    assert "My applications" not in html


def test_the_detail_page_and_its_readiness_panel_in_english(world, english):
    application = world.draft()
    english.force_login(world.applicant)
    html = _page(english, reverse("applications:detail", args=[application.pk]))
    assert "Before you submit" in html
    assert "requirements are not met yet" in html
    assert "Attachment 2, basic information form: please fill in “Date founded”." in html
    assert "Please sign the Applicant&#x27;s Credit Undertaking (Attachment 4)." in html
    assert "Submit the application" in html and "Attachment 2 · Operating entity" in html
    for text in ("提交前检查", "附件2 基础信息表：请填写", "请签署《申报单位信用承诺书》", "提交申报"):
        assert text not in html


def test_the_detail_page_and_its_readiness_panel_in_chinese(world, client):
    application = world.draft()
    client.force_login(world.applicant)
    html = _page(client, reverse("applications:detail", args=[application.pk]))
    assert "提交前检查" in html and "附件2 基础信息表：请填写“成立时间”。" in html
    assert "Before you submit" not in html


def test_an_attachment_2_section_in_english(world, english):
    application = world.draft()
    english.force_login(world.applicant)
    html = _page(english, reverse("applications:basic", args=[application.pk, "builder"]))
    assert "Built by a university?" in html and "Full name of the building university" in html
    assert "Input is saved automatically." in html and ">Save<" in html
    for text in ("是否由高校建立", "建设高校详细名称", "输入会自动保存。", ">保存<"):
        assert text not in html


def test_an_attachment_2_section_in_chinese(world, client):
    application = world.draft()
    client.force_login(world.applicant)
    html = _page(client, reverse("applications:basic", args=[application.pk, "builder"]))
    assert "是否由高校建立" in html and "输入会自动保存。" in html
    assert "Built by a university?" not in html


def test_r2_the_name_refusal_is_in_the_users_language(world, english):
    english.force_login(world.applicant)
    response = english.post(reverse("applications:space_create"), {"name": "测试众创空间"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "must have the form “XXX专业化众创空间”" in html
    assert "众创空间名称需规范为" not in html
    for language, expected in (
        ("zh-hans", "众创空间名称需规范为“XXX专业化众创空间”"),
        ("en", "must have the form"),
    ):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                validate_space_name("测试众创空间")
            assert expected in refused.value.messages[0]


def test_documents_rendered_while_english_is_active_stay_chinese(world):
    from makerspace.documents.tests.helpers import docx_text, squeeze

    submitted = world.submitted()
    with translation.override("en"):
        rendered = services.application_document(
            user=world.applicant, application=submitted, kind=Kind.BASIC_INFO, fmt=Format.DOCX
        )
        assert translation.get_language() == "en"
    text = squeeze(docx_text(rendered.data))
    for label in content.BASIC_INFO_LABELS:
        assert squeeze(label) in text, label
    assert "Date founded" not in text and "Enterprise" not in text


def test_the_summary_export_keeps_chinese_headers_and_labels_under_english(world):
    import io

    from openpyxl import load_workbook

    from makerspace.applications.models import Application
    from makerspace.documents.exports import write_summary

    world.submitted()
    buffer = io.BytesIO()
    with translation.override("en"):
        write_summary(Application.objects.all(), buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "成立时间" in cells and "主管部门审核中" in cells
    assert "Date founded" not in cells and "Under review by the supervising department" not in cells


def test_what_a_transition_stores_stays_chinese_when_the_actor_reads_english(
    world, django_capture_on_commit_callbacks
):
    from makerspace.audit.models import AuditEvent
    from makerspace.notifications.models import Notification

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        application = world.submitted()
    summary = AuditEvent.objects.get(action="application.submit").summary
    assert summary == f"{application.number}：草稿 → 主管部门审核中"
    body = Notification.objects.filter(recipient=world.supervisor).latest("pk").body
    assert "状态：草稿 → 主管部门审核中" in body and "Draft" not in body


def test_the_password_reset_page_and_mail_follow_the_language(world, english, mailoutbox):
    html = _page(english, reverse("accounts:password_reset"))
    assert "Reset password" in html and "找回密码" not in html
    english.post(reverse("accounts:password_reset"), {"email": world.applicant.email})
    message = mailoutbox[0]
    assert message.subject == "Specialised Maker Space Filing and Recommendation System: password reset"
    assert message.body.startswith(f"Hello {world.applicant},")
    assert "您好" not in message.body


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client):
    from django.urls import reverse

    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and "Log in" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Log in" in page
