"""The version page reads a frozen snapshot back in the notice's own words."""

import lxml.html
import pytest
from django.urls import reverse

from makerspace.applications.models import BasicInfo, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(applicant_client, world):
    application = world.submitted()
    response = applicant_client.get(reverse("applications:version", args=[application.pk, 1]))
    assert response.status_code == 200
    return application, response.content.decode()


def rows(html) -> dict[str, str]:
    document = lxml.html.fromstring(html)
    return {
        th.text_content().strip(): th.getnext().text_content().strip()
        for th in document.xpath("//table[@class='facts-table']//th")
    }


def test_labels_not_raw_field_keys(page):
    _, html = page
    document = lxml.html.fromstring(html)
    text = document.xpath("//main")[0].text_content()
    for name in ("team_size", "built_by_enterprise", "floor_area", "goals_and_tasks", "enterprise_name"):
        assert name not in text
    shown = rows(html)
    assert shown[BasicInfo._meta.get_field("team_size").verbose_name] == "18"
    assert shown["是否由高新技术企业或龙头骨干企业建立"] == "是"
    assert shown["是否由高校建立"] == "否"
    assert shown["建设高校详细名称"] == "—"
    assert shown["运营主体性质"] in {"企业（国有）", "企业（民营）"}
    assert shown["省级众创空间备案情况"] == "已纳入省级众创空间备案管理"
    assert shown["企业（团队）名称"].startswith("示范生物科技有限公司")
    assert str(Report._meta.get_field("goals_and_tasks").verbose_name) in text


def test_the_page_shows_the_frozen_data_not_the_live_record(page, world, applicant_client):
    from makerspace.applications import services

    application, _ = page
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="改"
    )
    info = application.basic_info
    info.team_size = 99
    info.save()
    html = applicant_client.get(reverse("applications:version", args=[application.pk, 1])).content.decode()
    assert rows(html)["管理团队人员总数"] == "18"


def test_the_supervisor_reads_the_same_page(page, client, world):
    application, html = page
    client.force_login(world.supervisor)
    response = client.get(reverse("applications:version", args=[application.pk, 1]))
    assert response.status_code == 200
    assert rows(response.content.decode()) == rows(html)


def test_a_missing_version_is_404(page, applicant_client):
    application, _ = page
    assert applicant_client.get(reverse("applications:version", args=[application.pk, 2])).status_code == 404
