"""RoleGrant moves from accounts to core so that taxonomy can check roles without importing accounts.

The table keeps its name (``accounts_rolegrant``), its rows, indexes and constraints: this migration
only tells Django's state that core owns the model (accounts 0003 removes it from the accounts
state). The content type row is renamed too, so that admin log entries and model permissions
(``accounts.add_rolegrant`` → ``core.add_rolegrant``) follow the model instead of going stale.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="accounts", model="rolegrant").first()
    if old is None:
        return
    if ContentType.objects.using(db).filter(app_label="core", model="rolegrant").exists():
        return  # created already (e.g. by a half-finished earlier run); leave both as they are
    old.app_label = "core"
    old.save(update_fields=["app_label"])


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label="accounts", model="rolegrant").exists():
        return
    ContentType.objects.using(db).filter(app_label="core", model="rolegrant").update(app_label="accounts")


ROLE_CHOICES = [
    ("secretariat", "Secretariat"), ("moderator", "Moderator"), ("regional_reviewer", "Regional reviewer"),
    ("focal_point", "National focal point"), ("facilitator", "Action line facilitator"),
    ("prize_expert", "Prize expert"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("accounts", "0002_invitations_and_api_tokens"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RoleGrant",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("role", models.CharField(choices=ROLE_CHOICES, db_index=True, max_length=20,
                                                  verbose_name="role")),
                        ("scope_id", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="scope id")),
                        ("granted_by", models.ForeignKey(blank=True, null=True,
                                                         on_delete=django.db.models.deletion.SET_NULL,
                                                         related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("scope_type", models.ForeignKey(blank=True, null=True,
                                                         on_delete=django.db.models.deletion.CASCADE,
                                                         to="contenttypes.contenttype", verbose_name="scope type")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                   related_name="role_grants", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "role grant",
                        "verbose_name_plural": "role grants",
                        "db_table": "accounts_rolegrant",
                        "indexes": [models.Index(fields=["role", "scope_type", "scope_id"],
                                                 name="accounts_role_scope_idx")],
                        "constraints": [
                            models.UniqueConstraint(condition=models.Q(("scope_id__isnull", False)),
                                                    fields=("user", "role", "scope_type", "scope_id"),
                                                    name="accounts_rolegrant_unique"),
                            models.UniqueConstraint(condition=models.Q(("scope_id__isnull", True)),
                                                    fields=("user", "role"), name="accounts_rolegrant_global_unique"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]
