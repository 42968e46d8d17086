"""Daily run of the 依申请公开 deadlines: close applications whose 补正 or fee period ran out
(条例 第三十条; 国办函〔2020〕109号), remind handlers before the reply deadline and office heads
after it. Safe to run more than once a day: each reminder is sent once per deadline."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from chuangkou.disclosure.actions import process_disclosure_deadlines


class Command(BaseCommand):
    help = "Close expired corrections and unpaid fees; send due-soon and overdue reminders."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="run as of this date (YYYY-MM-DD), for catching up")

    def handle(self, *args, today=None, **options):
        result = process_disclosure_deadlines(today=today or timezone.localdate())
        self.stdout.write(
            f"corrections closed {len(result.corrections_closed)}, "
            f"fees closed {len(result.fees_closed)}, "
            f"due-soon reminders {len(result.due_soon_reminders)}, "
            f"overdue reminders {len(result.overdue_reminders)}")
