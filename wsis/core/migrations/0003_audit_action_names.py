"""Rename the audit actions recorded under the two older styles to `<app>.<entity>.<verb>`.

The mapping is frozen here (not imported) so that the migration means the same thing forever.
"""

from django.db import migrations

RENAMES = {
    "accounts.user_signed_up": "accounts.user.sign_up",
    "accounts.organisation_updated": "accounts.organisation.update",
    "accounts.organisation_created": "accounts.organisation.create",
    "accounts.membership_role_changed": "accounts.membership.change_role",
    "accounts.membership_removed": "accounts.membership.remove",
    "accounts.invitation_sent": "accounts.invitation.send",
    "accounts.invitation_accepted": "accounts.invitation.accept",
    "accounts.invitation_cancelled": "accounts.invitation.cancel",
    "accounts.email_verified": "accounts.user.verify_email",
    "accounts.verification_resent": "accounts.user.resend_verification",
    "accounts.language_changed": "accounts.user.change_language",
    "accounts.api_token_revoked": "accounts.api_token.revoke",
    "accounts.api_token_created": "accounts.api_token.create",
    "taxonomy.matrix_link_added": "taxonomy.matrix_link.add",
    "taxonomy.matrix_link_updated": "taxonomy.matrix_link.update",
    "taxonomy.matrix_link_removed": "taxonomy.matrix_link.remove",
    "indicators.observations_import": "indicators.observation.import",
    "indicators.indicator_update": "indicators.indicator.update",
    "indicators.indicator_create": "indicators.indicator.create",
    "classify.tags_accepted": "classify.suggestion.accept",
    "classify.run_finished": "classify.run.finish",
    "classify.run_requested": "classify.run.request",
    "classify.suggestion_dismissed": "classify.suggestion.dismiss",
    "reviews.cycle.closed": "reviews.cycle.close",
    "reviews.cycle.report_drafted": "reviews.cycle.draft_report",
    "reviews.report.narratives": "reviews.report.edit_narratives",
    "reviews.report.forum": "reviews.report.send_to_forum",
    "reviews.questionnaire.sections": "reviews.questionnaire.edit_sections",
    "reviews.questionnaire.starter": "reviews.questionnaire.add_starter",
    "forum.submission.regional_input": "forum.submission.add_regional_input",
    "forum.submission.regional_update": "forum.submission.update_regional_input",
}


def rename(apps, schema_editor, mapping=RENAMES):
    AuditLog = apps.get_model("core", "AuditLog")
    for old, new in mapping.items():
        AuditLog.objects.filter(action=old).update(action=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, mapping={new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_rolegrant_moved_from_accounts")]

    operations = [migrations.RunPython(rename, rename_back)]
