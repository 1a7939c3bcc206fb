"""R5: each level's deadline, decided by the server's clock; only an extension re-opens it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from makerspace.batches.deadlines import effective_deadline, ensure_open, is_open
from makerspace.batches.models import Batch, DeadlineExtension, Level
from makerspace.core.errors import RuleViolation
from makerspace.core.tests.factories import BatchFactory, RecommendingUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def extend(batch, *, days: int, unit=None, level=Level.APPLICANT):
    return DeadlineExtension.objects.create(
        batch=batch,
        level=level,
        recommending_unit=unit,
        new_deadline=timezone.now() + timedelta(days=days),
        reason="因系统维护延期",
        granted_by=UserFactory(role="province"),
    )


def test_r5_open_batch_before_its_deadline_is_open():
    batch = BatchFactory()
    assert is_open(batch, Level.APPLICANT)
    ensure_open(batch, Level.APPLICANT)


def test_r5_after_the_deadline_by_the_server_clock_is_refused(monkeypatch):
    batch = BatchFactory()
    later = batch.applicant_deadline + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert not is_open(batch, Level.APPLICANT)
    with pytest.raises(RuleViolation) as caught:
        ensure_open(batch, Level.APPLICANT)
    assert caught.value.rule == "R5"
    assert "申报单位提交已于" in caught.value.message
    assert "以服务器时间为准" in caught.value.message
    # the next level still has time
    assert is_open(batch, Level.ATTEST)


def test_r5_the_deadline_minute_itself_is_still_open(monkeypatch):
    batch = BatchFactory()
    monkeypatch.setattr(timezone, "now", lambda: batch.applicant_deadline)
    ensure_open(batch, Level.APPLICANT)


@pytest.mark.parametrize("status", [Batch.Status.CLOSED, Batch.Status.DRAFT])
def test_r5_a_batch_not_open_is_refused_whatever_the_date(status):
    batch = BatchFactory(status=status)
    assert not is_open(batch, Level.APPLICANT)
    with pytest.raises(RuleViolation) as caught:
        ensure_open(batch, Level.APPLICANT)
    assert "当前不在受理期" in caught.value.message


def test_r5_an_extension_for_all_units_reopens_the_level():
    batch = BatchFactory(applicant_deadline=timezone.now() - timedelta(days=1))
    unit = RecommendingUnitFactory()
    assert not is_open(batch, Level.APPLICANT, unit.pk)
    extension = extend(batch, days=3)
    batch = Batch.objects.get(pk=batch.pk)  # a fresh instance: extensions are cached per instance
    assert effective_deadline(batch, Level.APPLICANT, unit.pk) == extension.new_deadline
    ensure_open(batch, Level.APPLICANT, unit.pk)


def test_r5_an_extension_for_one_unit_reopens_only_that_unit():
    batch = BatchFactory(applicant_deadline=timezone.now() - timedelta(days=1))
    extended, other = RecommendingUnitFactory(), RecommendingUnitFactory()
    extend(batch, days=3, unit=extended)
    assert is_open(batch, Level.APPLICANT, extended.pk)
    assert not is_open(batch, Level.APPLICANT, other.pk)
    assert not is_open(batch, Level.APPLICANT)


def test_r5_an_extension_of_another_level_does_not_reopen_this_one():
    batch = BatchFactory(applicant_deadline=timezone.now() - timedelta(days=1))
    extend(batch, days=3, level=Level.ATTEST)
    assert not is_open(batch, Level.APPLICANT)


def test_r5_an_extension_never_shortens_a_deadline():
    batch = BatchFactory()
    extend(batch, days=-5)
    assert effective_deadline(batch, Level.APPLICANT) == batch.applicant_deadline


def test_r5_a_closed_batch_stays_closed_despite_an_extension():
    batch = BatchFactory(status=Batch.Status.CLOSED)
    extend(batch, days=3)
    assert not is_open(batch, Level.APPLICANT)


def test_extensions_and_the_chain_cost_one_query_each_per_batch_instance(django_assert_num_queries):
    batch = BatchFactory()
    extend(batch, days=3)
    batch = Batch.objects.get(pk=batch.pk)
    with django_assert_num_queries(2):
        for level in Level.values:
            effective_deadline(batch, level)


@pytest.mark.django_db
def test_the_county_first_preset_names_its_steps_and_carries_an_application_to_the_city():
    from makerspace.applications.workflow import State
    from makerspace.batches.models import Kind
    from makerspace.core.tests.factories import BatchFactory, World

    world = World(batch=BatchFactory(chain="county_first"))
    attest = world.batch.step(Kind.ATTEST)
    assert attest.label == "区县科技部门初审并出具信用承诺书（附件5）"
    assert world.batch.step(Kind.UNIT_REVIEW).label == "设区市科技局审核推荐"
    application = world.advance(world.submitted(), "forward")
    assert application.state == State.AT_RECOMMENDER
