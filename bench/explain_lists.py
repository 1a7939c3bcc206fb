"""EXPLAIN ANALYZE of the list pages' row queries that grow with the data (PostgreSQL).

Run after `manage.py generate_applications --benchmark --count 100000` and ANALYZE: the unit's batch page,
the supervisor's handled list and a province ranking section (FORMAL_PASSED, the section the
ranking form edits), each as the page builds it, for the busiest unit, department and batch."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db.models import Count, F  # noqa: E402

from makerspace.accounts.models import Organisation, Role, User  # noqa: E402
from makerspace.applications.models import Application  # noqa: E402
from makerspace.applications.workflow import State  # noqa: E402
from makerspace.reviews import selectors  # noqa: E402
from makerspace.reviews.models import UnitSubmission  # noqa: E402


def busiest(field: str, **filters) -> int:
    row = Application.objects.filter(**filters).values(field).annotate(n=Count("pk")).order_by("-n").first()
    return row[field]


def show(title: str, queryset) -> None:
    print(f"### {title}\n\n```\n{queryset.explain(analyze=True, buffers=True)}\n```\n")


def main() -> None:
    batch_id = busiest("batch", state=State.FORMAL_PASSED)
    unit_id = busiest("recommending_unit", batch_id=batch_id)
    supervisor_id = busiest("supervisor")
    print(f"applications: {Application.objects.count()}\n")

    submission = UnitSubmission(batch_id=batch_id, recommending_unit_id=unit_id)
    rows = selectors.unit_applications(submission).order_by(
        F("recommender_rank").asc(nulls_last=True), "state", "pk"
    )
    show("推荐单位 本批次 (one page of the unit's applications of a batch)", rows[:50])

    supervisor = User(role=Role.SUPERVISOR, organisation=Organisation.objects.get(pk=supervisor_id))
    show("主管部门 已处理 (the handled list, newest first)", selectors.handled_by_supervisor(supervisor))

    province = User(role=Role.PROVINCE)
    batch = Application.objects.get(pk=Application.objects.filter(batch_id=batch_id).values("pk")[:1]).batch
    section = selectors._batch_applications(province, batch, [State.FORMAL_PASSED])
    section = section.filter(pk__in=section.values("pk")[:50])  # as page_of(..., keys_first=True)
    show("省科技厅 择优排序 (the first page of the 形式审查通过 section)", section)


if __name__ == "__main__":
    main()
