"""CPU per request of the deadline rush's pages and POSTs, as a ratio to the signed-in bare view
measured in the same run (the issue's yardstick: absolute timings on a shared machine are noise).

Run after `manage.py generate_applications --benchmark --applicants N --complete --reviewers M` (the data
`scripts/bench.sh` makes): it resumes `load_applicant_0` and the load reviewers, requests each page
`--repeat` times in-process through Django's test client and prints one Markdown row per page:
queries, CPU ms per request (this process: Django, templates and the database driver; not the
database server) and its ratio to a bare view requested with a signed-in session (session and user
loaded by the middleware). /healthz cannot serve: the probes are answered before the session is
read (makerspace.core.health), so the bare view is bench/bare_urls.py's, behind every middleware,
rendering nothing. It is requested alternately with each page, and each page's ratio is to the
bare view's median beside it. Queries are counted on one more request, apart from the timed ones.
Each submit uses another load applicant's complete draft (at most N - 1).
`--profile LABEL` prints the cProfile of that page instead (the project's functions, templates
and SQL, by cumulative time); for the submit, of the submits of `--repeat` drafts but the first,
which warms the path.
`--calls` counts one submit's calls after another draft's submit has warmed the path.
`--plans` prints, for each page, the planning and execution time PostgreSQL reports for its
queries (EXPLAIN (ANALYZE, SUMMARY) of each SELECT it ran, as the server sees it with client-side
binding). `--server-cpu` measures instead the CPU the PostgreSQL server spends per request (the backend
process serving this process's connection, read from /proc: the database must run on this
machine), over `--repeat` requests of each page."""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from payloads import PDF, SCALE  # noqa: E402

from makerspace.accounts.models import User  # noqa: E402
from makerspace.applications.models import Application  # noqa: E402
from makerspace.applications.workflow import State  # noqa: E402
from makerspace.batches.models import Batch  # noqa: E402


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def cpu_ms(client: Client, request):
    start = time.process_time()
    response = request(client)
    return (time.process_time() - start) * 1000, response


def count_queries(client: Client, request) -> tuple[int, int]:
    """Queries and status of one request, counted apart from the timed ones (Django's query log
    costs CPU per query that production does not pay)."""
    with CaptureQueriesContext(connection) as queries:
        response = request(client)
    return len(queries), response.status_code


def calls(client: Client, request) -> int:
    """Python function calls of one request (cProfile's count, after a warming request)."""
    request(client)
    profiler = cProfile.Profile()
    profiler.enable()
    request(client)
    profiler.disable()
    return pstats.Stats(profiler).total_calls


def backend_cpu_ms() -> tuple[int, float]:
    """The PostgreSQL backend serving this process's connection and the CPU (user and system) it
    has used so far. The test client keeps the connection open between requests."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    # /proc/<pid>/stat: after "pid (comm)", field 3 (state) is the first; utime and stime are 14, 15.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return pid, (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def plans(client: Client, request) -> tuple[int, float, float]:
    """The page's SELECTs and their total planning and execution ms, as EXPLAIN ANALYZE reports them."""
    request(client)
    with CaptureQueriesContext(connection) as queries:
        request(client)
    selects = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    planning = execution = 0.0
    with connection.cursor() as cursor:
        for sql in selects:
            cursor.execute("EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0][0]
            planning += plan["Planning Time"]
            execution += plan["Execution Time"]
    return len(selects), planning, execution


def server_cpu(client: Client, request, repeat: int) -> float:
    """The database server's CPU ms per request of the page, over `repeat` requests."""
    request(client)
    pid, start = backend_cpu_ms()
    for _ in range(repeat):
        request(client)
    same, end = backend_cpu_ms()
    if same != pid:
        raise SystemExit("the database connection changed during the measurement")
    return (end - start) / repeat


def measure(client: Client, request, repeat: int, bare: Client) -> tuple[int, float, int, float]:
    """Queries, median CPU ms, status, and the median CPU ms of the signed-in bare view requested
    alternately with the page: the floor is measured in the same moments as the page, so a
    machine whose speed drifts during the run moves both alike."""
    request(client)  # warm per-process caches and the session
    cpu, floor = [], []
    for _ in range(repeat):
        floor.append(cpu_ms(bare, get(BARE))[0])
        cpu.append(cpu_ms(client, request)[0])
    queries, status = count_queries(client, request)
    return queries, statistics.median(cpu), status, statistics.median(floor)


def reviewer_with(prefix: str, state: str, field: str) -> tuple[User, Application]:
    """The first load reviewer with an application waiting for them, and that application."""
    for user in (
        User.objects.filter(username__startswith=prefix).select_related("organisation").order_by("pk")
    ):
        scope = user.organisation_id if field == "supervisor" else user.organisation.recommending_unit_id
        waiting = Application.objects.filter(**{f"{field}_id": scope, "state": state}).first()
        if waiting is not None:
            return user, waiting
    raise SystemExit(f"no {prefix}* reviewer has an application in {state}")


BARE = "/bench/bare/"


def get(url):
    return lambda client: client.get(url)


SUBMIT = "申报单位 submit POST"


def signed_submits(drafts):
    """For each (owner, draft): the owner's client and the request submitting that draft, its
    commitment signed here (apart from what is measured)."""
    runs = []
    for owner, draft in drafts:
        client = client_for(owner)
        client.post(f"/applications/{draft.pk}/commitment/", {"signatory": "测试法人", "agree": "on"})
        runs.append((client, lambda c, pk=draft.pk: c.post(f"/applications/{pk}/submit/")))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", default="")
    parser.add_argument(
        "--plans",
        action="store_true",
        help="print PostgreSQL's planning and execution time of each page's queries instead",
    )
    parser.add_argument(
        "--server-cpu",
        action="store_true",
        help="measure the PostgreSQL server's CPU per request instead (the database on this machine)",
    )
    parser.add_argument(
        "--calls",
        action="store_true",
        help="count Python function calls per request instead of CPU time: the same for the same "
        "code whatever else the machine runs, so a change can be compared on a busy machine",
    )
    args = parser.parse_args()
    settings.OTP_REQUIRED_ROLES = []
    settings.AXES_ENABLED = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bare_urls"

    applicant = User.objects.get(username="load_applicant_0")
    own = Application.objects.get(space__organisation=applicant.organisation_id, state=State.DRAFT)
    province = User.objects.filter(role="province").first()
    open_batch = Batch.objects.filter(status=Batch.Status.OPEN, document_number__startswith="负荷测试").get()
    supervisor, at_supervisor = reviewer_with("load_supervisor_", State.AT_SUPERVISOR, "supervisor")
    recommender, at_unit = reviewer_with("load_recommender_", State.AT_RECOMMENDER, "recommending_unit")
    owners = User.objects.filter(username__startswith="load_applicant_").exclude(pk=applicant.pk)
    drafts = [
        (user, draft)
        for user in owners.order_by("pk")
        for draft in Application.objects.filter(space__organisation=user.organisation_id, state=State.DRAFT)
    ][: args.repeat]

    base = f"/applications/{own.pk}"
    uploads = iter(range(1_000_000))

    def upload(client):
        pdf = SimpleUploadedFile(f"evidence{next(uploads)}.pdf", PDF, content_type="application/pdf")
        return client.post(f"{base}/files/", {"kind": "evidence", "title": "场地证明", "file": pdf})

    def sign(client):
        return client.post(f"{base}/commitment/", {"signatory": "测试法人", "agree": "on"})

    def autosave(client):
        return client.post(f"{base}/autosave/basic:scale/", SCALE, headers={"HX-Request": "true"})

    pages = [
        ("申报单位 申报详情", applicant, get(f"{base}/")),
        ("申报单位 附件2 section GET", applicant, get(f"{base}/basic/scale/")),
        ("申报单位 autosave POST", applicant, autosave),
        ("申报单位 证明材料 GET", applicant, get(f"{base}/files/")),
        ("申报单位 upload POST", applicant, upload),
        ("申报单位 附件4 GET", applicant, get(f"{base}/commitment/")),
        ("申报单位 sign 附件4 POST", applicant, sign),
        ("主管部门 待审核", supervisor, get(reverse("reviews:supervisor_queue"))),
        ("主管部门 审核详情", supervisor, get(reverse("reviews:supervisor_detail", args=[at_supervisor.pk]))),
        ("推荐单位 待审核", recommender, get(reverse("reviews:recommender_queue"))),
        ("推荐单位 审核详情", recommender, get(reverse("reviews:review", args=[at_unit.pk]))),
        ("推荐单位 本批次", recommender, get(reverse("reviews:recommender_batch", args=[open_batch.pk]))),
        ("省科技厅 择优排序", province, get(reverse("reviews:province_batch", args=[open_batch.pk]))),
    ]
    if args.profile:
        if args.profile == SUBMIT:
            # As the timed loop: each submit another complete draft's, signed before profiling.
            runs = list(signed_submits(drafts))
        else:
            label, user, request = next(p for p in pages if p[0] == args.profile)
            client = client_for(user)
            runs = [(client, request)] * (args.repeat + 1)
        client, request = runs[0]
        request(client)
        profiler = cProfile.Profile()
        profiler.enable()
        for client, request in runs[1:]:
            request(client)
        profiler.disable()
        # The project's own functions, template rendering and SQL building/execution.
        # PROFILE_SHOWN replaces the pattern (for example "templatetags|defaulttags").
        default = r"makerspace|template/(base|loader_tags)|sql/compiler.py.*(as_sql|execute_sql)|psycopg"
        shown = os.environ.get("PROFILE_SHOWN") or default
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(shown, 40)
        return

    bare = client_for(applicant)
    bare.get(BARE)
    if args.calls:
        floor_calls = calls(bare, get(BARE))
        print(f"signed-in bare view: {floor_calls} Python function calls per request")
        print("| page | function calls | ratio to signed-in bare view |")
        print("|---|---:|---:|")
        for label, user, request in pages:
            client = client_for(user)
            request(client)
            page_calls = calls(client, request)
            print(f"| {label} | {page_calls} | {page_calls / floor_calls:.1f}× |")
        # A submit counted after another draft's submit has warmed the path (each draft submits once).
        (warm_client, warm), (client, submit) = signed_submits(drafts[:2])
        warm(warm_client)
        profiler = cProfile.Profile()
        profiler.enable()
        submit(client)
        profiler.disable()
        submit_calls = pstats.Stats(profiler).total_calls
        print(f"| {SUBMIT} | {submit_calls} | {submit_calls / floor_calls:.1f}× |")
        return
    if args.plans:
        print("| page | SELECTs | planning ms | execution ms |")
        print("|---|---:|---:|---:|")
        for label, user, request in pages:
            count, planning, execution = plans(client_for(user), request)
            print(f"| {label} | {count} | {planning:.2f} | {execution:.2f} |")
        return
    if args.server_cpu:
        options = connection.settings_dict.get("OPTIONS", {})
        print(f"server-side binding: {bool(options.get('server_side_binding'))}; repeat: {args.repeat}")
        print("| page | database server CPU ms per request |")
        print("|---|---:|")
        print(f"| signed-in bare view | {server_cpu(bare, get(BARE), args.repeat):.2f} |")
        for label, user, request in pages:
            print(f"| {label} | {server_cpu(client_for(user), request, args.repeat):.2f} |")
        return
    rows = [(label, *measure(client_for(user), request, args.repeat, bare)) for label, user, request in pages]

    # Each submit freezes a version: one request per complete draft, signed just before, and
    # counted on the last one.
    submit_cpu, submit_floor, submit_queries, submit_status = [], [], 0, 0
    submits = list(signed_submits(drafts))
    for index, (client, submit) in enumerate(submits):
        submit_floor.append(cpu_ms(bare, get(BARE))[0])
        if index == len(submits) - 1:
            submit_queries, submit_status = count_queries(client, submit)
        else:
            submit_cpu.append(cpu_ms(client, submit)[0])
    if submit_cpu:
        rows.append(
            (
                SUBMIT,
                submit_queries,
                statistics.median(submit_cpu),
                submit_status,
                statistics.median(submit_floor),
            )
        )

    floors = [row[4] for row in rows]
    bare_queries, _ = count_queries(bare, get(BARE))
    print(
        f"applications: {Application.objects.count()}; repeat: {args.repeat}; submits: {len(submit_cpu)}; "
        f"signed-in bare view: {statistics.median(floors):.2f} CPU ms ({bare_queries} queries; "
        f"from {min(floors):.2f} to {max(floors):.2f} beside the pages)"
    )
    print("| page | queries | CPU ms | bare view beside it | ratio to signed-in bare view | status |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, queries, cpu, status, floor in rows:
        print(f"| {label} | {queries} | {cpu:.1f} | {floor:.2f} | {cpu / floor:.1f}× | {status} |")


if __name__ == "__main__":
    main()
