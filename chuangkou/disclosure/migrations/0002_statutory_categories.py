from django.db import migrations


def create_statutory_categories(apps, schema_editor):
    from chuangkou.disclosure.catalogue_data import STATUTORY_CATEGORIES

    CatalogueCategory = apps.get_model("disclosure", "CatalogueCategory")
    for position, category in enumerate(STATUTORY_CATEGORIES, start=1):
        CatalogueCategory.objects.update_or_create(
            scheme="statutory", body=None, code=category.code,
            defaults={"name": category.name, "source": category.source,
                      "local_government_only": category.local_government_only,
                      "sort_order": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(create_statutory_categories, migrations.RunPython.noop)]
