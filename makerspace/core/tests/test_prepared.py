"""Prepared queries (makerspace.core.prepared): compiled once, run with each call's values, and the
same rows and instances as Django's ordinary path."""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from makerspace.accounts.models import User
from makerspace.applications import selectors
from makerspace.applications.models import Application
from makerspace.applications.workflow import State
from makerspace.core.prepared import Prepared, PreparedIn, PreparedRows, keep_prefetched
from makerspace.core.tests.factories import World
from makerspace.permissions import application_query, get_application_for, visible_applications

pytestmark = pytest.mark.django_db


def _users_with_organisation(pk):
    return User.objects.select_related("organisation").only("username", "organisation__name").filter(pk=pk)


def test_each_call_reads_its_own_values_rows_as_django_makes_them(world):
    prepared = Prepared(_users_with_organisation, int)
    for user in (world.applicant, world.supervisor, world.expert):
        (row,) = prepared(user.pk)
        (expected,) = _users_with_organisation(user.pk)
        assert (row.pk, row.username, row.organisation_id) == (user.pk, user.username, user.organisation_id)
        assert row.get_deferred_fields() == expected.get_deferred_fields()
        with CaptureQueriesContext(connection) as queries:
            name = row.organisation.name if row.organisation_id else None
        assert len(queries) == 0, "the joined organisation came with the row"
        assert name == (user.organisation.name if user.organisation_id else None)
    assert prepared(987654) == []


def test_the_sql_is_compiled_once_for_every_later_call(world, settings, compiles):
    settings.PREPARED_QUERIES_CHECK = False
    prepared = Prepared(_users_with_organisation, int)
    prepared(world.applicant.pk)
    first = len(compiles)
    assert first == 2, "the two probe compilations"
    with CaptureQueriesContext(connection) as queries:
        for user in world.users().values():
            assert [row.pk for row in prepared(user.pk)] == [user.pk]
    assert len(compiles) == first
    assert len(queries) == len(world.users())


def test_a_value_of_another_type_takes_djangos_ordinary_path(world, compiles):
    prepared = Prepared(lambda name: User.objects.filter(username=name), str)
    assert prepared(None) == []
    assert [user.pk for user in prepared(world.ministry.username)] == [world.ministry.pk]


def test_prefetches_are_made_as_by_the_queryset(world):
    application = world.draft()
    prepared = Prepared(
        lambda pk: Application.objects.filter(pk=pk).select_related("batch").prefetch_related("events"), int
    )
    (row,) = prepared(application.pk)
    with CaptureQueriesContext(connection) as queries:
        events = [event.pk for event in row.events.all()]
    assert len(queries) == 0
    assert events == [event.pk for event in application.events.all()]


def test_an_empty_queryset_runs_no_query():
    prepared = Prepared(lambda pk: User.objects.filter(pk=pk).none(), int)
    with CaptureQueriesContext(connection) as queries:
        assert prepared(1) == []
    assert len(queries) == 0


def test_a_value_the_sql_does_not_take_as_its_own_parameter_is_refused():
    prepared = Prepared(lambda pk: User.objects.filter(pk=pk + 1), int)
    with pytest.raises(ValueError, match="each value as a parameter"):
        prepared(1)


def test_a_build_that_depends_on_more_than_its_arguments_fails_the_check(world):
    """The check the whole suite runs with (conftest.py): a build that reads anything but its
    arguments would run the first call's SQL for every later one."""
    role = ["applicant"]
    prepared = Prepared(lambda pk: User.objects.filter(pk=pk, role=role[0]), int)
    assert [user.pk for user in prepared(world.applicant.pk)] == [world.applicant.pk]
    role[0] = "supervisor"
    with pytest.raises(AssertionError, match="depends on more than its arguments"):
        prepared(world.supervisor.pk)


def test_the_prepared_application_fetch_sees_what_visible_applications_sees_for_every_role(world):
    drafted = world.draft()
    submitted = world.submitted()
    other = World(unit=world.unit, batch=world.batch).submitted()
    shape = application_query(selectors.application_for_page_queryset, "basic_info")
    for role, user in {**world.users(), "superuser": world.superuser}.items():
        visible = set(visible_applications(user).values_list("pk", flat=True))
        for application in (drafted, submitted, other):
            if application.pk in visible:
                fetched = get_application_for(user, application.pk, queryset=shape)
                assert fetched.pk == application.pk, role
                assert fetched.space.organisation.name == application.space.organisation.name
            else:
                with pytest.raises(Http404):
                    get_application_for(user, application.pk, queryset=shape)


def _users_by_role(role):
    return User.objects.filter(role=role).order_by("pk")


def test_paginated_rows_count_and_read_each_page_as_the_queryset_does(world, settings, compiles):
    from django.core.paginator import Paginator

    for n in range(7):
        User.objects.create_user(username=f"paged-{n}", password="x", role="applicant")
    prepared = Prepared(_users_by_role, str)
    expected = Paginator(_users_by_role("applicant"), 3)
    paginator = Paginator(PreparedRows(prepared, ("applicant",)), 3)
    assert paginator.count == expected.count
    for number in expected.page_range:
        assert [u.pk for u in paginator.page(number)] == [u.pk for u in expected.page(number)]
    settings.PREPARED_QUERIES_CHECK = False
    before = len(compiles)
    with CaptureQueriesContext(connection) as queries:
        again = Paginator(PreparedRows(prepared, ("applicant",)), 3)
        rows = [u.pk for number in again.page_range for u in again.page(number)]
    assert len(compiles) == before, "the count and every page were compiled already"
    assert rows == [u.pk for u in _users_by_role("applicant")]
    assert len(queries) == 1 + len(expected.page_range)


def test_the_prepared_queues_list_what_visible_applications_lists_for_every_role(world):
    """The reviewers' queues, compiled once per scope: the rows each role's filter lets through."""
    from makerspace.reviews import selectors as reviews

    world.draft()
    world.submitted()
    World(unit=world.unit, batch=world.batch).submitted()
    for role, user in {**world.users(), "superuser": world.superuser}.items():
        waiting = visible_applications(user).filter(state=State.AT_SUPERVISOR).order_by("submitted_at", "pk")
        assert [a.pk for a in reviews.supervisor_queue(user).object_list] == [a.pk for a in waiting], role
        handled = visible_applications(user).exclude(state=State.AT_SUPERVISOR).order_by("-updated_at")
        assert [a.pk for a in reviews.handled_by_supervisor(user)] == [a.pk for a in handled], role


def _users_in(ids):
    return User.objects.filter(pk__in=ids)


@pytest.mark.parametrize("count", [0, 1, 3, 4, 5, 70])
def test_rows_by_ids_are_the_querysets_rows_however_many_ids(world, count):
    users = sorted(user.pk for user in world.users().values())
    # Ids that name no row among those that do: the chunks of 64 hold both.
    ids = (users + [max(users) + 1000 + n for n in range(count)])[:count]
    rows = PreparedIn(_users_in)(ids)
    assert sorted(row.pk for row in rows) == sorted(user.pk for user in _users_in(ids))
    assert len(rows) == len({*ids} & {*users})


def test_rows_by_ids_compile_once_per_size(world, settings, compiles):
    settings.PREPARED_QUERIES_CHECK = False
    by_ids = PreparedIn(_users_in)
    users = [user.pk for user in world.users().values()]
    by_ids(users[:2])
    warmed = len(compiles)
    assert warmed == 2, "the two probe compilations of the size of four"
    with CaptureQueriesContext(connection) as queries:
        assert {row.pk for row in by_ids(users[2:5])} == set(users[2:5])
        assert {row.pk for row in by_ids(users[:1] + users[3:4])} == {users[0], users[3]}
    assert len(compiles) == warmed and len(queries) == 2
    assert [row.pk for row in by_ids(users[:1])] == users[:1]
    assert len(compiles) == warmed + 2, "the size of one, compiled on its first call"


def test_kept_rows_are_read_as_a_prefetch_of_them(world):
    from makerspace.batches.models import Batch

    batch = Batch.objects.get(pk=world.batch.pk)
    steps = list(world.batch.steps.all())
    keep_prefetched(batch, "steps", steps)
    with CaptureQueriesContext(connection) as queries:
        assert list(batch.steps.all()) == steps
        assert all(step.batch is batch for step in batch.steps.all())
        chain = [step.pk for step in batch.chain()]
    assert chain == [step.pk for step in sorted(steps, key=lambda step: step.position)]
    assert len(queries) == 0


def test_the_columns_converters_are_found_once_and_convert_as_djangos(world, settings, monkeypatch):
    settings.PREPARED_QUERIES_CHECK = False
    found = []
    get_converters = SQLCompiler.get_converters

    def counting(self, expressions):
        found.append(len(expressions))
        return get_converters(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting)
    prepared = Prepared(lambda pk: User.objects.filter(pk=pk).select_related("organisation"), int)
    users = list(world.users().values())
    expected = [User.objects.select_related("organisation").get(pk=user.pk) for user in users]
    found.clear()
    prepared(world.applicant.pk)
    assert found, "the first call finds them"
    found.clear()
    rows = [prepared(user.pk)[0] for user in users]
    assert found == [], "later calls reuse them"
    for row, user in zip(rows, expected, strict=True):
        shown = ("date_joined", "last_login", "is_active")
        assert [getattr(row, name) for name in shown] == [getattr(user, name) for name in shown]
        assert row.organisation == user.organisation


def test_first_is_the_first_row_or_none(world):
    prepared = Prepared(lambda pk: User.objects.filter(pk=pk), int)
    assert prepared.first(world.applicant.pk).pk == world.applicant.pk
    assert prepared.first(987654) is None
