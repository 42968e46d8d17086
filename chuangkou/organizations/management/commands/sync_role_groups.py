from django.core.management.base import BaseCommand

from chuangkou.organizations.actions import sync_body_role_groups, sync_cluster_role_groups
from chuangkou.organizations.models import Body


class Command(BaseCommand):
    help = "Bring every role group's permissions in line with organizations/permissions.py."

    def handle(self, *args, **options):
        sync_cluster_role_groups()
        bodies = list(Body.objects.all())
        for body in bodies:
            sync_body_role_groups(body=body)
        self.stdout.write(f"Role groups in line with the role table for {len(bodies)} bodies.")
