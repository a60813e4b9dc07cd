"""API tokens get a scope, an expiry and the fingerprint of their user's password.

Tokens made before this have only ever been able to read (writes with a bearer token failed the CSRF
check), so they keep that scope; they expire ``API_TOKEN_MAX_DAYS`` after this migration, and stay
valid until their user's password changes. Their keys were already stored as SHA-256 hashes.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def forwards(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires_at = timezone.now() + timedelta(days=getattr(settings, "API_TOKEN_MAX_DAYS", 365))
    for token in ApiToken.objects.select_related("user"):
        token.expires_at = expires_at
        token.password_fingerprint = hashlib.sha256((token.user.password or "").encode()).hexdigest()
        token.save(update_fields=["expires_at", "password_fingerprint"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_rolegrant_moved_to_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(choices=[("read", "Read: search and read data"),
                                            ("write", "Read and write: also create, change and submit")],
                                   default="read", max_length=5, verbose_name="scope"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_fingerprint",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="password fingerprint"),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
