"""The "Check tags" view (full page and HTMX partial) and the moderator's disagreement section."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from wsis.classify.sections import moderation_section
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member, moderator

pytestmark = pytest.mark.django_db

POST = {"title": "Telehealth for rural clinics",
        "summary": "Nurses in rural clinics consult doctors by video and follow pregnant women.",
        "description": "Community health workers record vaccinations and malaria cases on tablets."}


def test_get_shows_an_empty_form_page(client):
    response = client.get(reverse("classify:suggest"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html and 'name="description"' in html and "csrfmiddlewaretoken" in html


def test_htmx_post_returns_only_the_partial_with_checkboxes(client):
    response = client.post(reverse("classify:suggest"), POST, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<h1>" not in html
    assert 'type="checkbox" name="goals" value="3"' in html
    assert 'name="targets" value="3.' in html
    assert 'name="action_lines" value="C7.4"' in html
    assert 'name="classifier_suggested"' in html
    assert "Because the text mentions:" in html and "“telehealth”" in html


def test_post_without_javascript_renders_the_full_page_with_suggestions(client):
    response = client.post(reverse("classify:suggest"), POST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html and 'name="goals" value="3"' in html
    assert "Back button" in html


def test_empty_text_is_refused_with_a_message_and_status_400(client):
    response = client.post(reverse("classify:suggest"), {"title": "", "summary": "", "description": ""})
    assert response.status_code == 400
    assert "Enter a title, a summary or a description" in response.content.decode()


def test_empty_text_in_htmx_shows_the_message_in_the_box(client):
    response = client.post(reverse("classify:suggest"), {"title": " "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_post_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("classify:suggest"), POST).status_code == 403


def test_initiative_form_check_tags_posts_the_whole_form_back_to_itself(client):
    # Issue 14: without JavaScript the form comes back with everything kept and the suggestions in it
    # (offered by this app as the "initiative_form" page section).
    client.force_login(member())
    create = reverse("stocktaking:create")
    html = client.get(create).content.decode()
    assert 'name="action" value="check_tags"' in html and f'hx-post="{create}"' in html
    assert "formaction" not in html.split('value="check_tags"')[0].rsplit("<button", 1)[1]
    assert 'id="classify-suggestions"' in html


def test_the_whole_initiative_form_posted_without_javascript_gets_suggestions(client):
    # Without JavaScript, "Check tags" submits every field of the initiative form here.
    data = {**POST, "organisation": "1", "language": "en", "kind": "project", "action": "", "countries": ["KEN"]}
    response = client.post(reverse("classify:suggest"), data)
    assert response.status_code == 200 and 'name="goals" value="3"' in response.content.decode()


def _initiative():
    return make_initiative(
        state=Initiative.State.SUBMITTED, title="Clinic telemedicine network",
        summary="Rural clinics consult doctors by telemedicine and track vaccinations.",
        description="Health workers follow pregnant women and newborns.",
    )


def test_moderation_section_lists_tags_the_classifier_disagrees_with(rf):
    initiative = _initiative()  # tagged SDG 4 and C4 by the factory, but the text is about health
    request = rf.get("/")
    request.user = moderator()
    section = moderation_section(request=request, initiative=initiative)
    comparison = section.context["comparison"]
    assert comparison.disagrees
    assert [g.number for g in comparison.tagged_not_suggested] == [4]
    assert 3 in [g.goal.number for g in comparison.suggested_not_tagged]


def test_moderation_section_is_hidden_from_people_who_cannot_moderate(rf):
    initiative = _initiative()
    request = rf.get("/")
    request.user = member()
    assert moderation_section(request=request, initiative=initiative) is None


def test_moderation_page_shows_the_disagreement_table(client):
    initiative = _initiative()
    client.force_login(moderator())
    response = client.get(reverse("stocktaking:moderation-detail", args=[initiative.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tags and the classifier" in html and "<caption>" in html


def test_scores_are_shown_as_text_out_of_100(client):
    html = client.post(reverse("classify:suggest"), POST, HTTP_HX_REQUEST="true").content.decode()
    scores = [int(x) for x in re.findall(r"score (\d+) in 100", html)]
    assert scores and all(0 <= x <= 100 for x in scores) and max(scores) > 50


def test_suggestions_show_their_measured_quality_action_lines_included(client):
    from wsis.classify.backends import get_backend

    quality = get_backend().quality
    assert quality["measured_on"] == "indicators-tune"
    assert quality["action_lines_measured_on"] == "actionlines-test" and 0 < quality["action_lines"] <= 1
    html = client.post(reverse("classify:suggest"), POST, HTTP_HX_REQUEST="true").content.decode()
    assert "classify-quality" in html
    assert f"goals right in {round(100 * quality['sdg_item_accuracy'])} of 100" in html
    assert f"among those shown {round(100 * quality['targets_top3_given_goal'])} times in 100" in html
    assert f"action lines right in {round(100 * quality['action_lines'])} of 100 checks" in html
    assert "action lines not measured yet" not in html


def test_no_quality_line_without_suggestions(client):
    html = client.get(reverse("classify:suggest")).content.decode()
    assert "classify-quality" not in html
