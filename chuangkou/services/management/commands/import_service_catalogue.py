"""``manage.py import_service_catalogue <file>``: load service items from JSON or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangkou.services.catalogue_io import FORMATS, import_catalogue

MAX_MB = 50


class Command(BaseCommand):
    help = (
        "从 JSON 或 XLSX 文件导入服务事项（按事项编码新增或更新，重复导入同一文件不会改变任何内容）。"
        "文件中有任何错误时不保存任何事项，并以退出码 1 结束。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="要导入的文件（.json 或 .xlsx）。")
        parser.add_argument("--format", choices=FORMATS, default=None,
                            help="文件格式；默认按扩展名判断。")
        parser.add_argument("--dry-run", action="store_true",
                            help="只检查并报告，不保存。")
        parser.add_argument("--max-mb", type=int, default=MAX_MB,
                            help=f"文件大小上限（MB），默认 {MAX_MB}。")

    def handle(self, *args, file: str, format: str | None, dry_run: bool, max_mb: int,
               **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        if format is None:
            suffix = path.suffix.lower().lstrip(".")
            format = suffix if suffix in FORMATS else None
        data = path.read_bytes()
        report = import_catalogue(data=data, format=format, actor=None, dry_run=dry_run,
                                  max_bytes=max_mb * 1024 * 1024)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(report.summary())
        if options["verbosity"] > 1:
            for item in report.items:
                missing = f"（缺：{'、'.join(item.missing)}）" if item.missing else ""
                self.stdout.write(f"{item.outcome_label} {item.code} {item.name}{missing}")
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(report.summary()))
