"""Matrix rationales in six languages: loaded from matrix/actions-2019.i18n.yaml with their provenance,
shown in the visitor's language with the "unofficial translation" mark, in English with a mark where a
translation is missing, kept through Matrix edits and dropped when the English text changes."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from wsis.accounts.tests.factories import UserFactory, grant_role
from wsis.core.permissions import Role
from wsis.taxonomy import services
from wsis.taxonomy.models import ActionLine, MatrixLink, Provenance
from wsis.taxonomy.reference import DATA_DIR, ReferenceDataError, parse_all

pytestmark = pytest.mark.django_db


def _link(code: str, target: str) -> MatrixLink:
    return MatrixLink.objects.get(version__is_current=True, action_line__code=code, target__code=target)


def test_loaded_translations_carry_their_provenance():
    link = _link("C1", "3.8")
    assert link.rationale.startswith("ICT can be used for creation of various data banks")
    assert link.rationale_fr.startswith("Les TIC peuvent servir à créer")
    assert link.rationale_zh_hans
    row = Provenance.objects.get(content_type=ContentType.objects.get_for_model(MatrixLink), object_id=link.pk,
                                 field="rationale", language="ar")
    assert row.status == Provenance.Status.UNOFFICIAL_TRANSLATION


def test_the_cell_page_shows_the_translation_marked_or_the_english_text_marked(client):
    link = _link("C1", "3.8")
    html = client.get(f"/fr/matrix/c1/{link.goal.number}/").content.decode()
    assert "Les TIC peuvent servir à créer" in html and "fact-mark-unofficial_translation" in html
    untranslated = _link("C1", "3.d")
    MatrixLink.objects.filter(pk=untranslated.pk).update(rationale_fr="")  # a translation still to be written
    html = client.get(f"/fr/matrix/{untranslated.action_line.slug}/{untranslated.goal.number}/").content.decode()
    assert 'lang="en" dir="ltr"' in html and "fact-mark-fallback" in html


def test_rationale_shown_follows_the_language():
    link = _link("C1", "3.8")
    with translation.override("ru"):
        assert link.rationale_shown == link.rationale_ru
    with translation.override("en"):
        assert link.rationale_shown == link.rationale
    link.rationale_ru = ""
    with translation.override("ru"):
        assert link.rationale_shown == link.rationale


def test_an_edit_keeps_other_links_translations_and_drops_those_of_a_changed_text():
    user = UserFactory()
    grant_role(user, Role.FACILITATOR, ActionLine.objects.get(code="C1"))
    kept, changed = _link("C1", "3.d"), _link("C1", "3.8")
    version = services.matrix_link_update(actor=user, link=changed, rationale="New English words.")
    new_kept = MatrixLink.objects.get(version=version, action_line=kept.action_line, target=kept.target)
    new_changed = MatrixLink.objects.get(version=version, action_line=changed.action_line, target=changed.target)
    assert new_kept.rationale_ar == kept.rationale_ar != ""
    ct = ContentType.objects.get_for_model(MatrixLink)
    assert Provenance.objects.filter(content_type=ct, object_id=new_kept.pk, language="ar").exists()
    assert new_changed.rationale_ar == "" and new_changed.rationale_fr == ""
    assert not Provenance.objects.filter(content_type=ct, object_id=new_changed.pk, field="rationale").exists()


def test_a_translation_of_an_unknown_rationale_is_refused(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "matrix" / "actions-2019.i18n.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '  "C1 99.9":\n    fr: Texte\n', encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="C1 99.9"):
        parse_all(data)
