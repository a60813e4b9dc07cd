"""Test-wide fixtures: reference data loaded once per test database, no network, and every test
starting with an empty cache and the default language (these run for every app; an app's conftest
holds only the fixtures its own tests ask for)."""

import socket

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference taxonomy once into the test database; each test then rolls back its own writes."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def reference_data_committed(django_db_blocker):
    """For a transactional test: the reference data present when it starts and put back after it.

    A transactional test ends with a flush of every table, so the reference data loaded once per session
    are gone for the tests after it, and an earlier one may have left them gone for this one (which of
    them ran before depends on the selection and the order). Name this fixture *before*
    ``transactional_db`` in the test's arguments: its teardown then runs after the flush."""
    from wsis.taxonomy.models import Country

    with django_db_blocker.unblock():
        if not Country.objects.exists():
            call_command("load_reference", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    """Tests may reach only this machine (the database, Redis, a live test server): never the network."""
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host not in {"127.0.0.1", "localhost", "::1", "0.0.0.0"}:
        raise RuntimeError(f"Tests must not use the network (tried to connect to {host}).")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _block_network():
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(autouse=True)
def _reset_language():
    """Each test starts and ends in the default language (English).

    LocaleMiddleware activates each request's language in the thread and nothing deactivates it:
    without this, a test that requests /ru/… would leave the next test, in any app, running in Russian
    (and tests that assert English texts, such as the indicators' method notes, would fail)."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts and ends with an empty cache: cached facet counts move on with a search
    generation that changes on commit (tests roll back instead), and throttles such as the e-mail
    resend limit live in the cache."""
    cache.clear()
    yield
    cache.clear()
