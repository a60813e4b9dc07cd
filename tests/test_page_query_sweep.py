"""Property sweep: random query parameters on every HTML page that takes no URL argument never answer 5xx.

The pages are found by walking the URL resolver (every namespace but the API, which schemathesis
covers, and Django's admin), so a new page joins the sweep without a change here. Parameter names
come from the filter set and the usual paging and sorting names plus random ones; values are any
text (NUL and other control characters, Unicode digits, huge numbers, long strings) and repeated
values. ``PAGE_SWEEP_EXAMPLES`` examples per page and visitor (5 by default; more in .ci/run).
"""

import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wsis.accounts.tests.factories import UserFactory
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("PAGE_SWEEP_EXAMPLES", "5"))
SKIPPED_NAMESPACES = {"api", "admin"}
# Pages that do something on GET other than showing a page (signing out) are no target for a sweep.
SKIPPED_NAMES = {"accounts:logout", "logout"}

KNOWN_NAMES = ["q", "page", "sort", "order", "goal", "year", "year_from", "year_to", "gender_marker", "country",
               "region", "commission", "group", "kind", "status", "target", "action_line", "stakeholder_type",
               "organisation", "target_group", "ldc", "lldc", "sids", "limit", "offset", "cursor", "next", "format",
               "lang", "language", "edition", "type", "tab", "indicator", "aggregate", "view", "state", "cycle"]


def _pages():
    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner in SKIPPED_NAMESPACES:
                    continue
                yield from walk(pattern.url_patterns, f"{namespace}:{pattern.namespace}"
                                if namespace and pattern.namespace else inner)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters \
                    and "<" not in str(pattern.pattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if name not in SKIPPED_NAMES:
                    yield name

    return sorted(set(walk(get_resolver().url_patterns, None)))


PAGES = _pages()

values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["²", "٢٠٢٠", "１", "\x00", "1e9", "-1", "0", "KEN", "C3", "4.4", "ldc", "on", "true", "9" * 80]),
)
names = st.one_of(st.sampled_from(KNOWN_NAMES), st.text(min_size=1, max_size=12))
params = st.dictionaries(names, st.lists(values, min_size=1, max_size=3), max_size=5)


def test_the_sweep_finds_the_pages():
    assert {"stocktaking:search", "stocktaking:feed", "analytics:coverage", "home"} & set(PAGES)
    assert len(PAGES) > 20


@pytest.fixture
def published():
    return make_initiative(state=Initiative.State.PUBLISHED, title="Published school network")


@pytest.mark.parametrize("visitor", ["anonymous", "superuser"])
@pytest.mark.parametrize("name", PAGES)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=params)
def test_random_query_parameters_never_answer_5xx(client, published, name, visitor, query):
    if visitor == "superuser":
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse(name)
    response = client.get(url, query)
    assert response.status_code < 500, (url, query)
