"""Signing, submitting, being returned, resubmitting and withdrawing, as the applicant sees them."""

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from makerspace.applications import services
from makerspace.applications.models import ApplicationVersion
from makerspace.applications.tests.helpers import field_errors, messages_of
from makerspace.applications.workflow import State
from makerspace.batches.models import Batch

pytestmark = pytest.mark.django_db


def submit(client, application, follow=False):
    return client.post(reverse("applications:submit", args=[application.pk]), follow=follow)


def detail(client, application):
    return client.get(reverse("applications:detail", args=[application.pk]))


def test_two_posts_to_the_submit_url_make_one_version(applicant_client, world):
    application = world.complete_draft()
    first = submit(applicant_client, application, follow=True)
    assert "已提交第1版" in " ".join(messages_of(first))
    second = submit(applicant_client, application, follow=True)
    assert "无需重复提交" in " ".join(messages_of(second))
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR


def test_an_incomplete_application_is_refused_with_the_rule(applicant_client, world):
    application = world.draft()
    response = submit(applicant_client, application, follow=True)
    assert any(m.startswith("（R") and "项要求未满足" in m for m in messages_of(response))
    assert not application.versions.exists()


def test_r4_unsigned_the_submit_button_is_disabled_and_the_post_refused(applicant_client, world):
    application = world.complete_draft()
    application.commitment_signed_at = None
    application.save(update_fields=["commitment_signed_at"])
    page = lxml.html.fromstring(detail(applicant_client, application).content.decode())
    (button,) = page.xpath("//form[contains(@action, '/submit/')]//button")
    assert button.get("disabled") is not None
    assert "请签署《申报单位信用承诺书》（附件4）" in page.text_content()
    response = submit(applicant_client, application, follow=True)
    assert any(m.startswith("（R4）") for m in messages_of(response))


def test_r5_after_the_deadline_the_button_is_disabled_and_the_post_refused(applicant_client, world):
    application = world.complete_draft()
    Batch.objects.filter(pk=world.batch.pk).update(applicant_deadline=timezone.now() - timedelta(seconds=5))
    page = lxml.html.fromstring(detail(applicant_client, application).content.decode())
    (button,) = page.xpath("//form[contains(@action, '/submit/')]//button")
    assert button.get("disabled") is not None
    assert "已截止" in page.text_content()
    response = submit(applicant_client, application, follow=True)
    assert any(m.startswith("（R5）") and "以服务器时间为准" in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_signing_on_the_commitment_page(applicant_client, world):
    application = world.complete_draft()
    url = reverse("applications:commitment", args=[application.pk])
    response = applicant_client.post(url, {"signatory": "王建国"})
    assert field_errors(response, "agree") == ["请阅读并勾选承诺内容。"]
    response = applicant_client.post(url, {"signatory": "王建国", "agree": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.commitment_signatory == "王建国"
    assert application.commitment_signed_by == world.applicant


def test_return_comment_edit_resign_and_resubmit_make_version_2(applicant_client, world):
    application = world.complete_draft()
    submit(applicant_client, application)
    application.refresh_from_db()
    services.application_transition(
        user=world.supervisor,
        application=application,
        name="return_to_applicant",
        comment="请补充入驻企业名单，并核对公共服务场地面积。",
    )
    page = detail(applicant_client, application)
    html = page.content.decode()
    assert "请补充入驻企业名单，并核对公共服务场地面积。" in html
    assert page.context["can_change"]
    document = lxml.html.fromstring(html)
    (returned,) = document.xpath('//*[@id="returned"]')
    assert "请补充入驻企业名单" in returned.text_content()
    assert world.supervisor.organisation.name in returned.text_content()

    response = applicant_client.post(
        reverse("applications:basic", args=[application.pk, "scale"]),
        {
            "team_size": "18",
            "team_college_count": "16",
            "mentor_count": "25",
            "floor_area": "12000",
            "public_area": "3000",
            "angel_fund": "5000",
            "resident_projects": "46",
            "resident_enterprises": "38",
            "events_held": "60",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert not application.is_signed
    refused = submit(applicant_client, application, follow=True)
    assert any(m.startswith("（R4）") for m in messages_of(refused))

    applicant_client.post(
        reverse("applications:commitment", args=[application.pk]), {"signatory": "王建国", "agree": "on"}
    )
    response = submit(applicant_client, application, follow=True)
    assert "已提交第2版" in " ".join(messages_of(response))
    version_1, version_2 = application.versions.order_by("number")
    assert version_1.data["basic_info"]["public_area"] == "3500.00"
    assert version_2.data["basic_info"]["public_area"] == "3000.00"
    # once submitted again, the return notice gives way to the new state
    assert not lxml.html.fromstring(detail(applicant_client, application).content.decode()).xpath(
        '//*[@id="returned"]'
    )


def test_withdraw_with_a_reason_before_the_ministry_stage(applicant_client, world):
    application = world.submitted()
    page = detail(applicant_client, application)
    assert page.context["can_withdraw"]
    url = reverse("applications:withdraw", args=[application.pk])
    response = applicant_client.post(url, {"comment": ""})
    assert field_errors(response, "comment")
    response = applicant_client.post(url, {"comment": "场地搬迁，本年度不再申报"}, follow=True)
    assert "申报已撤回。" in messages_of(response)
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert "场地搬迁，本年度不再申报" in response.content.decode()


def test_no_withdrawal_once_the_ministry_has_it(applicant_client, world):
    application = world.submitted()
    world.advance(application, "forward", "recommend", "deliver", "receive", "pass_formal_review", "select")
    page = detail(applicant_client, application)
    assert not page.context["can_withdraw"]
    assert reverse("applications:withdraw", args=[application.pk]) not in page.content.decode()
    response = applicant_client.get(reverse("applications:withdraw", args=[application.pk]), follow=True)
    assert "已不能撤回" in " ".join(messages_of(response))
    response = applicant_client.post(
        reverse("applications:withdraw", args=[application.pk]), {"comment": "撤回"}, follow=True
    )
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED_TO_MINISTRY
    assert any("不能执行此操作" in m for m in messages_of(response))


def test_a_submitted_application_has_no_edit_pages(applicant_client, world):
    application = world.submitted()
    for name in ("settings", "report", "cases", "files", "commitment"):
        assert applicant_client.get(reverse(f"applications:{name}", args=[application.pk])).status_code == 403
    page = detail(applicant_client, application)
    assert [key for key, _, _ in page.context["tabs"]] == ["overview"]


def test_the_commitment_page_proposes_the_legal_representative_as_signatory(applicant_client, world):
    application = world.complete_draft()
    application.basic_info.legal_representative = "李<法人>"
    application.basic_info.save(update_fields=["legal_representative"])
    page = applicant_client.get(reverse("applications:commitment", args=[application.pk]))
    (signatory,) = lxml.html.fromstring(page.content.decode()).xpath('//input[@name="signatory"]')
    assert signatory.get("value") == "李<法人>"
