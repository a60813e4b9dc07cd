"""Reads the review pages use: a section, question, invitation or delegation is found only through its
own cycle (another cycle's id is a 404), and the builder offers only the action lines not yet present."""

import pytest
from django.http import Http404

from wsis.reviews import selectors

from . import factories as f

pytestmark = pytest.mark.django_db


def test_questionnaire_parts_are_found_only_within_their_cycle():
    rev = f.reviewer("ESCAP")
    mine = f.make_cycle(actor=rev, year=2025, action_lines=("C1",))
    other = f.make_cycle(actor=rev, year=2026, action_lines=("C1",))
    section = mine.questionnaire.sections.get()
    question = section.questions.first()
    assert selectors.section_get(mine, section.pk) == section
    assert selectors.section_get(mine, section.pk, with_questions=True).questions.all()[0] == question
    assert selectors.question_get(mine, question.pk).section.action_line.code == "C1"
    with pytest.raises(Http404):
        selectors.section_get(other, section.pk)
    with pytest.raises(Http404):
        selectors.question_get(other, question.pk)


def test_invitation_get_and_country_get_are_404_outside_their_cycle_or_unknown():
    rev = f.reviewer("ESCAP")
    fp = f.focal_point("THA")
    mine = f.make_cycle(actor=rev, year=2025, action_lines=("C1",))
    other = f.make_cycle(actor=rev, year=2026, action_lines=("C1",))
    f.invite(mine, rev, ("THA", fp))
    invitation = selectors.invitation_list(mine).get()
    assert selectors.invitation_get(mine, invitation.pk) == invitation
    with pytest.raises(Http404):
        selectors.invitation_get(other, invitation.pk)
    assert selectors.country_get("tha").iso3 == "THA"
    with pytest.raises(Http404):
        selectors.country_get("XXX")


def test_the_builder_offers_only_the_action_lines_without_a_section():
    cycle = f.make_cycle(actor=f.reviewer("ESCAP"), action_lines=("C1", "C7.4"))
    offered = [al.code for al in selectors.section_action_lines_addable(selectors.questionnaire_sections(cycle))]
    assert "C1" not in offered and "C7.4" not in offered and "C2" in offered
    assert len(offered) == 16
