"""A double click on "Save and submit" creates one initiative (issue 13, finding 8): the create form
carries a one-time token, and a second sending of it shows what the first created."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wsis.core.models import FormToken
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import member

pytestmark = pytest.mark.django_db


def _form_token(html: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "the create form carries no one-time token"
    return match.group(1)


def _complete_post(organisation, token, **extra):
    return {"organisation": organisation.pk, "title": "Rural broadband for schools",
            "summary": "Connecting schools.", "language": "en", "kind": "project", "status": "ongoing",
            "coverage": "national", "start_date": "2024-02-01", "countries": ["KEN"],
            "primary_action_line": "C2", "goals": ["4"], "gender_marker": "0",
            "form_token": token, "action": "submit", **extra}


def test_sending_the_create_form_twice_creates_one_entry(client):
    user = member()
    organisation = user.memberships.first().organisation
    client.force_login(user)
    token = _form_token(client.get(reverse("stocktaking:create")).content.decode())
    data = _complete_post(organisation, token)

    first = client.post(reverse("stocktaking:create"), data)
    second = client.post(reverse("stocktaking:create"), data)

    initiative = Initiative.objects.get()
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == first["Location"]
    assert FormToken.objects.get(token=token).target_id == str(initiative.pk)
    assert "already been sent" in client.get(second["Location"]).content.decode()


def test_a_draft_saved_twice_leads_back_to_its_edit_page(client):
    user = member()
    organisation = user.memberships.first().organisation
    client.force_login(user)
    token = _form_token(client.get(reverse("stocktaking:create")).content.decode())
    data = {"organisation": organisation.pk, "title": "Only a title", "language": "en", "kind": "project",
            "status": "ongoing", "coverage": "national", "gender_marker": "0", "form_token": token,
            "action": "save"}
    client.post(reverse("stocktaking:create"), data)
    again = client.post(reverse("stocktaking:create"), data)
    initiative = Initiative.objects.get()
    assert again["Location"] == reverse("stocktaking:edit", args=[initiative.pk])


def test_each_fresh_form_has_its_own_token_and_another_users_token_is_refused(client):
    user, other = member(), member()
    client.force_login(user)
    first = _form_token(client.get(reverse("stocktaking:create")).content.decode())
    assert first != _form_token(client.get(reverse("stocktaking:create")).content.decode())
    client.post(reverse("stocktaking:create"), _complete_post(user.memberships.first().organisation, first))
    client.force_login(other)
    refused = client.post(reverse("stocktaking:create"), _complete_post(other.memberships.first().organisation, first))
    assert refused.status_code == 400 and "Reload the page" in refused.content.decode()
    assert Initiative.objects.count() == 1
