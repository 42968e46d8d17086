"""Send the due webhooks to department back-office systems (retries with backoff). The
periodic task ``services.deliver_due_webhooks`` does the same every minute; this command is for
running it by hand, or as a long-running loop with --loop.
Several runs at once are safe: each delivery is claimed under a lock before it is sent."""

import time

from django.core.management.base import BaseCommand, CommandError

from chuangkou.services.webhooks import deliver_due_webhooks


class Command(BaseCommand):
    help = "Send pending service webhooks that are due, and retry failed ones with backoff."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=None, metavar="SECONDS",
                            help="keep running, sleeping SECONDS between runs")
        parser.add_argument("--limit", type=int, default=100,
                            help="at most this many deliveries per run (default 100)")

    def handle(self, *args, loop=None, limit=100, **options):
        if loop is not None and loop <= 0:
            raise CommandError("--loop must be a positive number of seconds")
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        while True:
            result = deliver_due_webhooks(limit=limit)
            self.stdout.write(str(result))
            if loop is None:
                return
            time.sleep(loop)
