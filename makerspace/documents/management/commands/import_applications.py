from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from makerspace.batches.models import Batch
from makerspace.documents import services
from makerspace.documents.imports import ImportFileError

from ._common import user_named


class Command(BaseCommand):
    help = (
        "Import draft applications from an .xlsx in the 汇总表 (附件2) column layout, as a recommending unit "
        "(for organisations of its own city or zone) or as the province (naming the unit in 推荐单位). "
        "Without --confirm it only reports: every bad row with its row number, column and reason, and "
        "writes nothing. With --confirm it then creates the drafts of the valid rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx file, first row the 汇总表 headers")
        parser.add_argument(
            "--user", required=True, help="username of the importing unit or province account"
        )
        parser.add_argument("--batch", type=int, required=True, help="id of an open batch")
        parser.add_argument(
            "--confirm", action="store_true", help="write the valid rows (default: preview only)"
        )

    def handle(self, *args, file, user, batch, confirm, **options):
        importer = user_named(user)
        if not importer.has_perm("documents.import_applications"):
            raise CommandError("只有推荐单位或省科技厅账号可以导入申报。")
        chosen = Batch.objects.filter(pk=batch).first()
        if chosen is None:
            raise CommandError(f"没有编号为{batch}的批次。")
        with open(file, "rb") as handle:
            upload = SimpleUploadedFile(file.rsplit("/", 1)[-1], handle.read())
        try:
            pending = services.import_preview(user=importer, batch=chosen, upload=upload)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for error in pending.errors:
            where = f"第{error['row']}行" + (
                f"，{error['column']}列（{error['header']}）" if error["column"] else ""
            )
            self.stdout.write(f"{where}：{error['message']}")
        bad = len({e["row"] for e in pending.errors})
        self.stdout.write(f"共{pending.total_rows}行：有效{len(pending.rows)}行，有误{bad}行。")
        if not confirm:
            self.stdout.write("预览完成，未写入任何数据。确认无误后加 --confirm 导入有效行。")
            return
        created, skipped = services.import_confirm(user=importer, pending=pending)
        for problem in skipped:
            self.stdout.write(str(problem))
        self.stdout.write(f"已创建{created}个草稿申报。")
