"""Benchmark data: up to 100,000 applications written in bulk, in the states the benchmarks need.

This and the benchmark commands (`bench_documents`) are the one place where application states are
written without the state machine: taking 100,000 applications through their transitions, with
their reviews, scans and audit rows, would take hours, and the benchmarks measure volume, not
history. No page or service relies on them. Because the rows skip the chain's rules, the command
refuses to run without `--benchmark`, so it cannot fill a real database by accident.
"""

from django.core.management.base import BaseCommand, CommandError

from makerspace.core.loadgen import create_reviewers, generate


class Command(BaseCommand):
    help = "生成负荷测试数据：若干批次、全部推荐单位下的大量申报（默认10万条），用于基准测试。"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000, help="申报数量（默认100000）")
        parser.add_argument("--batches", type=int, default=3, help="批次数量（最新一个为受理中）")
        parser.add_argument(
            "--applicants", type=int, default=0, help="为前N个草稿申报创建可登录的申报单位账号"
        )
        parser.add_argument(
            "--complete", action="store_true", help="把这些账号的草稿填写完整并签署，可直接提交"
        )
        parser.add_argument(
            "--reviewers", type=int, default=0, help="另建N个主管部门和N个推荐单位账号（带演示两步验证设备）"
        )
        parser.add_argument("--chunk", type=int, default=2000, help="每次批量写入的行数")
        parser.add_argument(
            "--benchmark",
            action="store_true",
            help="确认本库仅用于基准测试：申报状态将批量写入，不经审核链的规则",
        )

    def handle(self, *args, **options):
        if not options["benchmark"]:
            raise CommandError(
                "本命令批量写入基准测试数据（申报状态不经审核链的规则），只能用于基准测试库："
                "确认后请加 --benchmark 运行。"
            )
        result = generate(
            count=options["count"],
            batches=options["batches"],
            applicants=options["applicants"],
            complete=options["complete"],
            chunk=options["chunk"],
            stdout=self.stdout,
        )
        self.stdout.write(
            self.style.SUCCESS(f"已生成{result['applications']}条申报，分布于{result['batches']}个批次。")
        )
        if options["reviewers"]:
            names = create_reviewers(options["reviewers"])
            self.stdout.write(f"已建审核账号{len(names)}个（主管部门与推荐单位各{options['reviewers']}个）。")
