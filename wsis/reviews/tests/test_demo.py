"""seed_demo's regional review: deterministic and idempotent."""

import pytest
from django.core.management import call_command

from wsis.reviews.models import Answer, Response, ReviewCycle, ReviewReport

pytestmark = pytest.mark.django_db


def test_demo_creates_a_published_escap_review_with_responses_once(client):
    call_command("seed_demo", initiatives=50, seed=3, verbosity=0)
    cycle = ReviewCycle.objects.get(commission__code="ESCAP", year=2025)
    assert cycle.state == "published"
    published = {r.language: r for r in ReviewReport.objects.filter(cycle=cycle, published_at__isnull=False)}
    assert set(published) == {"en", "fr"} and all(r.pdf_sha256 for r in published.values())
    reviews = client.get("/api/v1/reviews?commission=ESCAP").json()
    assert [r["language"] for r in reviews[0]["reports"]] == ["en", "fr"]
    assert client.get(reviews[0]["reports"][1]["pdf_url"]).status_code == 200
    submitted = Response.objects.filter(cycle=cycle, state="submitted")
    assert {r.country.iso3 for r in submitted} >= {"THA", "NPL"} and submitted.count() == 7
    answers = Answer.objects.count()
    assert ReviewCycle.objects.get(commission__code="ESCAP", year=2026).state == "draft"
    call_command("seed_demo", initiatives=50, seed=3, verbosity=0)
    assert ReviewCycle.objects.count() == 2 and Answer.objects.count() == answers
