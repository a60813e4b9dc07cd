"""RoleGrant now belongs to core (see core 0002): remove it from the accounts state only.

The table ``accounts_rolegrant`` and its rows stay where they are; core's model points at it.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_invitations_and_api_tokens"),
        ("core", "0002_rolegrant_moved_from_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RoleGrant")],
            database_operations=[],
        ),
    ]
