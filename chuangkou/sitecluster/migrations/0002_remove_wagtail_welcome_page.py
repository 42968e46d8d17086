"""Remove the placeholder page and site that Wagtail's own migrations create, so the cluster's
portal becomes the default site (as Wagtail's project template's home app does)."""

from django.db import migrations


def remove_welcome_page(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    welcome = Page.objects.filter(depth=2, slug="home", title="Welcome to your new Wagtail site!")
    Site.objects.filter(root_page__in=welcome).delete()
    for page in welcome:
        root = Page.objects.get(depth=1)
        page.delete()
        root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("sitecluster", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_welcome_page, migrations.RunPython.noop)]
