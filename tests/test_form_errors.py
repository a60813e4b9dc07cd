"""Forms sent empty show their errors accessibly, in every app, with Django's own field rendering.

Without a browser (the e2e/axe tests need Chromium), this checks the markup axe would: each input
with an error is ``aria-invalid`` and ``aria-describedby`` names elements that exist (its help text
and its error list), each visible input has a label, and the page has an error summary or list.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from wsis.accounts.tests.factories import MembershipFactory, UserFactory, grant_role
from wsis.core.permissions import Role
from wsis.forum.tests.factories import open_edition

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.labels_for, self.controls, self.in_main = set(), set(), [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if self.in_main and (tag in ("select", "textarea", "fieldset") or (
                tag == "input" and attrs.get("type") not in ("hidden", "submit", "button"))):
            self.controls.append((tag, attrs))


def _url(name, *args, lang):
    with translation.override(lang):
        return reverse(name, args=args)


def _member(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    return {"organisation": membership.organisation.pk}


def _secretariat(client):
    user = UserFactory()
    grant_role(user, Role.SECRETARIAT)
    client.force_login(user)
    return {"format": "owid"}


def _forum(client):
    open_edition(year=2047, title="WSIS Forum 2047", is_current=True)
    return {**_member(client), "speakers-TOTAL_FORMS": "1", "speakers-INITIAL_FORMS": "0",
            "speakers-MIN_NUM_FORMS": "0", "speakers-MAX_NUM_FORMS": "12"}


def _prizes(client):
    from wsis.prizes.models import Phase
    from wsis.prizes.tests.factories import make_contest, published

    make_contest(Phase.SUBMISSION, year=2047)
    client.force_login(published().created_by)
    return {"description": "Too short."}


FORMS = [
    ("accounts-sign-up", "accounts:signup", [], lambda c: {"email": "not-an-address"}),
    ("stocktaking-new", "stocktaking:create", [], lambda c: {**_member(c), "action": "submit"}),
    ("forum-submit", "forum:submit", [2047, "session_proposal"], _forum),
    ("indicators-import", "indicators:import", [], _secretariat),
    ("prizes-enter", "prizes:enter", [2047], _prizes),
]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(("name", "args", "prepare"), [f[1:] for f in FORMS], ids=[f[0] for f in FORMS])
def test_errors_are_tied_to_their_fields(client, lang, name, args, prepare):
    data = prepare(client)
    response = client.post(_url(name, *args, lang=lang), data)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    page = _Page()
    page.feed(html)
    invalid = [(tag, attrs) for tag, attrs in page.controls if attrs.get("aria-invalid") == "true"]
    assert invalid, "no field is marked invalid"
    for tag, attrs in page.controls:
        described = attrs.get("aria-describedby", "").split()
        missing = [i for i in described if i not in page.ids]
        assert not missing, f"{tag}#{attrs.get('id')} is described by missing {missing}"
        in_group = attrs.get("type") in ("radio", "checkbox") and re.search(r"_\d+$", attrs.get("id", ""))
        if in_group:  # one of a group of choices: the fieldset carries the description
            continue
        if attrs.get("aria-invalid") == "true":
            assert any(i.endswith("_error") for i in described), f"{attrs.get('id')}: its error is not tied to it"
        if tag != "fieldset":
            assert attrs.get("id") in page.labels_for, f"{tag}#{attrs.get('id')} has no label"
    assert 'class="errorlist"' in html
