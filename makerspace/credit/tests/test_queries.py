"""The integrity pages hold a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from makerspace.core.demo import demo_credit_code
from makerspace.core.tests.factories import make_expert
from makerspace.publicity import services as publicity_services
from makerspace.publicity.models import NoticePeriod
from makerspace.scoring import services as scoring_services
from makerspace.scoring import sheet

from .helpers import bad_record

pytestmark = pytest.mark.django_db
PASSED = ["forward", "recommend", "deliver", "receive", "pass_formal_review"]
_seq = iter(range(990_000, 999_999))


def _count(client, url) -> int:
    client.get(url)  # the first request of a session also writes the session: not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _records(world, n):
    for _ in range(n):
        bad_record(world, demo_credit_code(next(_seq)), "单位")


def _reviews(world, n):
    for _ in range(n):
        world.recommended()


def _scored(world, n):
    """n formally passed, ranked applications, each with three experts, two of whom scored."""
    experts = getattr(world, "_experts", None) or [
        make_expert(world, organisation_name=f"专家单位{i}") for i in range(3)
    ]
    world._experts = experts
    for _ in range(n):
        application = world.advance(world.submitted(), *PASSED)
        type(application).objects.filter(pk=application.pk).update(province_rank=application.pk)
        for expert in experts:
            assignment = scoring_services.assignment_create(
                user=world.province, application=application, expert=expert
            )
            if expert is not experts[-1]:
                scoring_services.scores_save(
                    user=expert,
                    assignment=assignment,
                    scores={i.code: 7 for i in sheet.ITEMS},
                    comment="意见",
                )
                scoring_services.scores_submit(user=expert, assignment=assignment)


def _notice(world):
    notice = NoticePeriod.objects.filter(batch=world.batch).first()
    if notice is None:
        notice = publicity_services.notice_start(
            user=world.province,
            batch=world.batch,
            title="公示",
            body="说明",
            contact="高新处",
            starts_on=timezone.localdate(),
        )
    return notice


def _objections(world, n):
    _scored(world, 1)
    notice = _notice(world)
    for _ in range(n):
        publicity_services.objection_file(
            notice=notice, name="张某", phone="13812345678", email="", content="异议内容足够具体，请核查。"
        )


PAGES = {
    "credit_register": (lambda w: reverse("credit:register"), "province", _records),
    "review_quality": (lambda w: reverse("credit:review_quality"), "province", _reviews),
    "expert_home": (lambda w: reverse("scoring:expert_home"), "expert0", _scored),
    "scoring_batch": (lambda w: reverse("scoring:province_batch", args=[w.batch.pk]), "province", _scored),
    "scoring_home": (lambda w: reverse("scoring:province_home"), "province", _scored),
    "province_ranking": (lambda w: reverse("reviews:province_batch", args=[w.batch.pk]), "province", _scored),
    "province_notice": (
        lambda w: reverse("publicity:province_notice", args=[_notice(w).pk]),
        "province",
        _objections,
    ),
    "publicity_home": (lambda w: reverse("publicity:province_home"), "province", _objections),
    "public_notice": (lambda w: reverse("publicity:notice_detail", args=[_notice(w).pk]), None, _objections),
    "public_notices": (lambda w: reverse("publicity:notice_list"), None, _objections),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_rows(world, client, page):
    url_of, who, add = PAGES[page]
    add(world, 1)
    user = world._experts[0] if who == "expert0" else getattr(world, who) if who else None
    if user is not None:
        client.force_login(user)
    few = _count(client, url_of(world))
    add(world, 3)
    many = _count(client, url_of(world))
    assert few == many, f"{page}: {few} queries with few rows, {many} with more"
