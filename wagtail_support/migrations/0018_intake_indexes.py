import django.db.models.functions.text
from django.db import migrations, models


def forget_inbound_references(apps, schema_editor):
    """Stored e-mails are no longer in Wagtail's reference index (InboundEmail opts out): the
    rows written for them so far only take up room."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    content_type = ContentType.objects.filter(
        app_label="wagtail_support", model="inboundemail"
    ).first()
    if content_type is not None:
        ReferenceIndex.objects.filter(base_content_type=content_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0078_referenceindex"),
        ("wagtail_support", "0017_inbox_order_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                django.db.models.functions.text.Upper("customer_email"),
                name="ws_ticket_customer_email_ci",
            ),
        ),
        migrations.RunPython(forget_inbound_references, migrations.RunPython.noop),
    ]
