"""R8 read once per submission (issue 14): the check kept on record and the submit transition's own
R8 condition share one read of the register, and only inside the block that asks for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from makerspace.applications.workflow import unmet
from makerspace.credit.selectors import check_r8_credit, register_read_once

from .helpers import bad_record

pytestmark = pytest.mark.django_db


def _register_reads(captured) -> int:
    return sum(1 for q in captured if q["sql"].startswith("SELECT") and "credit_creditrecord" in q["sql"])


def test_inside_the_block_the_register_is_read_once_per_code_and_day(world):
    organisation = world.complete_draft().space.organisation
    with CaptureQueriesContext(connection) as captured, register_read_once():
        first, second = check_r8_credit(organisation), check_r8_credit(organisation)
    assert _register_reads(captured) == 1
    assert first.records == second.records


def test_outside_the_block_every_check_reads_the_register_anew(world):
    application = world.complete_draft()
    organisation = application.space.organisation
    with register_read_once():
        assert check_r8_credit(organisation).clean
    record = bad_record(world, organisation.credit_code)
    with CaptureQueriesContext(connection) as captured:
        assert check_r8_credit(organisation).records == (record,)
        assert "R8" in [u.rule for u in unmet(application, "submit", world.applicant)]
    assert _register_reads(captured) == 2
