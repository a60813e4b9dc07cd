"""The questionnaire builder: typed questions, conditions, required flags, languages, copying."""

import pytest
from django.core.exceptions import ValidationError

from wsis.reviews import selectors, services
from wsis.reviews.forms import QuestionForm, parse_options
from wsis.reviews.models import Question
from wsis.reviews.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    rev = f.reviewer("ESCAP")
    cycle = f.make_cycle(actor=rev, action_lines=("C1",), starter=False)
    section = cycle.questionnaire.sections.get()
    return cycle, rev, section


def _q(section, rev, code, kind, **kw):
    return services.question_create(section=section, actor=rev, code=code, kind=kind,
                                    label=kw.pop("label", {"en": f"Question {code}?"}), **kw)


def test_condition_shows_b_only_when_a_is_yes(setup):
    cycle, rev, section = setup
    a = _q(section, rev, "a", Question.Kind.YES_NO)
    b = _q(section, rev, "b", Question.Kind.TEXT, condition_question=a, condition_value="yes", required=True)
    b = Question.objects.select_related("condition_question").get(pk=b.pk)
    assert not selectors.question_is_visible(b, {})
    assert not selectors.question_is_visible(b, {a.pk: "no"})
    assert selectors.question_is_visible(b, {a.pk: "yes"})


def test_chained_conditions_hide_the_whole_chain(setup):
    cycle, rev, section = setup
    a = _q(section, rev, "a", Question.Kind.YES_NO)
    b = _q(section, rev, "b", Question.Kind.SINGLE, condition_question=a, condition_value="yes",
           choices=[{"value": "x", "label": {"en": "X"}}, {"value": "y", "label": {"en": "Y"}}])
    c = _q(section, rev, "c", Question.Kind.TEXT, condition_question=b, condition_value="x")
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=[a.pk, b.pk, c.pk])}
    # b's stale answer "x" must not show c while a says no.
    assert not selectors.question_is_visible(by_id[c.pk], {a.pk: "no", b.pk: "x"}, by_id)
    assert selectors.question_is_visible(by_id[c.pk], {a.pk: "yes", b.pk: "x"}, by_id)


def test_multiple_choice_condition_matches_any_ticked_value(setup):
    cycle, rev, section = setup
    m = _q(section, rev, "m", Question.Kind.MULTIPLE,
           choices=[{"value": "x", "label": {"en": "X"}}, {"value": "y", "label": {"en": "Y"}}])
    d = _q(section, rev, "d", Question.Kind.NUMBER, condition_question=m, condition_value="y")
    d.refresh_from_db()
    assert selectors.question_is_visible(d, {m.pk: ["x", "y"]})
    assert not selectors.question_is_visible(d, {m.pk: ["x"]})


def test_condition_value_must_be_an_answer_of_the_condition_question(setup):
    cycle, rev, section = setup
    a = _q(section, rev, "a", Question.Kind.YES_NO)
    with pytest.raises(ValidationError) as exc:
        _q(section, rev, "b", Question.Kind.TEXT, condition_question=a, condition_value="maybe")
    assert "condition_value" in exc.value.message_dict


def test_condition_cannot_depend_on_a_text_question(setup):
    cycle, rev, section = setup
    t = _q(section, rev, "t", Question.Kind.TEXT)
    with pytest.raises(ValidationError) as exc:
        _q(section, rev, "b", Question.Kind.TEXT, condition_question=t, condition_value="yes")
    assert "condition_question" in exc.value.message_dict


def test_conditions_cannot_go_round_in_a_circle(setup):
    cycle, rev, section = setup
    a = _q(section, rev, "a", Question.Kind.YES_NO)
    b = _q(section, rev, "b", Question.Kind.YES_NO, condition_question=a, condition_value="yes")
    with pytest.raises(ValidationError) as exc:
        services.question_update(question=a, actor=rev, condition_question=b, condition_value="yes")
    assert "condition_question" in exc.value.message_dict


def test_codes_are_unique_within_the_questionnaire(setup):
    cycle, rev, section = setup
    _q(section, rev, "same", Question.Kind.TEXT)
    with pytest.raises(ValidationError) as exc:
        _q(section, rev, "same", Question.Kind.NUMBER)
    assert "code" in exc.value.message_dict


def test_choice_questions_need_two_choices_and_tables_a_column(setup):
    cycle, rev, section = setup
    with pytest.raises(ValidationError) as exc:
        _q(section, rev, "s", Question.Kind.SINGLE, choices=[{"value": "x", "label": {"en": "X"}}])
    assert "choices" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _q(section, rev, "t", Question.Kind.TABLE)
    assert "columns" in exc.value.message_dict


def test_questionnaire_is_frozen_once_the_cycle_is_open(setup):
    cycle, rev, section = setup
    _q(section, rev, "a", Question.Kind.YES_NO)
    cycle.closes_on = cycle.closes_on  # deadline already set by the factory
    services.cycle_transition(cycle=cycle, to_state="open", actor=rev)
    cycle.refresh_from_db()
    section = cycle.questionnaire.sections.get()
    with pytest.raises(ValidationError):
        _q(section, rev, "b", Question.Kind.TEXT)


def test_a_cycle_without_questions_cannot_open(setup):
    cycle, rev, section = setup
    with pytest.raises(ValidationError):
        services.cycle_transition(cycle=cycle, to_state="open", actor=rev)


def test_theme_and_sdgs_default_to_that_years_hlpf():
    rev = f.reviewer("ESCAP")
    cycle = services.cycle_create(commission=f.commission("ESCAP"), year=2024, actor=rev)
    assert cycle.hlpf_session.year == 2024
    assert sorted(cycle.goals.values_list("number", flat=True)) == [1, 2, 13, 16, 17]
    assert cycle.theme == cycle.hlpf_session.theme_en
    # No HLPF entry for 2031: the latest session stands in.
    later = services.cycle_create(commission=f.commission("ESCAP"), year=2031, actor=rev)
    assert later.hlpf_session.year == 2025


def test_labels_in_several_languages_are_read_in_the_active_language(setup):
    from django.utils import translation

    cycle, rev, section = setup
    q = _q(section, rev, "lang", Question.Kind.TEXT,
           label={"en": "How many?", "fr": "Combien ?", "ar": "كم عدد؟", "zh-hans": "多少？"})
    with translation.override("fr"):
        assert q.text == "Combien ?"
    with translation.override("zh-hans"):
        assert q.text == "多少？"
    with translation.override("ru"):
        assert q.text == "How many?"  # English when there is no Russian


def test_question_form_reads_choice_lines_with_translations(setup):
    cycle, rev, section = setup
    form = QuestionForm({
        "kind": "single", "label_en": "Pick one", "scale_min": 1, "scale_max": 5,
        "choices_text": "full | Fully | fr: Entièrement | ar: كليا\npartial | Partly",
    }, cycle=cycle)
    assert form.is_valid(), form.errors
    q = services.question_create(section=section, actor=rev, **form.service_kwargs())
    assert q.choices[0] == {"value": "full", "label": {"en": "Fully", "fr": "Entièrement", "ar": "كليا"}}


def test_bad_choice_line_names_the_line():
    with pytest.raises(ValidationError) as exc:
        parse_options("ok | Fine\nbad | Label | xx: nope", key_name="value")
    assert "Line 2" in exc.value.messages[0]


def test_copy_last_years_questionnaire_keeps_conditions():
    rev = f.reviewer("ESCAP")
    last = f.make_cycle(actor=rev, year=2024, action_lines=("C1", "C5"))
    this = services.cycle_create(commission=f.commission("ESCAP"), year=2025, actor=rev)
    n = services.questionnaire_copy(cycle=this, source=last, actor=rev)
    assert n == Question.objects.filter(section__questionnaire__cycle=last).count() == 14
    copied = Question.objects.get(section__questionnaire__cycle=this, code="c1-policy-name")
    assert copied.condition_question.code == "c1-policy"
    assert copied.condition_question.section.questionnaire.cycle == this
    # Copying again adds nothing.
    assert services.questionnaire_copy(cycle=this, source=last, actor=rev) == 0


def test_starter_adds_standard_questions_to_each_chosen_action_line(setup):
    cycle, rev, section = setup
    from wsis.taxonomy.models import ActionLine

    n = services.questionnaire_add_starter(cycle=cycle, action_lines=ActionLine.objects.filter(
        code__in=["C1", "C3"]), actor=rev)
    assert n == 14
    assert [s.action_line.code for s in selectors.questionnaire_sections(cycle)] == ["C1", "C3"]


def test_all_18_units_as_sections(setup):
    from wsis.taxonomy.models import ActionLine

    cycle, rev, section = setup
    services.questionnaire_add_sections(cycle=cycle, action_lines=ActionLine.objects.filter(is_leaf=True), actor=rev)
    assert cycle.questionnaire.sections.count() == 18
