"""Daily run of the mailbox deadlines: remind the assigned body's handlers shortly before a
letter's reply deadline and escalate overdue letters to the supervisors (超期督办). Safe to run
more than once a day: each reminder and escalation is sent once per deadline."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chuangkou.mailbox.actions import process_mailbox_deadlines


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = "Send due-soon reminders for letters and escalate overdue ones to supervisors."

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="today", default=None,
                            help="run as of this date (YYYY-MM-DD), for catching up")

    def handle(self, *args, today=None, **options):
        result = process_mailbox_deadlines(today=_date(today) if today else timezone.localdate())
        self.stdout.write(f"due-soon reminders {result.reminded_count}, "
                          f"escalations {result.escalated_count}")
