"""Keep this application server's search index replica current from the database's change
log (scale-out: run one on every application server, with SEARCH_APPLY_AFTER_COMMIT=0). A
replica that was stopped catches up from where it stopped."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from chuangkou.search.replica import apply_pending_changes


class Command(BaseCommand):
    help = "Apply the search change log to this machine's index, then keep following it."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="catch up, then stop")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between polls of the change log (default 1)")

    def handle(self, *args, once: bool = False, interval: float = 1.0, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            applied = apply_pending_changes()
            if applied and options.get("verbosity", 1) >= 1:
                self.stdout.write(f"applied {applied} changes")
            if once or stopping:
                break
            close_old_connections()
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.1, interval))
            if stopping:
                break
