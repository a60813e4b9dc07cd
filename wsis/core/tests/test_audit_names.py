"""One naming style for audit actions: `<app>.<entity>.<verb>`, enforced when a row is written."""

import importlib

import pytest
from django.apps import apps

from wsis.core.models import AuditLog
from wsis.core.services import audit_action_check, audit_record

rename_migration = importlib.import_module("wsis.core.migrations.0003_audit_action_names")


@pytest.mark.parametrize("new", sorted(rename_migration.RENAMES.values()))
def test_every_renamed_action_follows_the_style(new):
    audit_action_check(new)


# The two older styles: `<app>.<entity>_<participle>` and a past participle as the verb. (Nouns in the
# verb's place, such as the old "reviews.report.forum", cannot be told from a verb by a pattern.)
OLD_STYLES = sorted(old for old in rename_migration.RENAMES if old.count(".") == 1 or old.endswith("ed"))


def test_the_old_styles_are_most_of_the_renames():
    assert len(OLD_STYLES) >= 24


@pytest.mark.parametrize("old", OLD_STYLES)
def test_every_old_style_is_refused(old):
    with pytest.raises(ValueError, match="<app>.<entity>.<verb>"):
        audit_action_check(old)


@pytest.mark.parametrize("action", ["nosuchapp.thing.do", "auth.user.create", "Accounts.user.create",
                                    "accounts.user", "accounts.user.create.twice", "accounts..create", ""])
def test_unknown_apps_and_malformed_names_are_refused(action):
    with pytest.raises(ValueError):
        audit_action_check(action)


@pytest.mark.django_db
def test_audit_record_refuses_a_bad_name_and_writes_nothing(django_user_model):
    target = AuditLog.objects.create(action="accounts.user.create", target_type="x", target_id="1")
    with pytest.raises(ValueError):
        audit_record(actor=None, action="accounts.user_created", target=target)
    assert AuditLog.objects.count() == 1


@pytest.mark.django_db
def test_the_migration_renames_recorded_rows_and_back():
    for old in rename_migration.RENAMES:
        AuditLog.objects.create(action=old, target_type="x", target_id="1")
    AuditLog.objects.create(action="stocktaking.initiative.approve", target_type="x", target_id="2")
    rename_migration.rename(apps, None)
    assert sorted(AuditLog.objects.values_list("action", flat=True)) == sorted(
        [*rename_migration.RENAMES.values(), "stocktaking.initiative.approve"])
    rename_migration.rename_back(apps, None)
    assert set(AuditLog.objects.values_list("action", flat=True)) == {*rename_migration.RENAMES,
                                                                      "stocktaking.initiative.approve"}
