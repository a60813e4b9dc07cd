"""The classify parts of issue 14: the initiative form's suggestions section and the data-quality section."""

import pytest
from django.utils import timezone

from wsis.classify import selectors
from wsis.classify.models import InitiativeSuggestion, SuggestionRun
from wsis.classify.sections import data_quality_section, initiative_form_section
from wsis.core.sections import page_sections
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member, moderator

pytestmark = pytest.mark.django_db


class _Request:
    def __init__(self, user):
        self.user = user


def test_disagreement_by_organisation_and_primary_action_line():
    a = make_initiative(state=Initiative.State.PUBLISHED, title="A")  # primary C4
    b = make_initiative(state=Initiative.State.PUBLISHED, title="B", organisation=a.organisation)
    c = make_initiative(state=Initiative.State.PUBLISHED, title="C")
    run = SuggestionRun.objects.create(status=SuggestionRun.Status.DONE, finished_at=timezone.now())
    InitiativeSuggestion.objects.create(run=run, initiative=a, missing_goals=[14])
    InitiativeSuggestion.objects.create(run=run, initiative=b, missing_goals=[])
    InitiativeSuggestion.objects.create(run=run, initiative=c, missing_goals=[2, 13])
    summary = selectors.disagreement_summary()
    assert summary.run == run
    by_org = {r.label: (r.checked, r.disagree, r.share) for r in summary.by_organisation}
    assert by_org[a.organisation.name] == (2, 1, 50)
    assert by_org[c.organisation.name] == (1, 1, 100)
    assert [(r.label, r.checked, r.disagree) for r in summary.by_action_line] == [("C4", 3, 2)]


def test_no_finished_run_says_so(client):
    assert selectors.disagreement_summary().run is None
    client.force_login(moderator())
    html = client.get("/en/moderation/data-quality/").content.decode()
    assert "No classifier run has finished yet." in html


def test_the_data_quality_section_is_for_reviewers_only():
    assert data_quality_section(request=_Request(member())) is None
    assert data_quality_section(request=_Request(moderator())) is not None


def test_the_form_section_offers_unticked_suggestions_and_marks_chosen_ones(settings):
    text = "Telemedicine for rural clinics: doctors see patients by video, nurses are trained in e-health."
    view = selectors.text_suggestions(text=text)
    assert not view.empty
    first = view.goals[0].goal.number
    section = initiative_form_section(text=text, state={"goals": {str(first)}})
    assert section.context["view"] is not None
    [found] = page_sections("initiative_form", text=text, state={"goals": {str(first)}})
    from django.template.loader import render_to_string

    html = render_to_string(found.template, {"section": found.context})
    assert f'name="classifier_goals" value="{first}"' not in html  # already chosen: no checkbox
    assert "already chosen" in html
    assert " checked" not in html  # nothing ticked for the submitter


def test_empty_text_asks_for_text():
    section = initiative_form_section(text="  ", state={})
    assert section.context["view"] is None
