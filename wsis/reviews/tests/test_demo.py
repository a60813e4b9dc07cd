"""seed_demo's regional review: deterministic and idempotent."""

import pytest
from django.core.management import call_command

from wsis.reviews.models import Answer, Response, ReviewCycle

pytestmark = pytest.mark.django_db


def test_demo_creates_a_closed_escap_cycle_with_responses_once():
    call_command("seed_demo", initiatives=50, seed=3, verbosity=0)
    cycle = ReviewCycle.objects.get(commission__code="ESCAP", year=2025)
    assert cycle.state == "closed"
    submitted = Response.objects.filter(cycle=cycle, state="submitted")
    assert {r.country.iso3 for r in submitted} >= {"THA", "NPL"} and submitted.count() == 7
    answers = Answer.objects.count()
    assert ReviewCycle.objects.get(commission__code="ESCAP", year=2026).state == "draft"
    call_command("seed_demo", initiatives=50, seed=3, verbosity=0)
    assert ReviewCycle.objects.count() == 2 and Answer.objects.count() == answers
