"""Full rebuild of the static publishing root (静态发布全量生成).

Run after a deployment (templates changed), after a site's hostname changed, and nightly (see
deploy/systemd/chuangkou-static-pages.timer); publication keeps files fresh in between.
"""

from django.core.management.base import BaseCommand, CommandError

from chuangkou.publishing import static_pages
from chuangkou.sitecluster.models import ClusterSite


class Command(BaseCommand):
    help = "Write the anonymous HTML of every public page to PUBLISHED_PAGES_ROOT for nginx."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site", metavar="IDENTIFICATION_CODE",
            help="Only this site (网站标识码); without it, the whole cluster is rebuilt and "
                 "files of pages that are no longer public are swept.",
        )

    def handle(self, *args, site=None, **options):
        root = static_pages.published_root()
        if root is None:
            raise CommandError("PUBLISHED_PAGES_ROOT is not set: static publishing is off.")
        cluster_site = None
        if site:
            cluster_site = ClusterSite.objects.select_related("home_page").filter(
                identification_code=site
            ).first()
            if cluster_site is None:
                raise CommandError(f"No site with identification code {site}.")
        report = static_pages.write_all_static_pages(site=cluster_site)
        scope = cluster_site.name if cluster_site else "all sites"
        self.stdout.write(
            f"{scope}: {report.pages} pages, {report.written} files written, "
            f"{report.removed} removed, {len(report.skipped)} skipped "
            f"in {report.seconds:.1f} seconds ({root})"
        )
        for reason in report.skipped[:20]:
            self.stderr.write(f"skipped: {reason}")
