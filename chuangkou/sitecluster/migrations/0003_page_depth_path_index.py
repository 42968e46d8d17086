"""An index on Wagtail's page table for the cluster's tree reads.

Navigation menus and column listings ask for the children of a page: ``depth = d`` and a path
range. Wagtail indexes ``path`` alone, so for the portal home (whose subtree is the whole
cluster) the database walked every page; with (depth, path) it reads only the children.
"""

from django.db import migrations

INDEX = "sitecluster_page_depth_path"


class Migration(migrations.Migration):
    dependencies = [
        ("sitecluster", "0002_remove_wagtail_welcome_page"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON "wagtailcore_page" ("depth", "path")',
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
