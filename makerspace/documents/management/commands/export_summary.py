from django.core.management.base import BaseCommand, CommandError

from makerspace.accounts.models import RecommendingUnit
from makerspace.applications.workflow import State
from makerspace.batches.models import Batch
from makerspace.documents.exports import write_summary
from makerspace.documents.selectors import summary_applications

from ._common import user_named


class Command(BaseCommand):
    help = (
        "Export the 汇总表 (.xlsx): one row per application with the 附件2 fields, state, level and ranks, "
        "exactly what the given user may see (a unit its own, the province what reached it, the ministry "
        "what was recommended to it), narrowed by the optional filters."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username whose permissions scope the export")
        parser.add_argument("--output", required=True, help=".xlsx file to write")
        parser.add_argument("--batch", type=int, help="batch id")
        parser.add_argument("--unit", help="recommending unit name or short name")
        parser.add_argument("--state", choices=State.values, help="only applications in this state")

    def handle(self, *args, user, output, batch, unit, state, **options):
        exporter = user_named(user)
        if not exporter.has_perm("documents.export_summary"):
            raise CommandError("该账号的角色不能导出汇总表。")
        chosen_batch = Batch.objects.filter(pk=batch).first() if batch else None
        if batch and chosen_batch is None:
            raise CommandError(f"没有编号为{batch}的批次。")
        chosen_unit = None
        if unit:
            chosen_unit = (
                RecommendingUnit.objects.filter(name=unit).first()
                or RecommendingUnit.objects.filter(short_name=unit).first()
            )
            if chosen_unit is None:
                raise CommandError(f"没有名为“{unit}”的推荐单位。")
        applications = summary_applications(
            exporter, batch=chosen_batch, recommending_unit=chosen_unit, state=state or ""
        )
        count = write_summary(applications, output)
        self.stdout.write(f"已导出 {count} 行到 {output}")
