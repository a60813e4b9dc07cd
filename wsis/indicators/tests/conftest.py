"""Indicator tests assert English method texts: run each in English whatever an earlier test left active."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
