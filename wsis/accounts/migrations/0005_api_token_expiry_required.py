from django.db import migrations, models


class Migration(migrations.Migration):
    """Every token has an expiry (set for the older ones by 0004), in its own migration so that PostgreSQL
    does not alter a table with pending updates from the same transaction."""

    dependencies = [
        ("accounts", "0004_api_token_scope_expiry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
