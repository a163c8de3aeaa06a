from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_support", "0023_lean_storage"),
    ]

    operations = [
        migrations.AddField(
            model_name="inboundemail",
            name="rebuilt",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "The ESP sent parsed fields, not the original message: the raw copy is the "
                    "message rebuilt from them."
                ),
                verbose_name="rebuilt",
            ),
        ),
    ]
