"""Two submissions at the same instant (two tabs, a double click that got past the button) make one
version. Needs real concurrent transactions, so it runs on PostgreSQL; SQLite's test database is
shared in-memory and serialises everything anyway."""

import threading

import pytest
from django.db import connection

from makerspace.applications import services
from makerspace.applications.models import Application, ApplicationVersion
from makerspace.core.errors import StateConflict

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def test_two_simultaneous_submissions_make_one_version(world):
    application = world.complete_draft()
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        copy = Application.objects.get(pk=application.pk)
        barrier.wait()
        try:
            outcomes.append(services.application_submit(user=world.applicant, application=copy).number)
        except StateConflict:
            outcomes.append("conflict")
        except Exception as error:  # a thread's exception would otherwise vanish
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == [1, "conflict"]
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert application.events.count() == 1


def test_two_applications_submitted_at_once_both_go_and_the_audit_chain_stays_whole(world):
    """Two submissions in two threads, each of its own application: both are submitted (neither
    thread's instance trips over the other's), and their audit rows chain one after the other."""
    from makerspace.audit.services import audit_verify

    applications = [world.complete_draft(), world.complete_draft()]
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(pk):
        copy = Application.objects.get(pk=pk)
        barrier.wait()
        try:
            services.application_submit(user=world.applicant, application=copy)
            outcomes.append(copy.state)
        except Exception as error:  # a thread's exception would otherwise vanish
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=[a.pk]) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["at_supervisor", "at_supervisor"]
    assert audit_verify()[1] is None
