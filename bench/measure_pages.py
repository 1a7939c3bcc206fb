"""Query counts and latency of the busiest pages at the current data size.

Run after `manage.py generate_applications`: it signs each role in (as the reviewer of the busiest
unit or department), requests each page `--repeat` times in-process through Django's test client,
and prints one Markdown row per page: queries, the application rows it lists, p50 and p95 in
milliseconds, its time in SQL (each query's median over the repeats, summed) and the median CPU
of this process per request (Django, templates, the driver; not the database server, and not
the time spent waiting for a core on a loaded machine). Two-factor login is taken as done (its
cost is one device lookup per request, measured by the HTTP benchmark).

`--queries N` adds, under each page, its N slowest queries (each query's median over the repeats,
by position in the request). `--server` prints instead each page's execution time in the database
server (its SELECTs' EXPLAIN ANALYZE, summed; the median over a quarter of `--repeat` requests),
the figure a loaded machine disturbs least. `--explain LABEL` prints instead the EXPLAIN (ANALYZE,
BUFFERS) of every SELECT one request of that page runs (PostgreSQL), slowest first: which query
grows with the data, and which index it reads."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.paginator import Page  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.template import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, instrumented_test_render  # noqa: E402
from django.urls import reverse  # noqa: E402

from makerspace.accounts.models import Organisation, Role, User  # noqa: E402
from makerspace.applications.models import Application  # noqa: E402
from makerspace.applications.workflow import State  # noqa: E402
from makerspace.batches.models import Batch  # noqa: E402
from makerspace.core.demo import demo_credit_code  # noqa: E402


def busiest(state: str, field: str) -> int:
    row = Application.objects.filter(state=state).values(field).annotate(n=Count("pk")).order_by("-n").first()
    return row[field]


def user_for(role: str, organisation: Organisation | None) -> User:
    user, _ = User.objects.get_or_create(
        username=f"measure_{role}_{organisation.pk if organisation else 0}",
        defaults={"role": role, "organisation": organisation},
    )
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def rows_shown(client: Client, url: str) -> int:
    """The application rows the page lists (those of its pages, or sections, and of its plain
    lists), from one more request whose templates' contexts are recorded, apart from the timed ones."""
    original, Template._render = Template._render, instrumented_test_render
    try:
        response = client.get(url)
    finally:
        Template._render = original
    rows = set()  # included templates see the same rows again
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, Page):
                value = value.object_list
            if isinstance(value, list) and value and isinstance(value[0], Application):
                rows.update(row.pk for row in value)
    return len(rows)


def timer(timed: list[float]):
    """An execute wrapper that appends each query's milliseconds (sent, run, rows fetched) to
    `timed` (Django's query log rounds them to the millisecond)."""

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append((time.perf_counter() - start) * 1000)

    return wrapper


def sql_ms(per_query: list[list[float]]) -> float:
    """The request's time in its queries: the sum of each query's median over the repeats."""
    return sum(statistics.median(times) for times in zip(*per_query, strict=False))


def slowest(captured: list[dict], per_query: list[list[float]], n: int) -> None:
    """The page's n slowest queries: median ms over the repeats, by position in the request."""
    medians = [statistics.median(times) for times in zip(*per_query, strict=False)]
    total = sum(medians)
    for ms, query in sorted(zip(medians, captured, strict=False), key=lambda pair: -pair[0])[:n]:
        print(f"|  ↳ {ms:.1f} ms of {total:.1f}: `{query['sql'][:160]}` | | | | | | | |")


def plans(client: Client, url: str) -> list[tuple[float, str, str]]:
    """(execution ms, SQL, plan) of every SELECT one request of the page sends, slowest first."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    explained = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            ms = float(plan.rsplit("Execution Time: ", 1)[1].split(" ")[0])
            explained.append((ms, query["sql"], plan))
    return sorted(explained, key=lambda p: -p[0])


def explain(client: Client, url: str) -> None:
    for ms, sql, plan in plans(client, url):
        print(f"--- {ms:.2f} ms\n{sql}\n\n{plan}\n")


def server_times(pages, repeat: int) -> None:
    """Per page, the database server's execution time of its SELECTs (EXPLAIN ANALYZE: no
    planning, no network, no Python), the median over `repeat` requests, and its slowest query's."""
    print("| page | SELECTs | server ms | slowest query ms |")
    print("|---|---:|---:|---:|")
    for label, user, url in pages:
        client = client_for(user)
        runs = [plans(client, url) for _ in range(repeat)]
        total = statistics.median(sum(ms for ms, _, _ in run) for run in runs)
        slowest_ms = statistics.median(run[0][0] if run else 0 for run in runs)
        print(f"| {label} | {len(runs[0])} | {total:.2f} | {slowest_ms:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--queries", type=int, default=0, help="show each page's N slowest queries")
    parser.add_argument("--explain", metavar="LABEL", help="EXPLAIN ANALYZE every query of this page")
    parser.add_argument("--server", action="store_true", help="each page's server execution time instead")
    parser.add_argument("--page", metavar="LABEL", action="append", help="measure only these pages")
    args = parser.parse_args()
    settings.OTP_REQUIRED_ROLES = []
    settings.AXES_ENABLED = False
    settings.ALLOWED_HOSTS = ["*"]

    open_batch = Batch.objects.filter(status=Batch.Status.OPEN, document_number__startswith="负荷测试").get()
    supervisor_org = Organisation.objects.get(pk=busiest(State.AT_SUPERVISOR, "supervisor"))
    unit_id = busiest(State.AT_RECOMMENDER, "recommending_unit")
    recommender_org, _ = Organisation.objects.get_or_create(
        credit_code=demo_credit_code(960_000 + unit_id, "11"),
        defaults={"name": "测量用推荐单位", "kind": Role.RECOMMENDER, "recommending_unit_id": unit_id},
    )
    anyone = Organisation.objects.filter(kind=Role.PROVINCE).first()
    applicant = (
        User.objects.filter(username="load_applicant_0").first()
        or User.objects.filter(role=Role.APPLICANT).first()
    )
    own = Application.objects.filter(space__organisation=applicant.organisation_id).first()

    pages = [
        ("申报单位 我的申报", applicant, reverse("applications:list")),
        ("申报单位 申报详情", applicant, reverse("applications:detail", args=[own.pk])),
        ("主管部门 待审核", user_for(Role.SUPERVISOR, supervisor_org), reverse("reviews:supervisor_queue")),
        (
            "推荐单位 待审核",
            user_for(Role.RECOMMENDER, recommender_org),
            reverse("reviews:recommender_queue"),
        ),
        (
            "推荐单位 本批次排序",
            user_for(Role.RECOMMENDER, recommender_org),
            reverse("reviews:recommender_batch", args=[open_batch.pk]),
        ),
        ("受理单位 待受理", user_for(Role.ACCEPTANCE, anyone), reverse("reviews:acceptance_queue")),
        ("省科技厅 工作台", user_for(Role.PROVINCE, anyone), reverse("reviews:province_queue")),
        (
            "省科技厅 择优排序",
            user_for(Role.PROVINCE, anyone),
            reverse("reviews:province_batch", args=[open_batch.pk]),
        ),
        ("科技部 工作台", user_for(Role.MINISTRY, anyone), reverse("reviews:ministry_queue")),
        (
            "科技部 本批次",
            user_for(Role.MINISTRY, anyone),
            reverse("reviews:ministry_batch", args=[open_batch.pk]),
        ),
        ("公众 备案名单", None, reverse("public:lists")),
    ]
    if connection.vendor == "postgresql":
        # The statistics see the reviewers this script just added (as autovacuum's would): with the
        # table's statistics taken before, the planner reads every organisation to join the user.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_user, accounts_organisation")
    if args.page:
        pages = [page for page in pages if page[0] in args.page]
    if args.server:
        server_times(pages, max(1, args.repeat // 4))
        return
    if args.explain:
        label, user, url = next(page for page in pages if page[0] == args.explain)
        explain(client_for(user), url)
        return
    total = Application.objects.count()
    print(f"applications in the database: {total}; repeat: {args.repeat}")
    print("| page | queries | rows | p50 ms | p95 ms | SQL ms | CPU ms | status |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, user, url in pages:
        client = client_for(user)
        client.get(url)  # warm caches and the session
        timings, cpu, per_query = [], [], []
        for _ in range(args.repeat):
            timed = []
            with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timer(timed)):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            per_query.append(timed)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        captured = queries.captured_queries  # read before another request resets the query log
        rows = rows_shown(client, url)
        print(
            f"| {label} `{url}` | {len(captured)} | {rows} | {statistics.median(timings):.0f} | {p95:.0f} "
            f"| {sql_ms(per_query):.1f} | {statistics.median(cpu):.1f} | {response.status_code} |"
        )
        if args.queries:
            slowest(captured, per_query, args.queries)


if __name__ == "__main__":
    main()
