import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Facet counts are cached per search generation, which moves on commit; tests roll back instead."""
    cache.clear()
    yield
    cache.clear()
