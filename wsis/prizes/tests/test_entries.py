"""Submission: every eligibility rule is refused with a message naming it; phases; the word count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from wsis.core.models import AuditLog
from wsis.prizes import services
from wsis.prizes.models import Entry, Phase
from wsis.prizes.wordcount import measure
from wsis.stocktaking.models import Initiative

from .factories import category, entry_kwargs, make_contest, make_entry, member, published, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest():
    return make_contest(Phase.SUBMISSION)


def _enter(contest, initiative, code="C4", user=None, **overrides):
    return services.entry_create(actor=user or initiative.created_by, contest=contest, initiative=initiative,
                                 category=category(contest, code), **entry_kwargs(**overrides))


def _messages(exc, field=None) -> str:
    if field is None:
        return " ".join(exc.value.messages)
    return " ".join(exc.value.message_dict.get(field, []))


def test_contest_has_the_18_categories(contest):
    codes = list(contest.categories.order_by("action_line__order").values_list("action_line__code", flat=True))
    assert codes == ["C1", "C2", "C3", "C4", "C5", "C6", "C7.1", "C7.2", "C7.3", "C7.4", "C7.5", "C7.6", "C7.7",
                     "C7.8", "C8", "C9", "C10", "C11"]


def test_entry_promotes_the_initiative_without_retyping(contest):
    initiative = published(title="Solar labs")
    entry = _enter(contest, initiative)
    assert (entry.title, entry.organisation, entry.initiative) == ("Solar labs", initiative.organisation, initiative)
    assert list(entry.goals.values_list("number", flat=True)) == [4]
    assert entry.gdc_objectives == [1]
    assert AuditLog.objects.filter(action="prizes.entry.create", target_id=str(entry.pk)).exists()


def test_only_published_initiatives(contest):
    user = member()
    draft = published(user=user)
    Initiative.objects.filter(pk=draft.pk).update(state=Initiative.State.DRAFT)
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        _enter(contest, draft)
    assert "published initiatives only" in _messages(exc, "initiative")


def test_one_category_per_project(contest):
    initiative = published()
    _enter(contest, initiative, "C4")
    with pytest.raises(ValidationError) as exc:
        _enter(contest, initiative, "C3")
    assert "one category per project" in _messages(exc, "initiative")
    assert Entry.objects.count() == 1


def test_the_same_project_not_twice(contest):
    initiative = published()
    _enter(contest, initiative, "C4")
    with pytest.raises(ValidationError) as exc:
        _enter(contest, initiative, "C4")
    assert "the same project not twice" in _messages(exc, "initiative")


def test_the_same_project_retyped_as_another_record_is_refused(contest):
    first = published(title="Rural Schools Online")
    copy = published(user=first.created_by, title="rural schools — online")
    _enter(contest, first, "C4")
    with pytest.raises(ValidationError) as exc:
        _enter(contest, copy, "C3")
    assert "the same project not twice" in _messages(exc, "initiative")


def test_one_project_per_category_per_entity(contest):
    first = published(title="First")
    second = published(user=first.created_by, title="Second")
    _enter(contest, first, "C4")
    with pytest.raises(ValidationError) as exc:
        _enter(contest, second, "C4")
    assert "one project per category per entity" in _messages(exc, "initiative")
    assert _enter(contest, second, "C3").category.action_line.code == "C3"  # another category is fine


def test_the_database_holds_the_entity_rule_too(contest):
    first = published(title="First")
    entry = _enter(contest, first, "C4")
    second = published(user=first.created_by, title="Second")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(contest=contest, category=entry.category, initiative=second,
                             organisation=entry.organisation, title="Second", description="x", stage="completed",
                             impact="x", partnerships="x", challenges="x", sdg_linkages="x")


def test_completed_or_end_of_a_major_phase(contest):
    planned = published(status=Initiative.Status.PLANNED)
    with pytest.raises(ValidationError) as exc:
        _enter(contest, planned)
    assert "completed, or at the end of a major phase" in _messages(exc, "stage")
    ongoing = published(status=Initiative.Status.ONGOING)
    with pytest.raises(ValidationError) as exc:
        _enter(contest, ongoing, stage=Entry.Stage.COMPLETED)
    assert "completed, or at the end of a major phase" in _messages(exc, "stage")
    with pytest.raises(ValidationError) as exc:
        _enter(contest, ongoing, stage=Entry.Stage.MAJOR_PHASE, stage_note=" ")
    assert "completed, or at the end of a major phase" in _messages(exc, "stage_note")
    done = published(status=Initiative.Status.COMPLETED, end_date=dt.date(2025, 6, 30))
    assert _enter(contest, done, stage=Entry.Stage.COMPLETED, stage_note="").stage == "completed"


@pytest.mark.parametrize(("n", "ok"), [(149, False), (150, True), (200, True), (201, False)])
def test_description_of_150_to_200_words(contest, n, ok):
    initiative = published()
    if ok:
        assert _enter(contest, initiative, description=words(n))
    else:
        with pytest.raises(ValidationError) as exc:
            _enter(contest, initiative, description=words(n))
        message = _messages(exc, "description")
        assert "a description of 150–200 words" in message and f"has {n} words" in message


def test_chinese_description_counts_characters(contest):
    initiative = published()
    with pytest.raises(ValidationError) as exc:
        _enter(contest, initiative, language="zh-hans", description="乡村学校联网" * 49)  # 294 characters
    assert "300–400 characters" in _messages(exc, "description")
    assert _enter(contest, initiative, language="zh-hans", description="乡村学校联网" * 50)  # 300


def test_word_count_in_every_language():
    # Arabic with short-vowel marks: one word each; a lone dash is not a word.
    assert measure("مَدْرَسَةٌ رَقْمِيَّةٌ — لِلْجَمِيعِ", "ar").count == 3
    assert measure("l'accès à l'Internet pour tous", "fr").count == 5
    assert measure("Доступ к Интернету для всех", "ru").count == 5
    # Chinese: ideographs one each, a Latin word or a number inside the text one each.
    length = measure("我们在2025年为ICT培训", "zh-hans")
    assert (length.count, length.unit) == (7 + 2, "characters")  # 我们在 年为 培训 = 7; "2025", "ICT"
    assert measure("", "en").count == 0


def test_every_box_must_be_filled(contest):
    with pytest.raises(ValidationError) as exc:
        _enter(contest, published(), impact="  ", challenges="")
    assert "every box filled in" in _messages(exc, "impact") and "Impact" in _messages(exc, "impact")
    assert "Challenges and outlook" in _messages(exc, "challenges")


def test_sdg_and_gdc_linkages(contest):
    with pytest.raises(ValidationError) as exc:
        _enter(contest, published(), goals=[], gdc_objectives=[], gdc_linkages="")
    assert "linkages to the SDGs" in _messages(exc, "goals")
    assert "linkages to the Global Digital Compact" in _messages(exc, "gdc_objectives")
    with pytest.raises(ValidationError) as exc:
        _enter(contest, published(), gdc_objectives=[7])
    assert "objectives 1 to 5" in _messages(exc, "gdc_objectives")


def test_gdc_linkages_optional_when_the_contest_does_not_ask():
    contest = make_contest(Phase.SUBMISSION, year=2025, requires_gdc=False)
    assert _enter(contest, published(), gdc_objectives=[], gdc_linkages="").gdc_objectives == []


def test_past_winners_are_not_eligible(contest):
    initiative = published(title="Winning project")
    past = make_contest(None, year=2030)
    won = make_entry(past, initiative=initiative)
    Entry.objects.filter(pk=won.pk).update(outcome=Entry.Outcome.WINNER)
    with pytest.raises(ValidationError) as exc:
        _enter(contest, initiative)
    assert "past winners are not eligible" in _messages(exc, "initiative")
    assert "WSIS Prizes 2030" in _messages(exc, "initiative")
    # A past champion (not winner) may enter again.
    other = published(title="Champion project")
    champion = make_entry(past, initiative=other, code="C3")
    Entry.objects.filter(pk=champion.pk).update(outcome=Entry.Outcome.CHAMPION)
    assert _enter(contest, other, "C3")


def test_several_rules_are_reported_at_once(contest):
    initiative = published(status=Initiative.Status.PLANNED)
    with pytest.raises(ValidationError) as exc:
        _enter(contest, initiative, description=words(10), impact="")
    assert set(exc.value.message_dict) >= {"stage", "description", "impact"}
    assert Entry.objects.count() == 0


def test_only_members_of_the_organisation(contest):
    initiative = published()
    with pytest.raises(PermissionDenied):
        _enter(contest, initiative, user=member())


@pytest.mark.parametrize("phase", ["before", Phase.NOMINATION, Phase.VOTING, None])
def test_entries_only_during_the_submission_phase(phase):
    contest = make_contest(phase)
    with pytest.raises(ValidationError) as exc:
        _enter(contest, published())
    assert "only during the Submission phase" in _messages(exc)
