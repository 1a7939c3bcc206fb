"""A save clicked while the section's autosave is still on its way, as at the deadline rush when
every answer is slow: the save must not be refused as a change made meanwhile by the applicant's
own autosave, and nothing typed may be lost."""

import contextlib

import pytest
from playwright.sync_api import expect

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def builder_section(new_page, world):
    """The applicant on the 建设主体与专业方向 section of a complete draft (whose saves validate)."""
    application = world.complete_draft()
    page = log_in(new_page, world.applicant)
    page.goto(f"/applications/{application.pk}/basic/builder/")
    return application, page


def type_until_autosaved(page, held: list, value: str) -> None:
    """Type `value` into 主要专业方向 and wait past the autosave's delay (500 ms after a change)."""
    page.fill("#id_professional_direction", value)
    page.locator("#id_professional_direction").dispatch_event("change")
    page.wait_for_timeout(1500)
    assert held, "no autosave was sent"


def test_a_save_clicked_while_the_autosave_is_on_its_way_is_not_a_conflict(builder_section):
    application, page = builder_section

    # The server saves the autosave at once, but its answer (with the new row version) is held
    # back until the save has been clicked: a slow network at the deadline rush.
    held = []

    def slow_autosave(route):
        held.append((route, route.fetch()))

    page.route("**/autosave/**", slow_autosave)
    type_until_autosaved(page, held, "智能制造与工业软件")
    application.basic_info.refresh_from_db()
    assert application.basic_info.professional_direction == "智能制造与工业软件"  # saved already
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_timeout(500)
    route, response = held[0]
    with contextlib.suppress(Exception):  # the page had left: the save went without waiting
        route.fulfill(response=response)

    expect(page.locator(".msg-success")).to_contain_text("已保存")
    expect(page.locator("[role=alert]")).to_have_count(0)
    expect(page.locator("#id_professional_direction")).to_have_value("智能制造与工业软件")


def test_typing_on_while_an_autosave_is_on_its_way_saves_again_without_a_conflict(builder_section):
    application, page = builder_section

    held = []

    def first_held(route):
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))

    version = int(page.locator("#id_row_version").input_value())
    page.route("**/autosave/**", first_held)
    type_until_autosaved(page, held, "智能制造")
    # The applicant types on; the next autosave comes due while the first answer is still away.
    type_until_autosaved(page, held, "智能制造与工业软件")
    route, response = held[0]
    with contextlib.suppress(Exception):  # the first autosave was abandoned for the second
        route.fulfill(response=response)

    # The second autosave goes once the first's answer (with the new row version) is in: two
    # saves, two new versions, no refusal.
    expect(page.locator("#id_row_version")).to_have_value(str(version + 2))
    expect(page.locator(".autosave-status")).to_contain_text("已自动保存")
    application.basic_info.refresh_from_db()
    assert application.basic_info.professional_direction == "智能制造与工业软件"
    assert not application.section_drafts.exists()  # nothing was kept aside as refused


def test_an_autosave_answer_that_never_comes_does_not_hold_the_save_back(builder_section):
    application, page = builder_section
    held = []
    page.route("**/autosave/**", lambda route: held.append((route, route.fetch())))
    type_until_autosaved(page, held, "智能制造与工业软件")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".autosave-status")).to_contain_text("正在完成自动保存")

    # After 10 s the save goes with the version it has: refused as a change made meanwhile (the
    # autosave it never heard back from), what was typed still in the form; saving again saves.
    expect(page.locator("[role=alert]")).to_contain_text("再次保存将以您填写的内容为准", timeout=15_000)
    expect(page.locator("#id_professional_direction")).to_have_value("智能制造与工业软件")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".msg-success")).to_contain_text("已保存")
    application.basic_info.refresh_from_db()
    assert application.basic_info.professional_direction == "智能制造与工业软件"
