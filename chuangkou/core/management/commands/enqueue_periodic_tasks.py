"""Enqueue the periodic tasks that are due (``core.periodic``). Run it every minute: the
systemd timer ``chuangkou-periodic.timer`` in production, a loop in ``bin/demo``. Running it
more often, or on several machines at once, enqueues nothing twice."""

from django.core.management.base import BaseCommand, CommandError

from chuangkou.core.periodic import PeriodicTasksFailed, enqueue_due_periodic_tasks


class Command(BaseCommand):
    help = "Enqueue each registered periodic task whose interval has passed."

    def handle(self, *args, verbosity: int = 1, **options):
        self.verbosity = verbosity
        try:
            enqueued = enqueue_due_periodic_tasks()
        except PeriodicTasksFailed as failure:
            self._report(failure.enqueued)
            raise CommandError(str(failure)) from failure
        self._report(enqueued)

    def _report(self, enqueued: list[str]) -> None:
        for name in enqueued:
            self.stdout.write(f"enqueued {name}")
        if not enqueued and self.verbosity >= 2:
            self.stdout.write("nothing due")
