"""Export the letters a staff user may see as 12345 work orders (CSV, XLSX or JSON); audited
like the admin download."""

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from chuangkou.core.exceptions import RuleViolation
from chuangkou.mailbox import hotline
from chuangkou.mailbox.actions.exchange import HOTLINE_SOURCE, export_hotline_work_orders


class Command(BaseCommand):
    help = "Export letters as 12345 hotline work orders to a CSV, XLSX or JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the file to write")
        parser.add_argument("--user", required=True,
                            help="username of the dispatcher the export is made as (audited)")
        parser.add_argument("--format", dest="fmt", choices=hotline.FORMATS, default=None,
                            help="file format (default: from the file name's extension)")
        parser.add_argument("--from", dest="received_from", type=date.fromisoformat,
                            default=None, help="first 受理日期 (YYYY-MM-DD)")
        parser.add_argument("--to", dest="received_to", type=date.fromisoformat, default=None,
                            help="last 受理日期 (YYYY-MM-DD)")
        parser.add_argument("--hotline-only", action="store_true",
                            help="only letters that came from the hotline")
        parser.add_argument("--english-keys", action="store_true",
                            help="JSON keys as English aliases instead of the Chinese headers")

    def handle(self, *args, path: Path, user: str, fmt=None, received_from=None,
               received_to=None, hotline_only=False, english_keys=False, **options):
        actor = get_user_model()._default_manager.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {user!r}")
        fmt = fmt or hotline.format_of(path.name)
        if fmt is None:
            raise CommandError("cannot tell the format from the file name; use --format")
        try:
            data = export_hotline_work_orders(
                actor=actor, fmt=fmt, received_from=received_from, received_to=received_to,
                hotline_only=hotline_only, source=HOTLINE_SOURCE, english_keys=english_keys)
        except PermissionDenied as error:
            raise CommandError(f"{user} may not export work orders") from error
        except RuleViolation as violation:
            raise CommandError("; ".join(
                message for messages in violation.errors.values() for message in messages)
            ) from violation
        path.write_bytes(data)
        self.stdout.write(f"wrote {len(data)} bytes to {path}")
