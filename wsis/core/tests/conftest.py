"""Tests here switch languages (requests to /ru/…, translation.override): give the next test a clean slate.

LocaleMiddleware activates the language of each request in the thread and nothing deactivates it
afterwards, so without this a later test in another app would run in Russian or Arabic.
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.deactivate()
