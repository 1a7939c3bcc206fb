"""Expert scoring: conflicts of interest are never assigned, auto-assignment balances load and
gives each application three experts, scores stay hidden until one's own is submitted, the sheet
is the 工作指引's with the batch's weights, and the aggregate flags divergence."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from makerspace.accounts.models import Role, User
from makerspace.applications.workflow import State
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.tests.factories import make_expert
from makerspace.scoring import services, sheet
from makerspace.scoring.aggregate import DIVERGENCE_POINTS, summarise, trimmed_mean
from makerspace.scoring.models import Assignment

pytestmark = pytest.mark.django_db

PASSED = ["forward", "recommend", "deliver", "receive", "pass_formal_review"]


def passed(world, **kwargs):
    return world.advance(world.submitted(**kwargs), *PASSED)


def full_marks(value: int = 8) -> dict:
    return {item.code: value for item in sheet.ITEMS}


def score(expert, assignment, value: int, comment: str = "专业方向明确，服务能力较强。"):
    services.scores_save(user=expert, assignment=assignment, scores=full_marks(value), comment=comment)
    return services.scores_submit(user=expert, assignment=assignment)


# Conflicts of interest ----------------------------------------------------------------------


def test_expert_with_a_conflict_is_never_assigned(world):
    application = passed(world)
    operator = application.space.organisation.name
    builder = application.basic_info.builder_enterprise_name
    same_org = make_expert(world, organisation_name=operator)
    same_builder = make_expert(world, organisation_name=builder)
    same_city = make_expert(world, organisation_name="东南大学", city=application.recommending_unit.city)
    declared = make_expert(world, organisation_name="南京大学")
    services.conflict_declare(
        user=declared, application=None, organisation_name=operator, reason="曾任该公司顾问"
    )
    by_hand = make_expert(world, organisation_name="河海大学")
    services.conflict_declare(user=by_hand, application=application, reason="近三年有合作项目")
    conflicted = [same_org, same_builder, same_city, declared, by_hand]
    free = [world.expert, *(make_expert(world, organisation_name=f"无关大学{n}") for n in range(3))]

    for expert in conflicted:
        with pytest.raises(RuleViolation) as refused:
            services.assignment_create(user=world.province, application=application, expert=expert)
        assert refused.value.rule == "回避"
    made, short = services.auto_assign(user=world.province, batch=application.batch)

    assigned = set(Assignment.objects.filter(application=application).values_list("expert_id", flat=True))
    assert len(assigned) == 3 and assigned <= {e.pk for e in free}
    assert not assigned & {e.pk for e in conflicted}
    assert (made, short) == (3, [])


def test_declaring_a_conflict_withdraws_an_unscored_assignment(world):
    application = passed(world)
    expert = make_expert(world)
    services.assignment_create(user=world.province, application=application, expert=expert)
    services.conflict_declare(user=expert, application=application, reason="亲属在该单位任职")
    assert not Assignment.objects.filter(expert=expert).exists()


def test_auto_assign_gives_three_and_balances_load(world):
    applications = [passed(world) for _ in range(4)]
    experts = [make_expert(world, organisation_name=f"专家单位{n}") for n in range(6)]
    made, short = services.auto_assign(user=world.province, batch=world.batch)
    assert (made, short) == (12, [])
    for application in applications:
        assert Assignment.objects.filter(application=application).count() == 3
    loads = [Assignment.objects.filter(expert=e).count() for e in experts]
    assert max(loads) - min(loads) <= 1
    # Running it again changes nothing.
    assert services.auto_assign(user=world.province, batch=world.batch) == (0, [])


def test_auto_assign_reports_applications_short_of_experts(world):
    application = passed(world)
    make_expert(world, organisation_name="甲大学")  # with world.expert: two, one short
    made, short = services.auto_assign(user=world.province, batch=world.batch)
    assert made == 2
    assert application.number in short[0]


def test_only_formally_passed_applications_are_assigned(world):
    application = world.advance(world.submitted(), *PASSED[:4])
    with pytest.raises(StateConflict):
        services.assignment_create(user=world.province, application=application, expert=make_expert(world))


def test_invitation_creates_the_expert_and_mails_the_password_link(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.province)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scoring:expert_invite"),
            {
                "username": "expert_wang",
                "full_name": "王专家",
                "email": "wang@example.cn",
                "mobile": "13812345678",
                "organisation_name": "南京大学",
                "city": "南京",
            },
        )
    assert response.status_code == 302
    expert = User.objects.get(username="expert_wang")
    assert expert.role == Role.EXPERT and expert.expert_profile.city == "南京"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.cn"]


# Scoring --------------------------------------------------------------------------------------


def test_scores_hidden_until_own_submitted(world, client):
    application = passed(world)
    first, second = (
        make_expert(world, organisation_name="甲大学"),
        make_expert(world, organisation_name="乙大学"),
    )
    a1 = services.assignment_create(user=world.province, application=application, expert=first)
    a2 = services.assignment_create(user=world.province, application=application, expert=second)
    score(first, a1, 9)

    client.force_login(second)
    page = client.get(reverse("scoring:assignment", args=[a2.pk])).content.decode()
    assert str(a1.total) not in page
    assert "提交本人评分后才能看到其他专家的评分" in page
    # Nor may the second expert open the first one's sheet: not visible at all.
    assert client.get(reverse("scoring:assignment", args=[a1.pk])).status_code == 404

    a2.refresh_from_db()
    score(second, a2, 5)
    page = client.get(reverse("scoring:assignment", args=[a2.pk])).content.decode()
    assert str(a1.total) in page


def test_expert_sees_only_own_assignments(world, client):
    application = passed(world)
    mine, other = (
        make_expert(world, organisation_name="甲大学"),
        make_expert(world, organisation_name="乙大学"),
    )
    services.assignment_create(user=world.province, application=application, expert=other)
    client.force_login(mine)
    assert application.space.name not in client.get(reverse("scoring:expert_home")).content.decode()


def test_r9_scoring_sheet_is_the_guideline_with_batch_weights(world):
    assert [i.code for i in sheet.ITEMS] == [f"C{n}" for n in range(1, 8)] + [
        f"F{n}" for n in range(1, 5)
    ] + [f"T{n}" for n in range(1, 7)]
    application = passed(world)
    services.weights_set(user=world.province, batch=world.batch, basic=50, features=30, tasks=20)
    expert = make_expert(world)
    assignment = services.assignment_create(user=world.province, application=application, expert=expert)
    scores = {item.code: (10 if item.code.startswith("C") else 0) for item in sheet.ITEMS}
    services.scores_save(user=expert, assignment=assignment, scores=scores, comment="基本条件完全具备")
    services.scores_submit(user=expert, assignment=assignment)
    assert assignment.total == Decimal("50.00")
    assert assignment.weights == {"basic": 50, "features": 30, "tasks": 20}
    with pytest.raises(StateConflict):
        services.weights_set(user=world.province, batch=world.batch, basic=40, features=30, tasks=30)


def test_submission_needs_every_item_and_a_comment_and_then_freezes(world):
    from django.core.exceptions import ValidationError

    expert = make_expert(world)
    assignment = services.assignment_create(user=world.province, application=passed(world), expert=expert)
    services.scores_save(user=expert, assignment=assignment, scores={"C1": 5}, comment="")
    with pytest.raises(ValidationError):
        services.scores_submit(user=expert, assignment=assignment)
    with pytest.raises(ValidationError):
        services.scores_save(user=expert, assignment=assignment, scores={"C1": 11})
    score(expert, assignment, 7)
    with pytest.raises(StateConflict):
        services.scores_save(user=expert, assignment=assignment, scores=full_marks(1))


# Aggregation ----------------------------------------------------------------------------------


def test_trimmed_mean_and_divergence_flag():
    totals = [Decimal(v) for v in ("80", "82", "84", "30")]
    summary = summarise(totals, assigned=4)
    assert summary.mean == Decimal("69.00")
    assert summary.trimmed == Decimal("81.00")  # 30 and 84 dropped
    assert summary.median == Decimal("81.00")
    assert summary.outliers == [Decimal("30")]
    assert summary.divergent

    close = summarise([Decimal("80"), Decimal("85"), Decimal("78")], assigned=3)
    assert close.trimmed == Decimal("80.00") and not close.divergent and close.complete


def test_divergence_by_standard_deviation_without_single_outlier():
    # Median 60: nobody further than 20 from it, but spread wide (std dev ≈ 16.3).
    summary = summarise(
        [Decimal("41"), Decimal("42"), Decimal("60"), Decimal("78"), Decimal("79")], assigned=5
    )
    assert not summary.outliers
    assert summary.divergent


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=9))
def test_trimmed_mean_lies_between_min_and_max(totals):
    value = trimmed_mean(totals)
    assert min(totals) - Decimal("0.01") <= value <= max(totals) + Decimal("0.01")
    summary = summarise(totals, assigned=len(totals))
    assert all(abs(t - summary.median) > DIVERGENCE_POINTS for t in summary.outliers)


def test_province_ranking_page_shows_scores_beside_the_quota(world, client):
    application = passed(world)
    experts = [make_expert(world, organisation_name=f"单位{n}") for n in range(3)]
    for expert, value in zip(experts, (9, 8, 2), strict=True):
        assignment = services.assignment_create(user=world.province, application=application, expert=expert)
        score(expert, assignment, value)
    client.force_login(world.province)
    page = client.get(reverse("reviews:province_batch", args=[world.batch.pk])).content.decode()
    summary = summarise(
        list(Assignment.objects.filter(application=application).values_list("total", flat=True)), 3
    )
    assert str(summary.trimmed) in page and str(summary.mean) in page
    assert "分歧较大" in page
    assert application.state == State.FORMAL_PASSED
