"""公示: at least five working days (Mon–Fri, less the holiday list), objections from anyone
without an account, and the list moves on to the ministry only when the period has ended and
every objection is closed (publicity/rules.py, called by the province's selection)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from makerspace.applications.workflow import State
from makerspace.core.demo import blank_pdf
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.publicity import services
from makerspace.publicity.models import Holiday, NoticePeriod, Objection
from makerspace.publicity.workdays import is_working_day, last_working_day
from makerspace.reviews import services as review_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """A batch whose 择优 step holds a 公示 (the 2018 chain as configured by the notice)."""
    from makerspace.core.tests.factories import BatchFactory, World

    return World(batch=BatchFactory(chain__with_publicity=True))


def test_selection_in_a_step_with_publicity_needs_a_notice_first(world):
    """A 择优 step with 公示 cannot be passed by never starting one."""
    application = ranked(world)
    with pytest.raises(RuleViolation) as refused:
        review_services.province_select(user=world.province, application=application)
    assert refused.value.rule == "公示" and "须先公示" in refused.value.message


PASSED = ["forward", "recommend", "deliver", "receive", "pass_formal_review"]


def ranked(world, rank: int = 1):
    application = world.advance(world.submitted(), *PASSED)
    type(application).objects.filter(pk=application.pk).update(province_rank=rank)
    application.refresh_from_db()
    return application


def start(world, *, starts_on=None, days: int = 5) -> NoticePeriod:
    return services.notice_start(
        user=world.province,
        batch=world.batch,
        title="2026年国家专业化众创空间拟推荐名单公示",
        body="公示期内如有异议，请实名提出。",
        contact="省科技厅高新处 025-00000000",
        starts_on=starts_on or timezone.localdate(),
        working_days=days,
    )


def end_period(notice: NoticePeriod) -> None:
    """Move the period into the past, as time would."""
    shift = (notice.ends_on - notice.starts_on).days + 1
    NoticePeriod.objects.filter(pk=notice.pk).update(
        starts_on=notice.starts_on - timedelta(days=shift + 1),
        ends_on=notice.ends_on - timedelta(days=shift + 1),
    )


def answered(page) -> dict:
    """The page's challenge question (makerspace.security.challenge) answered, as a person would."""
    from makerspace.security.challenge import solve

    token = page.context["form"]["challenge"].value()
    return {"challenge": token, "challenge_answer": solve(token)}


def objection(notice, **kwargs) -> Objection:
    data = {
        "name": "张某",
        "phone": "13812345678",
        "email": "",
        "content": "该空间的入驻企业数量与实际不符。",
    }
    return services.objection_file(notice=notice, **{**data, **kwargs})


# Working days -----------------------------------------------------------------------------------


def test_five_working_days_skip_weekends_and_holidays():
    monday = date(2026, 9, 28)
    assert last_working_day(monday, 5, set()) == date(2026, 10, 2)
    national_day = {date(2026, 10, d) for d in range(1, 8)}
    assert last_working_day(monday, 5, national_day) == date(2026, 10, 9)  # 28, 29, 30 Sep; 8, 9 Oct
    saturday = date(2026, 10, 10)
    assert last_working_day(saturday, 5, set()) == date(2026, 10, 16)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(5, 30))
def test_a_period_holds_exactly_its_working_days(start_on, days):
    end = last_working_day(start_on, days, set())
    counted = sum(is_working_day(start_on + timedelta(n), set()) for n in range((end - start_on).days + 1))
    assert counted == days and is_working_day(end, set())


def test_notice_of_fewer_than_five_working_days_is_refused(world):
    ranked(world)
    with pytest.raises(ValidationError):
        start(world, days=4)


def test_notice_uses_the_admins_holiday_list(world):
    ranked(world)
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    Holiday.objects.create(day=monday + timedelta(days=2), name="测试假日")
    notice = start(world, starts_on=monday)
    assert notice.ends_on == monday + timedelta(days=7)  # Wednesday off: next Monday is the fifth


# The rule ---------------------------------------------------------------------------------------


def test_open_objection_blocks_the_list(world):
    application = ranked(world)
    notice = start(world)
    with pytest.raises(RuleViolation) as refused:  # the period has not ended
        review_services.province_select(user=world.province, application=application)
    assert refused.value.rule == "公示" and "期满" in refused.value.message

    filed = objection(notice, application_id=application.pk)
    end_period(notice)
    with pytest.raises(RuleViolation) as refused:
        review_services.province_select(user=world.province, application=application)
    assert "1件异议未办结" in refused.value.message
    application.refresh_from_db()
    assert application.state == State.FORMAL_PASSED

    services.objection_close(
        user=world.province,
        objection=filed,
        outcome=Objection.Outcome.REJECTED,
        handling_note="经核查入驻企业名单属实。",
    )
    review_services.province_select(user=world.province, application=application)
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED_TO_MINISTRY


def test_an_application_left_off_the_notice_cannot_be_recommended(world):
    on_list = ranked(world, 1)
    notice = start(world)
    off_list = ranked(world, 2)
    end_period(notice)
    with pytest.raises(RuleViolation) as refused:
        review_services.province_select(user=world.province, application=off_list)
    assert "未列入公示名单" in refused.value.message
    review_services.province_select(user=world.province, application=on_list)


def test_a_chain_whose_selection_holds_no_publicity_is_not_held_back():
    from makerspace.core.tests.factories import World

    world = World()  # the test factories' batches configure 择优 without a 公示
    application = ranked(world)
    review_services.province_select(user=world.province, application=application)
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED_TO_MINISTRY


# Objections --------------------------------------------------------------------------------------


def test_anyone_files_an_objection_without_logging_in(world, client):
    application = ranked(world)
    notice = start(world)
    url = reverse("publicity:notice_detail", args=[notice.pk])
    page = client.get(url)
    assert page.status_code == 200 and application.space.name in page.content.decode()

    response = client.post(
        url,
        {
            **answered(page),
            "application": application.pk,
            "name": "李某",
            "email": "li@example.cn",
            "content": "该空间公共服务面积明显夸大，请核查。",
            "attachment": SimpleUploadedFile(
                "photo.pdf", blank_pdf("现场照片"), content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    filed = Objection.objects.get()
    assert (filed.application, filed.name, filed.closed_at) == (application, "李某", None)
    assert len(filed.attachment_sha256) == 64


def test_objection_needs_contact_and_a_real_attachment(world, client):
    ranked(world)
    notice = start(world)
    url = reverse("publicity:notice_detail", args=[notice.pk])
    response = client.post(
        url, {**answered(client.get(url)), "name": "李某", "content": "该空间公共服务面积明显夸大，请核查。"}
    )
    assert response.status_code == 400 and "phone" in response.context["form"].errors
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        url,
        {
            **answered(client.get(url)),
            "name": "李某",
            "phone": "13812345678",
            "content": "内容足够长的异议说明文字。",
            "attachment": fake,
        },
    )
    assert response.status_code == 400 and "attachment" in response.context["form"].errors
    assert not Objection.objects.exists()


def test_no_objection_outside_the_period(world):
    ranked(world)
    notice = start(world)
    end_period(notice)
    notice.refresh_from_db()
    with pytest.raises(StateConflict):
        objection(notice)


def test_province_records_how_each_objection_was_handled(world, client):
    ranked(world)
    notice = start(world)
    filed = objection(notice)
    client.force_login(world.province)
    response = client.post(
        reverse("publicity:objection_close", args=[filed.pk]),
        {"outcome": "upheld", "handling_note": "已核实，取消其推荐。"},
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert (filed.outcome, filed.handling_note, filed.closed_by) == (
        "upheld",
        "已核实，取消其推荐。",
        world.province,
    )
    assert filed.closed_at is not None
    with pytest.raises(StateConflict):
        services.objection_close(
            user=world.province, objection=filed, outcome="rejected", handling_note="再次"
        )


def test_the_ranking_page_reads_the_batchs_publicity_once_for_its_panel_and_the_select_reasons(world, client):
    """The 公示 panel and the reasons beside a disabled 推荐 come from one reading of the notice
    and its objections (publicity.rules.read_once); both still show what is unmet."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ranked(world)
    notice = start(world)
    objection(notice)
    client.force_login(world.province)
    url = reverse("reviews:province_batch", args=[world.batch.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    reads = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "publicity_noticeperiod"' in sql for sql in reads) == 1
    assert sum('FROM "publicity_objection"' in sql for sql in reads) == 1
    panel, reasons = page.split('id="select-reasons"')
    assert "期满后才能报送科技部" in panel and "尚有1件异议未办结" in panel
    assert "期满后才能报送科技部" in reasons and "尚有1件异议未办结" in reasons
