"""Two people editing the same application: the second save made on an old version is refused
with the other person's change named, never silently overwriting it."""

import re

import pytest
from django.test import Client

from makerspace.applications.models import Application
from makerspace.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(world):
    application = world.draft()
    colleague = UserFactory(role="applicant", organisation=world.applicant.organisation, full_name="李同事")
    first, second = Client(), Client()
    first.force_login(world.applicant)
    second.force_login(colleague)
    return application, first, second


def _shown_version(response) -> str:
    match = re.search(r'name="row_version" value="(\d+)"', response.content.decode())
    assert match, "the form carries no row_version"
    return match.group(1)


REPORT = {
    "builder_overview": "",
    "space_status": "",
    "overall_results": "",
    "goals_and_tasks": "",
    "organisation_and_support": "",
}


def test_the_second_save_on_an_old_version_is_refused_naming_who_changed_it(two_editors, world):
    application, first, second = two_editors
    url = f"/applications/{application.pk}/report/"
    seen_by_first = _shown_version(first.get(url))
    seen_by_second = _shown_version(second.get(url))
    assert seen_by_first == seen_by_second

    saved = first.post(url, {**REPORT, "builder_overview": "甲的内容", "row_version": seen_by_first})
    assert saved.status_code == 302

    refused = second.post(url, {**REPORT, "builder_overview": "乙的内容", "row_version": seen_by_second})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert f"被{world.applicant}修改" in page
    assert "保存 report" in page
    assert re.search(r"本申报已于\d{4}-\d\d-\d\d \d\d:\d\d:\d\d被", page)
    application.report.refresh_from_db()
    assert application.report.builder_overview == "甲的内容"
    # What the second person typed is still in the form, now carrying the current version.
    assert "乙的内容" in page
    assert _shown_version(refused) == str(Application.objects.get(pk=application.pk).row_version)

    knowingly = second.post(
        url, {**REPORT, "builder_overview": "乙的内容", "row_version": _shown_version(refused)}
    )
    assert knowingly.status_code == 302
    application.report.refresh_from_db()
    assert application.report.builder_overview == "乙的内容"


def test_a_stale_section_of_basic_info_is_refused_too(two_editors):
    application, first, second = two_editors
    url = f"/applications/{application.pk}/basic/scale/"
    old = _shown_version(second.get(url))
    first.post(f"/applications/{application.pk}/report/", {**REPORT, "space_status": "更新"})
    refused = second.post(url, {"team_size": "12", "row_version": old})
    assert refused.status_code == 200
    assert "您看到的是修改前的内容" in refused.content.decode()
    application.basic_info.refresh_from_db()
    assert application.basic_info.team_size != 12


def test_a_stale_success_case_is_refused(two_editors):
    application, first, second = two_editors
    url = f"/applications/{application.pk}/cases/"
    old = _shown_version(second.get(url))
    first.post(f"/applications/{application.pk}/report/", {**REPORT, "space_status": "更新"})
    case = {
        "title": "案例",
        "enterprise_name": "某公司",
        "field": "生物医药",
        "joined_on": "2020-01-01",
        "services": "服务",
        "results": "成效",
        "row_version": old,
    }
    refused = second.post(url, case)
    assert refused.status_code == 200
    assert "您看到的是修改前的内容" in refused.content.decode()
    assert not application.success_cases.exists()


def test_autosave_follows_its_own_saves_and_stops_on_someone_elses(two_editors):
    application, first, second = two_editors
    autosave = f"/applications/{application.pk}/autosave/report/"
    version = str(Application.objects.get(pk=application.pk).row_version)
    response = first.post(autosave, {**REPORT, "builder_overview": "一", "row_version": version})
    body = response.content.decode()
    assert body.startswith("已自动保存")
    new_version = re.search(r'id="id_row_version" value="(\d+)" hx-swap-oob="true"', body).group(1)
    assert int(new_version) == int(version) + 1
    again = first.post(autosave, {**REPORT, "builder_overview": "一二", "row_version": new_version})
    assert again.content.decode().startswith("已自动保存")

    stale = second.post(autosave, {**REPORT, "builder_overview": "乙", "row_version": version})
    assert stale.content.decode().startswith("未自动保存：本申报已于")
    application.report.refresh_from_db()
    assert application.report.builder_overview == "一二"
    assert application.section_drafts.get(section="report").data["builder_overview"] == "乙"


def test_a_tampered_version_is_treated_as_stale(two_editors):
    application, first, _ = two_editors
    url = f"/applications/{application.pk}/report/"
    refused = first.post(url, {**REPORT, "builder_overview": "x", "row_version": "abc"})
    assert refused.status_code == 200
    assert "修改" in refused.content.decode()
    application.report.refresh_from_db()
    assert application.report.builder_overview == ""
