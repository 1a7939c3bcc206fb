"""Benchmark (not a test): one application package with 30 uploaded pages, and the 汇总表 of
1,000 and 10,000 applications with peak memory. Everything it creates is rolled back and its files
go to a temporary folder, so it can run against any database. Needs the dev dependencies
(factory_boy) because it builds its data with the test factories.

Its 汇总表 rows are written in bulk in the state they are exported in (受理单位已受理), not taken
through the state machine: like `generate_applications`, benchmark data is the one place states are
written so, because 10,000 applications through their transitions would take hours. The rows never
outlive the command (the transaction always rolls back) and no page or service relies on them."""

import io
import resource
import tempfile
import time
import tracemalloc

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings


class Rollback(Exception):
    pass


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (2400, 1800), (40 + seed * 7 % 200, 90, 140))
    draw = ImageDraw.Draw(image)
    for i in range(0, 2400, 40):
        draw.line([(i, 0), (2400 - i, 1800)], fill=(255, (i * 3) % 255, 80), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _scan(pages: int) -> bytes:
    """A text PDF of exactly `pages` pages, standing in for a scanned certificate."""
    from pypdf import PdfReader, PdfWriter

    from makerspace.documents import render_pdf

    page = PdfReader(
        io.BytesIO(render_pdf.notice_page("扫描件", [f"第{n}行：证明材料内容。" for n in range(20)]))
    )
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(page.pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Measure document generation: the package of one version with 30 uploaded pages (10 photos "
        "and two 10-page PDFs), and 汇总表 exports of 1,000 and 10,000 applications (time, tracemalloc "
        "peak, process peak RSS). Rolls everything back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000, help="applications in the large export")

    def handle(self, *args, rows, **options):
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            try:
                with transaction.atomic():
                    self._package()
                    self._exports(rows)
                    raise Rollback
            except Rollback:
                pass

    def _package(self):
        from pypdf import PdfReader

        from makerspace.applications import services as application_services
        from makerspace.applications.models import Attachment
        from makerspace.core.tests.factories import World
        from makerspace.documents import services

        world = World()
        application = world.complete_draft()
        uploads = [(f"照片{n}", f"photo{n}.jpg", _photo(n), "image/jpeg") for n in range(10)]
        scan = _scan(10)
        uploads += [(f"证明材料{n}", f"scan{n}.pdf", scan, "application/pdf") for n in range(2)]
        for title, name, raw, content_type in uploads:
            application_services.attachment_add_by_applicant(
                user=world.applicant,
                application=application,
                kind=Attachment.Kind.EVIDENCE,
                title=title,
                upload=SimpleUploadedFile(name, raw, content_type=content_type),
            )
        application.refresh_from_db()
        application_services.commitment_sign(
            user=world.applicant, application=application, signatory="王法人"
        )
        application_services.application_submit(user=world.applicant, application=application)
        application.refresh_from_db()
        uploaded_pages = 10 + 2 * len(PdfReader(io.BytesIO(scan)).pages)
        started = time.perf_counter()
        rendered = services.package_document(user=world.applicant, application=application)
        elapsed = time.perf_counter() - started
        pages = len(PdfReader(io.BytesIO(rendered.data)).pages)
        started = time.perf_counter()
        services.package_document(user=world.applicant, application=application)
        again = time.perf_counter() - started
        self.stdout.write(
            f"package: {uploaded_pages} uploaded pages (+ the commitment scan), {pages} pages in all, "
            f"{len(rendered.data) / 1048576:.1f} MiB, built in {elapsed:.2f} s; "
            f"second request (stored, same code) {again * 1000:.0f} ms"
        )
        self.world = world

    def _exports(self, rows: int):
        from makerspace.applications.models import Application, BasicInfo, MakerSpace
        from makerspace.applications.workflow import Level, State
        from makerspace.documents.exports import write_summary
        from makerspace.permissions import visible_applications

        world = self.world
        organisation = world.applicant.organisation
        started = time.perf_counter()
        spaces = MakerSpace.objects.bulk_create(
            MakerSpace(organisation=organisation, name=f"基准{n:05d}领域专业化众创空间") for n in range(rows)
        )
        if spaces[0].pk is None:  # backends that do not return keys from bulk_create
            spaces = list(MakerSpace.objects.filter(name__startswith="基准").order_by("pk"))
        applications = Application.objects.bulk_create(
            Application(
                number=f"BM{n:08d}",
                space=space,
                batch=world.batch,
                recommending_unit=world.unit,
                unit_sort_order=world.unit.sort_order,
                supervisor=world.supervisor.organisation,
                state=State.RECEIVED,
                reached_level=Level.ACCEPTANCE,
                recommender_rank=n + 1,
                created_by=world.applicant,
            )
            for n, space in enumerate(spaces)
        )
        if applications[0].pk is None:
            applications = list(Application.objects.filter(number__startswith="BM").order_by("pk"))
        filled = world.submitted().basic_info
        template = {
            f.name: getattr(filled, f.name)
            for f in BasicInfo._meta.concrete_fields
            if f.name not in {"id", "application", "updated_at"}
        }
        BasicInfo.objects.bulk_create(BasicInfo(application=a, **template) for a in applications)
        self.stdout.write(f"setup: {rows} applications created in {time.perf_counter() - started:.1f} s")
        for limit in (rows // 10, rows):
            queryset = visible_applications(world.province).filter(number__startswith="BM")
            queryset = (
                queryset.filter(pk__in=[a.pk for a in applications[:limit]]) if limit < rows else queryset
            )
            with tempfile.TemporaryFile() as target:
                rss_before = _peak_rss_mib()
                started = time.perf_counter()
                count = write_summary(queryset, target)
                untraced = time.perf_counter() - started
                size = target.tell()
            with tempfile.TemporaryFile() as target:
                tracemalloc.start()
                write_summary(queryset, target)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            self.stdout.write(
                f"export: {count} rows, {size / 1048576:.1f} MiB .xlsx in {untraced:.2f} s; "
                f"tracemalloc peak {peak / 1048576:.1f} MiB; process peak RSS {rss_before:.0f} → "
                f"{_peak_rss_mib():.0f} MiB"
            )
