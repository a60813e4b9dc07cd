"""The bulk job: runs queued by analysts, suggestions stored per initiative, accepted as classifier tags."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wsis.classify import services
from wsis.classify.models import InitiativeSuggestion, SuggestionRun
from wsis.core.models import AuditLog
from wsis.stocktaking.models import Initiative, InitiativeGoal, InitiativeTarget, TagSource
from wsis.stocktaking.tests.factories import make_initiative, member, moderator

pytestmark = pytest.mark.django_db

FAKE = "wsis.classify.backends.fake.FakeBackend"


@pytest.fixture(autouse=True)
def fake_backend(settings):
    # The fake backend's keywords make each expectation explicit (see backends/fake.py).
    settings.CLASSIFY_BACKEND = FAKE


def _published(title, description):
    return make_initiative(state=Initiative.State.PUBLISHED, title=title, summary="An initiative.",
                           description=description)


def _run(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.suggestion_run_create(user=user)
    run.refresh_from_db()
    return run


def test_run_stores_new_suggestions_for_published_initiatives(django_capture_on_commit_callbacks):
    health = _published("Clinics", "Health workers and women in villages.")
    _published("Skills", "A coding programme.")  # no keyword of the fake backend: nothing new
    make_initiative(state=Initiative.State.DRAFT, description="health")  # drafts are not checked
    run = _run(moderator(), django_capture_on_commit_callbacks)
    assert run.status == SuggestionRun.Status.DONE and run.backend == "fake"
    assert run.total == 2 and run.processed == 2 and run.with_suggestions == 1
    suggestion = run.suggestions.get(initiative=health)
    assert suggestion.sdgs == [3, 5] and suggestion.new_goals == [3, 5]
    assert suggestion.new_targets == ["3.8", "5.b"] and suggestion.missing_goals == [4]
    assert AuditLog.objects.filter(action="classify.run.finish", target_id=str(run.pk)).exists()


def test_only_moderators_start_runs():
    with pytest.raises(PermissionDenied):
        services.suggestion_run_create(user=member())


def test_a_second_run_waits_for_the_first():
    user = moderator()
    services.suggestion_run_create(user=user)  # queued; on-commit not executed here
    with pytest.raises(ValidationError):
        services.suggestion_run_create(user=user)


def test_accepting_writes_goal_and_target_tags_with_source_classifier(django_capture_on_commit_callbacks):
    initiative = _published("Clinics", "Health care by telemedicine.")
    user = moderator()
    run = _run(user, django_capture_on_commit_callbacks)
    suggestion = run.suggestions.get(initiative=initiative)
    result = services.suggestion_accept(user=user, suggestion=suggestion)
    assert result.goals_added == [3] and result.targets_added == ["3.8"]
    assert InitiativeGoal.objects.get(initiative=initiative, goal__number=3).source == TagSource.CLASSIFIER
    assert InitiativeTarget.objects.get(initiative=initiative, target__code="3.8").source == TagSource.CLASSIFIER
    # The submitter's own tag keeps its source.
    assert InitiativeGoal.objects.get(initiative=initiative, goal__number=4).source == TagSource.SUBMITTER
    suggestion.refresh_from_db()
    assert suggestion.decision == InitiativeSuggestion.Decision.ACCEPTED and suggestion.decided_by == user
    audit = AuditLog.objects.get(action="classify.suggestion.accept", target_id=str(initiative.pk))
    assert audit.actor == user and audit.data["source"] == "classifier"


def test_accepting_twice_adds_nothing_the_second_time():
    initiative = _published("Clinics", "Health.")
    user = moderator()
    services.initiative_tags_accept(user=user, initiative=initiative, goals=[3], targets=["3.8"])
    again = services.initiative_tags_accept(user=user, initiative=initiative, goals=[3], targets=["3.8"])
    assert again.goals_added == [] and again.targets_added == []


def test_unknown_codes_are_refused_and_nothing_is_written():
    initiative = _published("Clinics", "Health.")
    with pytest.raises(ValidationError):
        services.initiative_tags_accept(user=moderator(), initiative=initiative, goals=[3], targets=["99.9"])
    assert not InitiativeGoal.objects.filter(initiative=initiative, goal__number=3).exists()


def test_submitters_cannot_accept_suggestions():
    initiative = _published("Clinics", "Health.")
    with pytest.raises(PermissionDenied):
        services.initiative_tags_accept(user=member(), initiative=initiative, goals=[3], targets=[])


def test_review_page_lists_pending_suggestions_and_accepts_them_in_bulk(client, django_capture_on_commit_callbacks,
                                                                         django_assert_max_num_queries):
    first = _published("Clinics", "Health and water.")
    second = _published("Climate", "Climate alerts.")
    user = moderator()
    run = _run(user, django_capture_on_commit_callbacks)
    client.force_login(user)
    url = reverse("classify:run", args=[run.pk])
    with django_assert_max_num_queries(15):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Clinics" in html and "Climate" in html and "<caption>" in html
    ids = list(run.suggestions.values_list("pk", flat=True))
    response = client.post(url, {"action": "accept", "selected": ids})
    assert response.status_code == 302
    assert set(InitiativeGoal.objects.filter(source=TagSource.CLASSIFIER).values_list("initiative_id", "goal__number")) \
        == {(first.pk, 3), (first.pk, 6), (second.pk, 13)}
    assert "Clinics" not in client.get(url).content.decode()  # no longer pending


def test_review_form_without_a_ticked_suggestion_is_refused_with_a_message(client, django_capture_on_commit_callbacks):
    _published("Clinics", "Health.")
    user = moderator()
    run = _run(user, django_capture_on_commit_callbacks)
    client.force_login(user)
    response = client.post(reverse("classify:run", args=[run.pk]), {"action": "dismiss"})
    assert response.status_code == 400 and "Tick at least one suggestion." in response.content.decode()


def test_run_list_starts_a_run_from_the_page(client, django_capture_on_commit_callbacks):
    _published("Clinics", "Health.")
    client.force_login(moderator())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("classify:runs"), {"scope": "published"})
    run = SuggestionRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(reverse("classify:run", args=[run.pk]))
    assert run.status == SuggestionRun.Status.DONE


def test_run_pages_are_for_moderators_only(client):
    client.force_login(member())
    assert client.get(reverse("classify:runs")).status_code == 403
    client.logout()
    assert client.get(reverse("classify:runs")).status_code == 302
