"""PATCH /api/v1/initiatives/{id} with the `version` read from GET: a stale version answers 409."""

import json

import pytest

from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member

pytestmark = pytest.mark.django_db
API = "/api/v1/initiatives"


def patch(client, path, body):
    return client.patch(path, json.dumps(body), content_type="application/json")


def test_stale_version_gets_409_with_the_current_version_and_saves_nothing(client):
    initiative = make_initiative(title="Solar school labs", summary="Labs in schools.")
    colleague = member(initiative.organisation)
    client.force_login(initiative.created_by)
    version = client.get(f"{API}/{initiative.pk}").json()["version"]

    first = patch(client, f"{API}/{initiative.pk}", {"title": "Solar school labs in Kenya", "version": version})
    assert first.status_code == 200
    assert first.json()["version"] == version + 1

    client.force_login(colleague)
    second = patch(client, f"{API}/{initiative.pk}", {"summary": "Labs in 40 schools.", "version": version})
    assert second.status_code == 409
    assert second.json()["version"] == version + 1
    saved = Initiative.objects.get(pk=initiative.pk)
    assert (saved.title, saved.summary) == ("Solar school labs in Kenya", "Labs in schools.")

    # With the current version the change goes through and keeps the first one.
    third = patch(client, f"{API}/{initiative.pk}", {"summary": "Labs in 40 schools.", "version": version + 1})
    assert third.status_code == 200
    saved.refresh_from_db()
    assert (saved.title, saved.summary) == ("Solar school labs in Kenya", "Labs in 40 schools.")
