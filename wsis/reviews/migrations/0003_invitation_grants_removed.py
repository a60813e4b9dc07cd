"""Remove the focal-point role grants that accepting a review invitation used to create (issue 13, finding 1).

Accepting an invitation created a permanent country-wide focal-point grant (actor None, the platform)
that revoking the invitation never removed. Access now derives from the accepted invitation itself
(``reviews.selectors.response_access``), so those grants go: they are found through their audit row
(``accounts.role_grant.create`` without an actor, role ``focal_point``), and one is removed only when
its holder accepted an invitation for that country. Grants the secretariat gave keep standing. Each
removal writes an ``accounts.role_grant.revoke`` audit row. Not reversible (the access they gave is
the hole being closed).
"""

from django.db import migrations


def remove_invitation_grants(apps, schema_editor):
    AuditLog = apps.get_model("core", "AuditLog")
    RoleGrant = apps.get_model("core", "RoleGrant")
    Invitation = apps.get_model("reviews", "Invitation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    country_type = ContentType.objects.filter(app_label="taxonomy", model="country").first()
    if country_type is None:
        return
    rows = AuditLog.objects.filter(action="accounts.role_grant.create", actor__isnull=True)
    for row in rows.iterator():
        data = row.data or {}
        if data.get("role") != "focal_point" or not data.get("grant"):
            continue
        grant = RoleGrant.objects.filter(pk=data["grant"], role="focal_point", scope_type=country_type).first()
        if grant is None:
            continue
        if not Invitation.objects.filter(user_id=grant.user_id, country_id=grant.scope_id).exists():
            continue
        AuditLog.objects.create(
            actor=None, action="accounts.role_grant.revoke", target_type="accounts.user",
            target_id=str(grant.user_id), summary="focal_point (access now derives from the review invitation)",
            data={"grant": grant.pk, "role": "focal_point", "scope_type": grant.scope_type_id,
                  "scope_id": grant.scope_id})
        grant.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0002_lock_version"),
        ("core", "0003_audit_action_names"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(remove_invitation_grants, migrations.RunPython.noop),
    ]
