"""p50/p95 of every dashboard as its role sees it, on whatever data the database holds (generate it
with `manage.py generate_applications`). Requests go through the whole stack (middleware,
permission checks, templates) with Django's test client, uncached and then cached; the numbers are
for docs/benchmarks.md. Creates one bench account per role if missing (bench_stats_<role>)."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from makerspace.accounts.models import Organisation, Role, User
from makerspace.applications.models import Application
from makerspace.core.loadgen import create_reviewers

PAGES = [
    ("province", "batch"),
    ("acceptance", "batch"),
    ("recommender", "jurisdiction"),
    ("supervisor", "jurisdiction"),
    ("applicant", "progress"),
    ("ministry", "filed"),
    ("anonymous", "public"),
    ("province", "trends"),
    ("recommender", "trends"),
]


# The dashboards whose figures are cached (makerspace.stats.cache); the others are cheap per user.
CACHED = {"batch", "filed", "public", "trends"}


def _users() -> dict[str, User | None]:
    create_reviewers(1)
    users = {
        "anonymous": None,
        "supervisor": User.objects.get(username="load_supervisor_0"),
        "recommender": User.objects.get(username="load_recommender_0"),
    }
    for role in (Role.PROVINCE, Role.ACCEPTANCE, Role.MINISTRY):
        users[role], _ = User.objects.get_or_create(username=f"bench_stats_{role}", defaults={"role": role})
    owner = Organisation.objects.filter(
        pk=Application.objects.order_by("pk").values("space__organisation")[:1]
    )
    users["applicant"], _ = User.objects.get_or_create(
        username="bench_stats_applicant", defaults={"role": Role.APPLICANT, "organisation": owner.first()}
    )
    return users


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "各统计页面的响应时间（p50/p95，未缓存与已缓存），用于 docs/benchmarks.md。"

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="每个页面请求次数（默认20）")

    def handle(self, *args, **options):
        users = _users()
        runs = options["runs"]
        self.stdout.write(
            f"applications: {Application.objects.count()} · database: {connection.vendor} · runs: {runs}\n"
        )
        self.stdout.write("| dashboard | role | queries | uncached p50 | uncached p95 | cached p95 |")
        self.stdout.write("|---|---|---|---|---|---|")
        with override_settings(OTP_REQUIRED_ROLES=[], AXES_ENABLED=False, RATELIMIT_ENABLE=False):
            for role, name in PAGES:
                client = Client()
                if users[role] is not None:
                    client.force_login(users[role])
                url = reverse(f"stats:{name}")
                client.get(reverse("stats:home"))  # the session's first request writes it
                uncached, cached = [], []
                with override_settings(STATS_CACHE_SECONDS=0):
                    queries = []

                    def count(execute, sql, params, many, context, seen=queries):
                        seen.append(sql)
                        return execute(sql, params, many, context)

                    with connection.execute_wrapper(count):
                        assert client.get(url).status_code == 200
                    for _ in range(runs):
                        start = time.perf_counter()
                        client.get(url)
                        uncached.append((time.perf_counter() - start) * 1000)
                with override_settings(STATS_CACHE_SECONDS=300):
                    client.get(url)
                    for _ in range(runs):
                        start = time.perf_counter()
                        client.get(url)
                        cached.append((time.perf_counter() - start) * 1000)
                kept = f"{_percentile(cached, 0.95):.0f} ms" if name in CACHED else "not cached"
                self.stdout.write(
                    f"| {name} | {role} | {len(queries)} | {statistics.median(uncached):.0f} ms"
                    f" | {_percentile(uncached, 0.95):.0f} ms | {kept} |"
                )
