"""Delete audit records older than the retention period (审计记录保存期满清理).

Records younger than ``AUDIT_RETENTION_DAYS`` (at least 180 days, 网络安全法 第二十一条) are
never deleted: a shorter ``--older-than-days`` is refused. Deletion goes through the queryset in
batches (single records refuse ``delete()``), and the purge itself is recorded.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from chuangkou.core.audit import record_event
from chuangkou.core.checks import MINIMUM_AUDIT_RETENTION_DAYS
from chuangkou.core.models import AuditEvent

BATCH_SIZE = 5000


class Command(BaseCommand):
    help = "Delete audit records older than N days (never fewer than AUDIT_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True, dest="days",
                            help="delete records that occurred more than this many days ago")
        parser.add_argument("--dry-run", action="store_true",
                            help="count what would be deleted; delete nothing")

    def handle(self, *args, days: int, dry_run: bool = False, **options):
        retention = max(int(getattr(settings, "AUDIT_RETENTION_DAYS",
                                    MINIMUM_AUDIT_RETENTION_DAYS)),
                        MINIMUM_AUDIT_RETENTION_DAYS)
        if days < retention:
            raise CommandError(
                f"--older-than-days {days} is shorter than the retention period of {retention} "
                f"days (AUDIT_RETENTION_DAYS; 网络安全法 第二十一条 requires at least "
                f"{MINIMUM_AUDIT_RETENTION_DAYS}). Nothing was deleted."
            )
        cutoff = timezone.now() - timedelta(days=days)
        expired = AuditEvent.objects.filter(occurred_at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"{expired.count()} audit records occurred before "
                              f"{cutoff.isoformat()} and would be deleted.")
            return
        deleted = 0
        while True:
            with transaction.atomic():
                batch = list(expired.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
                if not batch:
                    break
                count, _ = AuditEvent.objects.filter(pk__in=batch).delete()
                deleted += count
        record_event("audit.purge", data={
            "older_than_days": days, "cutoff": cutoff.isoformat(), "deleted": deleted,
            "retention_days": retention,
        })
        self.stdout.write(f"Deleted {deleted} audit records older than {days} days "
                          f"(before {cutoff.isoformat()}).")
