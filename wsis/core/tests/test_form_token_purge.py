"""Old one-time form tokens are purged (issue 13): the table does not grow for ever."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from wsis.accounts.tests.factories import UserFactory
from wsis.core.models import FormToken
from wsis.core.services import form_token_claim, form_tokens_purge

pytestmark = pytest.mark.django_db


def _token(user, name: str, age_days: int) -> FormToken:
    claim = form_token_claim(token=name, user=user, action="stocktaking.initiative.create")
    FormToken.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(days=age_days))
    return claim


def test_purge_deletes_only_tokens_older_than_the_limit():
    user = UserFactory()
    _token(user, "old", 31)
    _token(user, "recent", 29)
    assert form_tokens_purge(days=30) == 1
    assert list(FormToken.objects.values_list("token", flat=True)) == ["recent"]


def test_the_command_reports_what_it_deleted_and_refuses_a_nonsense_limit():
    user = UserFactory()
    _token(user, "old", 400)
    out = StringIO()
    call_command("purge_form_tokens", stdout=out)
    assert "Deleted 1 form token(s) older than 30 day(s)." in out.getvalue()
    assert not FormToken.objects.exists()
    with pytest.raises(CommandError, match="--days"):
        call_command("purge_form_tokens", "--days", "0")


def test_a_purged_token_lets_the_old_form_create_again():
    """After the purge the token is free: an old page sent again is a new sending, not an error."""
    user = UserFactory()
    _token(user, "reused", 60)
    form_tokens_purge()
    assert form_token_claim(token="reused", user=user, action="stocktaking.initiative.create") is not None
