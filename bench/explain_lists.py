"""EXPLAIN ANALYZE of the list pages' row queries that grow with the data (PostgreSQL).

Run after `manage.py generate_applications --benchmark --count 100000` and VACUUM ANALYZE: the two
queues (主管部门, 推荐单位) and the unit's counts per batch, the unit's batch page, the supervisor's
handled list and a province ranking section (FORMAL_PASSED, the section the ranking form edits),
each as the page builds it, for the busiest unit, department and batch. The selectors that read and
evaluate a page are run as they are, and the queries they send are explained."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from makerspace.accounts.models import Organisation, Role, User  # noqa: E402
from makerspace.applications.models import Application  # noqa: E402
from makerspace.applications.workflow import State  # noqa: E402
from makerspace.batches.models import Batch  # noqa: E402
from makerspace.reviews import selectors  # noqa: E402
from makerspace.reviews.models import UnitSubmission  # noqa: E402


def busiest(field: str, **filters) -> int:
    row = Application.objects.filter(**filters).values(field).annotate(n=Count("pk")).order_by("-n").first()
    return row[field]


def show_run(title: str, call, wanted: str) -> None:
    """EXPLAIN ANALYZE the queries `call` sends whose SQL starts with `wanted` (a selector that
    evaluates its page: its own queries, not a copy of them)."""
    with CaptureQueriesContext(connection) as queries:
        call()
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if query["sql"].startswith(wanted):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                print(f"### {title}\n\n```\n{plan}\n```\n")


ROWS = 'SELECT "applications_application"."id"'
COUNTS = 'SELECT "applications_application"."batch_id" AS "batch_id", "applications_application"."state"'


def main() -> None:
    batch_id = busiest("batch", state=State.FORMAL_PASSED)
    unit_id = busiest("recommending_unit", batch_id=batch_id)
    supervisor_id = busiest("supervisor")

    queue_supervisor = busiest("supervisor", state=State.AT_SUPERVISOR)
    queue_unit = busiest("recommending_unit", state=State.AT_RECOMMENDER)
    print(f"applications: {Application.objects.count()}\n")

    supervisor = User(role=Role.SUPERVISOR, organisation=Organisation.objects.get(pk=queue_supervisor))
    show_run(
        "主管部门 待审核 (the first page of the queue)", lambda: selectors.supervisor_queue(supervisor), ROWS
    )
    unit_org = Organisation.objects.filter(recommending_unit_id=queue_unit, kind=Role.RECOMMENDER).first()
    unit_org = unit_org or Organisation(kind=Role.RECOMMENDER, recommending_unit_id=queue_unit)
    recommender = User(role=Role.RECOMMENDER, organisation=unit_org)
    show_run(
        "推荐单位 待审核 (the unit's counts per batch and state)",
        lambda: selectors.recommender_batches(recommender),
        COUNTS,
    )
    show_run(
        "推荐单位 待审核 (the first page of the queue)",
        lambda: selectors.recommender_queue(
            recommender, batches=[b["batch"] for b in selectors.recommender_batches(recommender)]
        ),
        ROWS,
    )

    batch = Batch.objects.get(pk=batch_id)
    submission = UnitSubmission(batch=batch, recommending_unit_id=unit_id)
    show_run(
        "推荐单位 本批次 (one page of the unit's applications of a batch, ranked first)",
        lambda: selectors.unit_batch_rows(submission),
        ROWS,
    )

    supervisor = User(role=Role.SUPERVISOR, organisation=Organisation.objects.get(pk=supervisor_id))
    show_run(
        "主管部门 已处理 (the handled list, newest first)",
        lambda: selectors.handled_by_supervisor(supervisor),
        ROWS,
    )

    province = User(role=Role.PROVINCE)
    show_run(
        "省科技厅 择优排序 (the first page of the 形式审查通过 section)",
        lambda: selectors.batch_page(province, batch, [State.FORMAL_PASSED]),
        ROWS,
    )


if __name__ == "__main__":
    main()
