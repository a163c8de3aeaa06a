from django.db import migrations


def create_trigram_extension(apps, schema_editor):
    # Similar-ticket search uses trigram similarity; other databases use a plain fallback.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("wagtail_support", "0002_canned_answers")]

    operations = [migrations.RunPython(create_trigram_extension, migrations.RunPython.noop)]
