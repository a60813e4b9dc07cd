"""Issue 14: honest tags. Suggestions offered, never ticked; every tag's source and who confirmed it;
moderators correct tags with a reason; the data-quality page and the pre-ticked review queue."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wsis.analytics.models import CoverageFact
from wsis.core import events
from wsis.core.events import TAGS_CHANGED, subscribe
from wsis.core.models import AuditLog
from wsis.stocktaking import selectors, services
from wsis.stocktaking.forms import MAX_GOALS_UNCONFIRMED
from wsis.stocktaking.models import Initiative, InitiativeTarget, TagSource
from wsis.stocktaking.tests.factories import complete_data, make_initiative, member, moderator
from wsis.taxonomy.models import ActionLine, Goal, MatrixLink, Target

pytestmark = pytest.mark.django_db
State = Initiative.State


def url(name, *args):
    return reverse(f"stocktaking:{name}", args=args)


def form_data(org, **extra):
    data = {
        "organisation": org.pk, "title": "Telehealth for rural clinics",
        "summary": "Remote consultations between rural clinics and district hospitals.",
        "description": "Doctors diagnose patients by video; nurses are trained in telemedicine.",
        "language": "en", "kind": "project", "status": "ongoing", "coverage": "national",
        "start_date": "2024-02-01", "countries": ["KEN"], "primary_action_line": "C7.4",
        "goals": ["3"], "gender_marker": "0",
    }
    data.update(extra)
    return data


@pytest.fixture
def emitted(monkeypatch):
    monkeypatch.setattr(events, "_subscribers", {k: list(v) for k, v in events._subscribers.items()})
    seen = []
    subscribe(TAGS_CHANGED, lambda **payload: seen.append(payload))
    return seen


class TestFormOffersNeverTicks:
    def test_saving_the_defaults_stores_only_what_the_submitter_chose(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        shown = client.post(url("create"), form_data(org, action="suggest"))
        assert shown.context["suggestions"], "C7.4 has Matrix suggestions"
        assert 'checked' not in shown.content.decode().split('id="matrix-suggestions"')[1].split("</fieldset>")[0]
        response = client.post(url("create"), form_data(org, action="save"))
        assert response.status_code == 302
        initiative = Initiative.objects.get(title="Telehealth for rural clinics")
        assert list(initiative.goal_tags.values_list("goal__number", flat=True)) == [3]
        assert not initiative.target_tags.exists()
        tag = initiative.goal_tags.get()
        assert tag.source == TagSource.SUBMITTER and tag.added_by == user and tag.confirmed_by is None

    def test_rationale_is_rendered_as_text_not_markup(self, client):
        link = MatrixLink.objects.filter(version__is_current=True, action_line__code="C7.4",
                                         target__isnull=False).first()
        link.rationale = "First reason.<br/>Second reason."
        link.save()
        user = member()
        client.force_login(user)
        response = client.post(url("create"), form_data(user.memberships.get().organisation, action="suggest"))
        html = response.content.decode()
        assert "&lt;br/&gt;" not in html and "<br/>" not in html
        assert "First reason.<br>Second reason." in html

    def test_targets_are_grouped_under_their_goal_collapsed(self, client):
        user = member()
        client.force_login(user)
        response = client.get(url("create"))
        html = response.content.decode()
        assert html.count('<details class="target-goal">') == 17  # none open: nothing chosen
        assert 'name="targets" value="3.8"' in html

    def test_check_tags_without_javascript_comes_back_to_the_form_with_everything_kept(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        response = client.post(url("create"), form_data(org, action="check_tags", partners="Ministry of Health"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="initiative-form"' in html
        assert "Ministry of Health" in html and 'value="Telehealth for rural clinics"' in html
        assert 'name="classifier_checked" value="1"' in html
        assert "Suggested by the classifier" in html
        assert 'name="classifier_goals"' not in html or ' checked' not in html.split('classify-goals')[1].split(
            "</ul>")[0]
        assert not Initiative.objects.exists()  # nothing saved

    def test_an_accepted_classifier_suggestion_is_stored_with_the_classifier_as_source(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        client.post(url("create"), form_data(org, action="save", classifier_checked="1", classifier_goals=["9"],
                                             classifier_action_lines=["C2"], classifier_targets=["3.8"]))
        initiative = Initiative.objects.get()
        assert initiative.goal_tags.get(goal__number=9).source == TagSource.CLASSIFIER
        assert initiative.goal_tags.get(goal__number=3).source == TagSource.SUBMITTER
        assert initiative.target_tags.get(target__code="3.8").source == TagSource.CLASSIFIER
        assert initiative.action_line_tags.get(action_line__code="C2").source == TagSource.CLASSIFIER
        assert initiative.action_line_tags.get(is_primary=True).action_line.code == "C7.4"

    def test_htmx_check_tags_returns_the_fragment(self, client):
        user = member()
        client.force_login(user)
        response = client.post(url("create"), form_data(user.memberships.get().organisation, action="check_tags"),
                               HTTP_HX_REQUEST="true")
        assert b"<html" not in response.content
        assert b'id="classify-suggestions"' in response.content

    def test_more_than_five_goals_must_be_confirmed_one_by_one_on_submission(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        goals = ["1", "2", "3", "4", "5", "9", "14"]
        response = client.post(url("create"), form_data(org, goals=goals, action="submit"))
        assert response.status_code == 400
        html = response.content.decode()
        assert 'name="confirm_goals" value="9"' in html and 'name="confirm_goals" value="14"' in html
        assert 'name="confirm_goals" value="3"' not in html
        assert not Initiative.objects.exists()
        response = client.post(url("create"), form_data(org, goals=goals, confirm_goals=["9"], action="submit"))
        assert response.status_code == 400  # SDG 14 still unconfirmed
        response = client.post(url("create"), form_data(org, goals=goals, confirm_goals=["9", "14"],
                                                        action="submit"))
        assert response.status_code == 302
        assert Initiative.objects.get().goal_tags.count() == 7
        assert MAX_GOALS_UNCONFIRMED == 5

    def test_five_goals_need_no_confirmation(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        response = client.post(url("create"), form_data(org, goals=["1", "2", "3", "4", "5"], action="submit"))
        assert response.status_code == 302

    def test_save_draft_back_save_creates_one_draft(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        page = client.get(url("create"))
        token = page.context["form"]["form_token"].value()
        data = form_data(org, action="save", form_token=token)
        first = client.post(url("create"), data)
        again = client.post(url("create"), data)  # Back, then Save again: the same form
        assert first.status_code == again.status_code == 302
        assert Initiative.objects.count() == 1
        assert again["Location"] == first["Location"]


class TestProvenance:
    def test_approval_confirms_every_tag_and_keeps_who_added_it(self):
        initiative = make_initiative(state=State.SUBMITTED)
        mod = moderator()
        services.initiative_approve(user=mod, initiative=initiative)
        for tag in [*initiative.goal_tags.all(), *initiative.target_tags.all(), *initiative.action_line_tags.all()]:
            assert tag.confirmed_by == mod and tag.confirmed_at is not None
            assert tag.added_by == initiative.created_by

    def test_an_edit_keeps_the_provenance_of_tags_kept(self):
        initiative = make_initiative(state=State.RETURNED)
        data = complete_data(goals=[Goal.objects.get(number=4), Goal.objects.get(number=8)])
        services.initiative_update(user=initiative.created_by, initiative=initiative, data=data)
        old = initiative.goal_tags.get(goal__number=4)
        assert old.added_by == initiative.created_by

    def test_imported_tags_record_the_import(self):
        from wsis.stocktaking import imports

        user = member()
        org = user.memberships.get().organisation
        report = imports.ImportReport(rows=[(2, complete_data())])
        created = services.initiative_import(user=user, organisation=org, report=report)
        assert {t.source for t in created[0].goal_tags.all()} == {TagSource.IMPORT}


class TestModeratorCorrects:
    def telehealth(self):
        data = complete_data(title="Telehealth", primary_action_line=ActionLine.objects.get(code="C7.4"),
                             goals=[Goal.objects.get(number=n) for n in (2, 3, 14)],
                             targets=[Target.objects.get(code="3.8"), Target.objects.get(code="14.1")])
        return make_initiative(state=State.PUBLISHED, **{k: getattr(data, k) for k in (
            "title", "primary_action_line", "goals", "targets")})

    def test_remove_a_goal_with_a_reason_writes_revision_audit_event_mail_and_analytics(
            self, emitted, django_capture_on_commit_callbacks):
        initiative = self.telehealth()
        assert CoverageFact.objects.filter(initiative=initiative, goal__number=14, action_line__code="C7.4").exists()
        mod = moderator()
        revisions = initiative.revisions.count()
        with django_capture_on_commit_callbacks(execute=True):
            change = services.initiative_tags_correct(
                user=mod, initiative=initiative, action_lines=[ActionLine.objects.get(code="C7.4")],
                goals=[Goal.objects.get(number=n) for n in (2, 3)],
                targets=[Target.objects.get(code="3.8"), Target.objects.get(code="14.1")],
                reason="Life below water is not what a telehealth project serves.")
        assert change.removed == {"action_lines": [], "goals": ["14"], "targets": ["14.1"]}
        assert sorted(initiative.goal_tags.values_list("goal__number", flat=True)) == [2, 3]
        assert not initiative.target_tags.filter(target__code="14.1").exists()
        assert initiative.revisions.count() == revisions + 1
        assert "Life below water" in initiative.revisions.order_by("-number").first().reason
        audit = AuditLog.objects.get(action="stocktaking.initiative.correct_tags")
        assert audit.data["removed"]["goals"] == ["14"]
        assert emitted == [{"initiative_ids": [initiative.pk], "source": TagSource.MODERATOR}]
        assert not CoverageFact.objects.filter(initiative=initiative, goal__number=14).exists()
        assert mail.outbox and "Life below water" in mail.outbox[-1].body
        assert mail.outbox[-1].to == [initiative.created_by.email]
        assert all(t.confirmed_by == mod for t in initiative.goal_tags.all())

    def test_added_tags_are_the_moderators(self):
        initiative = self.telehealth()
        mod = moderator()
        services.initiative_tags_correct(
            user=mod, initiative=initiative,
            action_lines=[ActionLine.objects.get(code="C7.4"), ActionLine.objects.get(code="C2")],
            goals=[Goal.objects.get(number=3)], targets=[Target.objects.get(code="3.8"), Target.objects.get(code="3.d")],
            reason="Fix")
        tag = initiative.target_tags.get(target__code="3.d")
        assert tag.source == TagSource.MODERATOR and tag.added_by == mod and tag.confirmed_by == mod
        assert initiative.action_line_tags.get(action_line__code="C2").source == TagSource.MODERATOR
        assert initiative.target_tags.get(target__code="3.8").source == TagSource.SUBMITTER
        assert sorted(initiative.goal_tags.values_list("goal__number", flat=True)) == [3]

    def test_reason_is_required_and_nothing_is_written_without_it(self):
        initiative = self.telehealth()
        with pytest.raises(ValidationError) as exc:
            services.initiative_tags_correct(user=moderator(), initiative=initiative, action_lines=[
                ActionLine.objects.get(code="C7.4")], goals=[Goal.objects.get(number=3)], targets=[], reason=" ")
        assert "reason" in exc.value.message_dict
        assert initiative.goal_tags.count() == 3

    def test_at_least_one_action_line(self):
        initiative = self.telehealth()
        with pytest.raises(ValidationError) as exc:
            services.initiative_tags_correct(user=moderator(), initiative=initiative, action_lines=[],
                                             goals=[Goal.objects.get(number=3)], targets=[], reason="x")
        assert "action_lines" in exc.value.message_dict

    def test_removing_the_primary_action_line_promotes_another(self):
        initiative = self.telehealth()
        services.initiative_tags_correct(user=moderator(), initiative=initiative,
                                         action_lines=[ActionLine.objects.get(code="C2")],
                                         goals=[Goal.objects.get(number=3)], targets=[], reason="Wrong line")
        assert initiative.action_line_tags.get(is_primary=True).action_line.code == "C2"

    def test_only_moderators(self):
        initiative = self.telehealth()
        with pytest.raises(PermissionDenied):
            services.initiative_tags_correct(user=initiative.created_by, initiative=initiative,
                                             action_lines=[ActionLine.objects.get(code="C7.4")],
                                             goals=[], targets=[], reason="x")

    def test_the_moderation_page_shows_provenance_and_corrects_without_javascript(self, client):
        initiative = self.telehealth()
        client.force_login(moderator())
        page = client.get(url("moderation-detail", initiative.pk))
        html = page.content.decode()
        assert "Confirmed by a moderator" in html
        assert f'action="{url("moderation-tags", initiative.pk)}"' in html
        response = client.post(url("moderation-tags", initiative.pk), {
            "action_lines": ["C7.4"], "goals": ["2", "3"], "targets": ["3.8"], "reason": ""})
        assert response.status_code == 400
        assert initiative.goal_tags.count() == 3
        response = client.post(url("moderation-tags", initiative.pk), {
            "action_lines": ["C7.4"], "goals": ["2", "3"], "targets": ["3.8"], "reason": "Not marine"})
        assert response.status_code == 302
        assert sorted(initiative.goal_tags.values_list("goal__number", flat=True)) == [2, 3]

    def test_members_cannot_post_corrections(self, client):
        initiative = self.telehealth()
        client.force_login(initiative.created_by)
        response = client.post(url("moderation-tags", initiative.pk), {"action_lines": ["C7.4"], "reason": "x"})
        assert response.status_code == 403


class TestDataQuality:
    def prefilled(self, **kw):
        """An entry saved the old way: every Matrix target of its action line kept as a Matrix tag."""
        codes = list(MatrixLink.objects.filter(version__is_current=True, action_line__code="C7.4",
                                               target__isnull=False).values_list("target__code", flat=True))
        targets = list(Target.objects.filter(code__in=codes).select_related("goal"))
        initiative = make_initiative(state=State.SUBMITTED, primary_action_line=ActionLine.objects.get(code="C7.4"),
                                     goals=[], targets=targets, **kw)
        InitiativeTarget.objects.filter(initiative=initiative).update(source=TagSource.MATRIX)
        Initiative.objects.filter(pk=initiative.pk).update(state=State.PUBLISHED)
        return initiative

    def test_prefilled_entries_are_queued_until_a_moderator_corrects_them(self, client,
                                                                          django_capture_on_commit_callbacks):
        old = self.prefilled(title="Old telehealth")
        careful = make_initiative(state=State.PUBLISHED, title="Careful")
        ids = [e.initiative.pk for e in selectors.quality_prefilled_matrix()]
        assert ids == [old.pk]
        assert careful.pk not in ids
        client.force_login(moderator())
        page = client.get(url("prefilled-queue"))
        assert page.status_code == 200 and "Old telehealth" in page.content.decode()
        assert url("moderation-detail", old.pk) in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            services.initiative_tags_correct(user=moderator(), initiative=old,
                                             action_lines=[ActionLine.objects.get(code="C7.4")],
                                             goals=[Goal.objects.get(number=3)],
                                             targets=[Target.objects.get(code="3.8")],
                                             reason="Kept the health target only")
        assert selectors.quality_prefilled_matrix() == []  # at once: the cached queue follows the correction

    def test_many_tags_never_reviewed_and_duplicates(self, client):
        heavy = self.prefilled(title="Heavy")
        Initiative.objects.filter(pk=heavy.pk).update(state=State.SUBMITTED)
        services.initiative_update(user=heavy.created_by, initiative=heavy, data=complete_data(
            title="Heavy", goals=list(Goal.objects.filter(number__lte=8))))
        Initiative.objects.filter(pk=heavy.pk).update(state=State.PUBLISHED)
        make_initiative(state=State.PUBLISHED, title="Same title")
        make_initiative(state=State.PUBLISHED, title="same title ")
        count, many = selectors.quality_many_tags()
        assert heavy in many and count == 1
        never_count, never = selectors.quality_never_reviewed()
        assert heavy in never  # published without a moderator confirming anything
        assert [sorted(i.title for i in g) for g in selectors.quality_duplicates()] == [["Same title", "same title "]]
        client.force_login(moderator())
        page = client.get(url("data-quality"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Heavy" in html and "Likely duplicates" in html

    def test_data_quality_is_for_moderators_and_the_secretariat(self, client):
        client.force_login(member())
        assert client.get(url("data-quality")).status_code == 403
        assert client.get(url("prefilled-queue")).status_code == 403
        client.logout()
        assert client.get(url("data-quality")).status_code == 302


class TestConfirmedFilter:
    def test_confirmed_by_a_moderator_on_search_api_and_analytics(self, client):
        from wsis.analytics import selectors as analytics
        from wsis.stocktaking.filters import parse_filters

        reviewed = make_initiative(state=State.PUBLISHED, title="Reviewed")  # approved: every tag confirmed
        unreviewed = make_initiative(state=State.SUBMITTED, title="Not reviewed")
        Initiative.objects.filter(pk=unreviewed.pk).update(state=State.PUBLISHED)
        services.initiative_derived_refresh(ids=[unreviewed.pk])
        f = parse_filters({"tags": "confirmed"}).filters
        assert f.tags == "confirmed"
        assert list(analytics.initiatives_for(f)) == [reviewed]
        assert {i.pk for i in analytics.initiatives_for(f.replace(tags=""))} == {reviewed.pk, unreviewed.pk}
        assert set(analytics.facts_for(f).values_list("initiative_id", flat=True)) == {reviewed.pk}
        page = client.get(url("search") + "?tags=confirmed")
        assert "Reviewed" in page.content.decode() and "Not reviewed" not in page.content.decode()
        api = client.get("/api/v1/initiatives?tags=confirmed").json()
        assert [i["title"] for i in api["items"]] == ["Reviewed"]
        assert all(t["confirmed"] for t in api["items"][0]["goals"])
        matrix = client.get(reverse("analytics:coverage") + "?tags=confirmed")
        assert matrix.status_code == 200 and 'name="tags"' in matrix.content.decode()

    def test_an_unknown_value_is_an_error_naming_the_field(self, client):
        from wsis.stocktaking.filters import parse_filters

        parsed = parse_filters({"tags": "maybe"})
        assert "tags" in parsed.errors and parsed.filters.tags == ""
        assert client.get("/api/v1/initiatives?tags=maybe").status_code == 400

    def test_one_unconfirmed_tag_takes_the_initiative_out(self):
        from wsis.analytics import selectors as analytics
        from wsis.stocktaking.filters import InitiativeFilters

        initiative = make_initiative(state=State.PUBLISHED)
        initiative.goal_tags.filter(goal__number=4).update(confirmed_by=None)
        assert not analytics.initiatives_for(InitiativeFilters(tags="confirmed")).exists()


def test_an_update_of_a_published_entry_keeps_accepted_classifier_sources_through_approval(client):
    initiative = make_initiative(state=State.PUBLISHED)  # C4, SDG 4, target 4.4
    user = initiative.created_by
    client.force_login(user)
    edit = client.get(url("edit", initiative.pk))
    data = {
        "title": initiative.title, "summary": initiative.summary, "language": "en", "kind": "project",
        "status": "ongoing", "coverage": "national", "start_date": "2024-01-15", "countries": ["KEN"],
        "primary_action_line": "C4", "goals": ["4"], "targets": ["4.4"], "gender_marker": "0",
        "lock_version": edit.context["form"]["lock_version"].value(), "classifier_checked": "1",
        "classifier_goals": ["8"], "classifier_action_lines": ["C7.5"], "action": "submit",
    }
    response = client.post(url("edit", initiative.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative.refresh_from_db()
    assert initiative.state == State.PUBLISHED  # the update waits for the moderators
    services.initiative_approve(user=moderator(), initiative=initiative)
    assert initiative.goal_tags.get(goal__number=8).source == TagSource.CLASSIFIER
    assert initiative.goal_tags.get(goal__number=4).source == TagSource.SUBMITTER
    assert initiative.action_line_tags.get(action_line__code="C7.5").source == TagSource.CLASSIFIER
    assert initiative.goal_tags.get(goal__number=8).added_by == user


def test_the_tag_filter_on_the_search_page(client):
    unreviewed = make_initiative(state=State.SUBMITTED, title="Unreviewed water sensors")
    Initiative.objects.filter(pk=unreviewed.pk).update(state=State.PUBLISHED)
    services.initiative_derived_refresh(ids=[unreviewed.pk])
    response = client.get(url("search") + "?tags=confirmed&q=water")
    assert response.status_code == 200
    assert response.context["filters"].tags == "confirmed"
    assert "Unreviewed water sensors" not in response.content.decode()
    assert "Unreviewed water sensors" in client.get(url("search") + "?q=water").content.decode()
