"""Publish what is due and take down what has expired (定时发布/定时下线); run every minute.

Wagtail's ``publish_scheduled`` stops at the first revision that raises. Here each due
revision is published on its own: one that the content checks now block (the lexicon may have
grown since it was approved) is taken off the schedule and recorded, and the others go out.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from chuangkou.publishing.actions import publish_due_revisions


class Command(BaseCommand):
    help = "Publish scheduled revisions that are due and unpublish expired pages."

    def handle(self, *args, **options):
        published, blocked = publish_due_revisions(now=timezone.now())
        for revision in blocked:
            self.stderr.write(f"blocked\t{revision.object_str}\t(revision {revision.pk})")
        # Expiry and any other scheduled object types are Wagtail's own job.
        call_command("publish_scheduled", stdout=self.stdout)
        self.stdout.write(f"published {len(published)}, blocked {len(blocked)}")
