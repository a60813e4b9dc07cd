"""A double click on the forum's submission form records one submission (issue 13, finding 8)."""

from __future__ import annotations

import re

import pytest

from wsis.accounts.tests.factories import MembershipFactory
from wsis.forum.models import Submission

from .factories import open_edition
from .test_views import post_proposal, url

pytestmark = pytest.mark.django_db


def test_sending_the_submission_form_twice_records_one_submission(client):
    edition = open_edition(year=2045, title="WSIS Forum 2045", is_current=True)
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = client.get(url("en", "forum:submit", edition.year, "session_proposal")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    assert 'for="id_form_token"' not in page  # hidden, no label

    first = post_proposal(client, edition, membership, form_token=token)
    second = post_proposal(client, edition, membership, form_token=token)

    submission = Submission.objects.get()
    assert first.status_code == 302 and second.status_code == 302
    assert first["Location"] == second["Location"] == url("en", "forum:submission", submission.pk)
    assert "already been sent" in client.get(second["Location"]).content.decode()
