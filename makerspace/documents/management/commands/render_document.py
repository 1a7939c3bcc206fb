from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from makerspace.applications.models import Application, ApplicationVersion
from makerspace.documents import services
from makerspace.documents.models import Format, Kind

from ._common import user_named


class Command(BaseCommand):
    help = (
        "Render one document of an application: 附件2 basic_info, 附件3 report, 附件4 commitment_applicant, "
        "附件5 commitment_supervisor, the whole package (PDF only), or the letter of the application's "
        "recommending unit (recommendation_letter) or of the province for its batch (province_letter). "
        "A submitted version gets the same verification code as on screen; a draft is watermarked 草稿. "
        "The QR code and verification link are built on the SITE_URL setting."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--application", required=True, help="申报编号 as shown on screen, e.g. ZC2026000001"
        )
        parser.add_argument("--kind", required=True, choices=[k.value for k in Kind])
        parser.add_argument("--format", required=True, choices=Format.values, dest="fmt")
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument(
            "--version-number",
            type=int,
            dest="version",
            help="submitted version number (default: latest, or the draft)",
        )
        parser.add_argument("--user", help="username recorded as issuer in the audit log (optional)")

    def handle(self, *args, application, kind, fmt, output, version, user, **options):
        found = (
            Application.objects.select_related(
                "space__organisation", "batch", "recommending_unit", "supervisor"
            )
            .filter(number=application)
            .first()
        )
        if found is None:
            raise CommandError(f"没有申报编号为“{application}”的申报。")
        issuer = user_named(user)
        if kind == Kind.PACKAGE and fmt != Format.PDF:
            raise CommandError("合订本只有PDF格式（--format pdf）。")
        try:
            if kind == Kind.PACKAGE:
                rendered = services.package_document(user=issuer, application=found, version_number=version)
            elif kind == Kind.RECOMMENDATION_LETTER:
                rendered = services.letter_document(
                    user=issuer,
                    kind=kind,
                    fmt=fmt,
                    batch=found.batch,
                    recommending_unit=found.recommending_unit,
                )
            elif kind == Kind.PROVINCE_LETTER:
                rendered = services.letter_document(user=issuer, kind=kind, fmt=fmt, batch=found.batch)
            else:
                rendered = services.application_document(
                    user=issuer,
                    application=found,
                    kind=kind,
                    fmt=fmt,
                    version_number=version,
                )
        except ApplicationVersion.DoesNotExist:
            raise CommandError(f"申报 {application} 没有第{version}版。") from None
        Path(output).write_bytes(rendered.data)
        mark = "草稿（带水印）" if rendered.is_draft else f"验证码 {rendered.issued.code}"
        self.stdout.write(f"已写入 {output}（{len(rendered.data)} 字节，{mark}）")
