"""Rebuild this machine's public search index from the database, with a progress bar. Readers
keep the old index until the new one is complete; changes made meanwhile are applied after."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from chuangkou.search import documents as registry
from chuangkou.search.replica import apply_pending_changes, rebuild_index
from chuangkou.search.wagtail_backend import rebuild_index as rebuild_admin_index

BAR_WIDTH = 30


class Command(BaseCommand):
    help = ("Rebuild the public search index (搜索索引) from every app's search.py, then the "
            "admin search's index.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true",
                            help="no progress bar (for logs)")
        parser.add_argument("--public-only", action="store_true",
                            help="leave the admin search's index (update_index) alone")

    def handle(self, *args, batch_size: int = 500, no_progress: bool = False,
               public_only: bool = False, **options):
        total = sum(source.count() for source in registry.all_sources())
        started = time.monotonic()
        stream = sys.stderr
        show = not no_progress and options.get("verbosity", 1) >= 1

        def progress(done: int) -> None:
            if not show:
                return
            share = done / total if total else 1.0
            filled = int(BAR_WIDTH * min(1.0, share))
            rate = done / max(time.monotonic() - started, 1e-6)
            stream.write(f"\r[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
                         f"{min(100.0, share * 100):5.1f}% {done}/{total} "
                         f"{rate:,.0f} docs/s")
            stream.flush()

        count = rebuild_index(progress=progress, batch_size=batch_size)
        if show:
            stream.write("\n")
        elapsed = time.monotonic() - started
        admin_count = 0 if public_only else rebuild_admin_index()
        applied = apply_pending_changes()
        self.stdout.write(f"indexed {count} documents in {elapsed:.1f} s "
                          f"({count / max(elapsed, 1e-6):,.0f} docs/s); "
                          f"applied {applied} logged changes"
                          + ("" if public_only else f"; admin search: {admin_count} objects"))
