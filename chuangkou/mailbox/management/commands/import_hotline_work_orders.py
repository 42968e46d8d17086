"""Import a 12345 hotline work-order file (CSV, XLSX or JSON) as the given staff user, who
needs the dispatch or mailbox-management permission; prints one line per refused row. Running it
again with the same file changes nothing (idempotent on 工单编号)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from chuangkou.mailbox import hotline
from chuangkou.mailbox.actions.exchange import HOTLINE_SOURCE, import_hotline_work_orders


class Command(BaseCommand):
    help = "Import 12345 hotline work orders from a CSV, XLSX or JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the work-order file")
        parser.add_argument("--user", required=True,
                            help="username of the dispatcher the import is made as (audited)")
        parser.add_argument("--format", dest="fmt", choices=hotline.FORMATS, default=None,
                            help="file format (default: from the file name's extension)")
        parser.add_argument("--source", default=HOTLINE_SOURCE,
                            help="external system the work-order ids belong to")

    def handle(self, *args, path: Path, user: str, fmt=None, source=HOTLINE_SOURCE, **options):
        actor = get_user_model()._default_manager.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {user!r}")
        fmt = fmt or hotline.format_of(path.name)
        if fmt is None:
            raise CommandError("cannot tell the format from the file name; use --format")
        try:
            rows = hotline.parse_file(path.read_bytes(), fmt=fmt)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        except hotline.HotlineFileError as error:
            raise CommandError(str(error)) from error
        try:
            result = import_hotline_work_orders(rows=rows, actor=actor, source=source)
        except PermissionDenied as error:
            raise CommandError(f"{user} may not import work orders") from error
        for number, column, message in result.errors:
            self.stderr.write(f"row {number} {column}: {message}")
        self.stdout.write(f"created {result.created}, updated {result.updated}, "
                          f"unchanged {result.unchanged}, refused rows {result.error_rows}")
