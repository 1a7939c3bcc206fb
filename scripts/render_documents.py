"""Render every generated document to PNG, to look at them as an official would print them.

    scripts/render-documents.sh [OUTPUT_DIR]     (default var/rendered)

Builds a small world in a throw-away SQLite database (the test factories, so it needs the dev
dependencies), takes one unit's applications to 已报送 and the province's choice, and writes every
document: 附件2–5 (.docx and PDF), the package, both letters (.docx and PDF), the blank forms, the
汇总表 and the credit export. The shell script then turns each PDF into PNGs with pdftoppm and
each .docx/.xlsx into a PDF with LibreOffice headless first."""

import os
import sys
import tempfile
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
out = Path(sys.argv[1] if len(sys.argv) > 1 else BASE / "var" / "rendered")
out.mkdir(parents=True, exist_ok=True)
work = tempfile.mkdtemp(prefix="render-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{work}/db.sqlite3"
os.environ["VAR_DIR"] = work
os.environ.setdefault("SITE_URL", "https://filing.example.cn")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402

call_command("migrate", verbosity=0)

with override_settings(MEDIA_ROOT=f"{work}/media"):
    from makerspace.core.tests.factories import World
    from makerspace.documents import services
    from makerspace.documents.exports import write_summary
    from makerspace.documents.models import APPLICATION_KINDS, Format, Kind, LetterSettings
    from makerspace.documents.selectors import summary_applications
    from makerspace.reviews import chain

    world = World()
    world.batch.title = "2026年国家专业化众创空间备案推荐"
    world.batch.document_number = "苏科高发〔2026〕88号"
    world.batch.save()
    LetterSettings.objects.create(
        batch=world.batch,
        notice_title="省科技厅关于组织开展2026年国家专业化众创空间备案推荐工作的通知",
        letter_number="苏科高函〔2026〕120号",
        contact_name="张迪",
        contact_phone="025-83379768",
        cc="科技部火炬高技术产业开发中心",
    )
    LetterSettings.objects.create(
        batch=world.batch,
        recommending_unit=world.unit,
        letter_number="宁科函〔2026〕17号",
        contact_name="周联络",
        contact_phone="025-68787654",
        cc="江苏省科技企业孵化器协会",
    )
    applications = world.delivered(count=2)
    first = applications[0]
    draft = world.complete_draft()

    def write(name: str, data: bytes) -> None:
        (out / name).write_bytes(data)
        print(out / name)

    for kind in APPLICATION_KINDS:
        for fmt in (Format.DOCX, Format.PDF):
            rendered = services.application_document(
                user=world.applicant, application=first, kind=kind, fmt=fmt
            )
            write(f"{kind}.{fmt}", rendered.data)
    write(
        "basic_info-draft.docx",
        services.application_document(
            user=world.applicant, application=draft, kind=Kind.BASIC_INFO, fmt=Format.DOCX
        ).data,
    )
    write("package.pdf", services.package_document(user=world.applicant, application=first).data)
    write("package-draft.pdf", services.package_document(user=world.applicant, application=draft).data)
    for fmt in (Format.DOCX, Format.PDF):
        write(
            f"recommendation_letter.{fmt}",
            services.letter_document(
                user=world.recommender,
                kind=Kind.RECOMMENDATION_LETTER,
                fmt=fmt,
                batch=world.batch,
                recommending_unit=world.unit,
            ).data,
        )
    for application in applications:
        chain.receive(application, world.acceptance)
        chain.decide(application, world.province, "pass")
        world.advance(application, "select")
    for fmt in (Format.DOCX, Format.PDF):
        write(
            f"province_letter.{fmt}",
            services.letter_document(
                user=world.province, kind=Kind.PROVINCE_LETTER, fmt=fmt, batch=world.batch
            ).data,
        )
    for number in range(1, 6):
        write(f"blank-{number}.docx", services.blank_form(number).data)
    with open(out / "summary.xlsx", "wb") as handle:
        write_summary(summary_applications(world.province, batch=world.batch), handle)
    print(out / "summary.xlsx")
    from datetime import date

    from makerspace.credit.exports import export_xlsx
    from makerspace.credit.models import CreditRecord

    CreditRecord.objects.create(
        credit_code=first.space.organisation.credit_code,
        subject_name=first.space.organisation.name,
        kind=CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT,
        reason='=HYPERLINK("http://example.com") 项目验收材料弄虚作假，经调查属实，记入不良科技信用记录',
        source_document="苏科监发〔2026〕5号",
        starts_on=date(2026, 3, 1),
        ends_on=date(2029, 2, 28),
        recorded_by=world.province,
    )
    write("credit-records.xlsx", export_xlsx(CreditRecord.objects.all()))
