"""Tamper check (防篡改): compare what is served with each page's publication fingerprint."""

from django.core.management.base import BaseCommand, CommandError

from chuangkou.publishing.actions import verify_publication_fingerprints
from chuangkou.publishing.static_pages import published_root


class Command(BaseCommand):
    help = "Report live pages whose served HTML differs from their publication fingerprint."

    def handle(self, *args, **options):
        mismatches = verify_publication_fingerprints(published_root=published_root())
        for mismatch in mismatches:
            self.stdout.write(f"MISMATCH\t{mismatch['url']}\texpected {mismatch['expected']}"
                              f"\tfound {mismatch['actual']}")
        if mismatches:
            raise CommandError(f"{len(mismatches)} page(s) differ from their fingerprint")
        self.stdout.write("all published pages match their fingerprints")
