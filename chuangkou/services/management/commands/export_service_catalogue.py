"""``manage.py export_service_catalogue <file>``: write service items to JSON or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangkou.organizations.models import Body
from chuangkou.services.catalogue_io import FORMATS, export_catalogue, record_catalogue_export
from chuangkou.services.models import ServiceItem


class Command(BaseCommand):
    help = "把服务事项（含申请材料、办理流程、常见问题和申请表字段）导出为 JSON 或 XLSX 文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="导出到的文件（.json 或 .xlsx）。")
        parser.add_argument("--body", action="append", default=[], metavar="SLUG",
                            help="只导出该单位（实施主体标识）的事项；可重复。默认导出全部。")
        parser.add_argument("--format", choices=FORMATS, default=None,
                            help="文件格式；默认按扩展名判断。")

    def handle(self, *args, file: str, body: list[str], format: str | None, **options) -> None:
        path = Path(file)
        if format is None:
            suffix = path.suffix.lower().lstrip(".")
            if suffix not in FORMATS:
                raise CommandError("无法从扩展名判断格式，请用 --format json 或 --format xlsx。")
            format = suffix
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在：{path.parent}")
        items = ServiceItem.objects.all()
        bodies = list(Body.objects.filter(slug__in=body))
        if body:
            unknown = sorted(set(body) - {entry.slug for entry in bodies})
            if unknown:
                raise CommandError(f"没有这些单位：{'、'.join(unknown)}")
            items = items.filter(implementing_body__in=bodies)
        count = items.count()
        path.write_bytes(export_catalogue(items=items, format=format))
        record_catalogue_export(actor=None, format=format, bodies=bodies, count=count)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"已导出 {count} 个事项到 {path}。"))
