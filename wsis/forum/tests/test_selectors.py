"""Reads the forum pages use: found, or a 404 for what is absent (views no longer query themselves)."""

import pytest
from django.http import Http404
from django.utils import timezone

from wsis.forum import selectors
from wsis.forum.models import OutcomeDocument
from wsis.taxonomy.models import ActionLine, Goal

from .factories import SessionFactory, open_edition

pytestmark = pytest.mark.django_db


def test_outcome_document_ready_is_404_until_its_files_are_built_and_published():
    edition = open_edition(year=2046)
    assert selectors.outcome_document_get(edition) is None
    with pytest.raises(Http404):
        selectors.outcome_document_ready(edition)
    document = OutcomeDocument.objects.create(edition=edition)
    assert selectors.outcome_document_get(edition) == document
    with pytest.raises(Http404):
        selectors.outcome_document_ready(edition)
    document.status = OutcomeDocument.Status.READY
    document.save()
    with pytest.raises(Http404):  # built, but not yet reviewed and published: the secretariat's draft
        selectors.outcome_document_ready(edition)
    assert selectors.outcome_document_ready(edition, include_drafts=True) == document
    document.published_at = timezone.now()
    document.save()
    assert selectors.outcome_document_ready(edition) == document


def test_outcome_form_starts_from_the_session_until_an_outcome_is_reported():
    session = SessionFactory(edition=open_edition(year=2047))
    session.action_lines.set([ActionLine.objects.get(code="C7.4")])
    session.goals.set([Goal.objects.get(number=3)])
    initial = selectors.session_outcome_initial(session)
    assert [al.code for al in initial["action_lines"]] == ["C7.4"] and [g.number for g in initial["goals"]] == [3]
    assert "key_points" not in initial and selectors.session_outcome_get(session) is None


def test_milestone_get_is_404_for_an_unknown_slug():
    with pytest.raises(Http404):
        selectors.milestone_get("no-such-milestone")
