"""The data dictionary on the downloads page is in the visitor's language; the files stay in English."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from wsis.opendata.descriptors import data_dictionary_csv

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_dictionary_in_the_page_language():
    html = Client().get("/fr/data/").content.decode()
    assert "Identifiant de l&#x27;initiative dans le registre." in html or "Identifiant de l'initiative dans le registre." in html
    assert "Identifier of the initiative in the registry." not in html
    assert "<code>primary_action_line</code>" in html


def test_the_data_dictionary_file_stays_in_english():
    with translation.override("fr"):
        french_request = data_dictionary_csv()
    with translation.override("en"):
        english_request = data_dictionary_csv()
    assert french_request == english_request
    assert "Identifier of the initiative in the registry." in french_request
