"""Benchmark (not a test): a recommending unit's dossier (ZIP) of N packages, N = 200 by default.

The applications are taken to 已推荐 by the real review services (test factories, so it needs the
dev dependencies). Then the dossier job is built twice: first with no package issued yet (every
package rendered once, then copied into the ZIP), then again with every package issued (the ZIP
assembled from storage only), the second time under tracemalloc for the Python heap's peak.
Everything is rolled back; files go to a temporary folder."""

import os
import resource
import tempfile
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings


class Rollback(Exception):
    pass


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Time and peak memory of a unit dossier of --packages packages (default 200). Rolled back."

    def add_arguments(self, parser):
        parser.add_argument("--packages", type=int, default=200)

    def handle(self, *args, packages, **options):
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            try:
                with transaction.atomic():
                    self._run(packages)
                    raise Rollback
            except Rollback:
                pass

    def _run(self, count: int):
        from makerspace.core.tests.factories import World
        from makerspace.documents import dossier, services
        from makerspace.documents.models import DocumentJob

        world = World()
        world.batch.quota = count
        world.batch.save()
        started = time.perf_counter()
        for _ in range(count):
            world.recommended()
        self.stdout.write(f"{count} applications recommended in {time.perf_counter() - started:.1f} s")

        def job():
            return DocumentJob.objects.create(
                kind=DocumentJob.JobKind.UNIT_DOSSIER,
                input_sha256="bench",
                requested_by=world.recommender,
                recommending_unit=world.unit,
                batch=world.batch,
            )

        rss_before = _rss_mib()
        started = time.perf_counter()
        first = job()
        name, spool = dossier.build_dossier(first, lambda percent: None)
        with spool:
            services.job_finish(first, filename=name, handle=spool)
        cold = time.perf_counter() - started
        self.stdout.write(
            f"cold (every package rendered once, then zipped): {cold:.1f} s, "
            f"{cold / count:.2f} s per package, ZIP {first.size / 2**20:.1f} MiB, "
            f"peak RSS {_rss_mib():.0f} MiB (before {rss_before:.0f} MiB)"
        )
        tracemalloc.start()
        started = time.perf_counter()
        second = job()
        name, spool = dossier.build_dossier(second, lambda percent: None)
        with spool:
            services.job_finish(second, filename=name, handle=spool)
        warm = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"warm (all packages issued, ZIP from storage, under tracemalloc): {warm:.1f} s, "
            f"Python heap peak {peak / 2**20:.1f} MiB, ZIP {second.size / 2**20:.1f} MiB, "
            f"peak RSS {_rss_mib():.0f} MiB, cpus {os.cpu_count()}"
        )
