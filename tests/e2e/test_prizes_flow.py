"""The WSIS Prizes vote in Chromium: a voter signs in, votes in two categories, changes one vote and sees
the confirmation; voting again for the same nominee is not counted twice. axe: no violation at all (of any
impact, not only serious and critical) on the prize pages, in English and in Arabic."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import axe_report, axe_violations, login_as

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
PASSWORD = "correct horse battery staple"  # the accounts factory's

pytestmark = pytest.mark.e2e


def _setup():
    from wsis.prizes.models import Entry, Phase
    from wsis.prizes.tests.factories import make_contest, make_entry, voter

    contest = make_contest(Phase.VOTING, year=2051)
    entries = {
        "alpha": make_entry(contest, code="C4", state=Entry.State.NOMINATED, title="Digital skills for rural youth"),
        "beta": make_entry(contest, code="C4", state=Entry.State.NOMINATED, title="Coding clubs in public libraries"),
        "gamma": make_entry(contest, code="C7.4", state=Entry.State.NOMINATED, title="Telemedicine for island clinics"),
        "delta": make_entry(contest, code="C7.4", state=Entry.State.NOMINATED, title="Maternal health by SMS"),
    }
    return contest, entries, voter(full_name="Vera Voter")


def _vote(page, year, slug, title):
    page.goto(f"/en/prizes/{year}/categories/{slug}/")
    page.get_by_label(title).check()
    page.get_by_role("button", name="Vote").or_(page.get_by_role("button", name="Change my vote")).click()
    page.wait_for_load_state()


def test_vote_in_two_categories_change_one_and_not_twice(new_page):
    from wsis.prizes.models import Vote

    contest, entries, person = _setup()
    page = new_page()
    # Sign in through the form, from the category page's "Sign in to vote" link, and come back to it.
    page.goto(f"/en/prizes/{contest.year}/categories/c4/")
    page.get_by_role("link", name="Sign in to vote").click()
    page.get_by_label("E-mail address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/en/prizes/{contest.year}/categories/c4/")

    _vote(page, contest.year, "c4", "Digital skills for rural youth")
    assert "Your vote for “Digital skills for rural youth” in C4" in page.locator(".messages").inner_text()
    _vote(page, contest.year, "c7-4", "Telemedicine for island clinics")
    assert "Telemedicine for island clinics" in page.locator(".messages").inner_text()

    # Change the vote in C4: the category page shows the current vote checked, the button says so.
    page.goto(f"/en/prizes/{contest.year}/categories/c4/")
    assert page.get_by_label("Digital skills for rural youth").is_checked()
    page.get_by_label("Coding clubs in public libraries").check()
    page.get_by_role("button", name="Change my vote").click()
    page.wait_for_load_state()
    message = page.locator(".messages").inner_text()
    assert "is now for “Coding clubs in public libraries”" in message
    assert "Your earlier vote no longer counts" in message
    table = page.get_by_role("table").inner_text()
    assert "Coding clubs in public libraries" in table and "Telemedicine for island clinics" in table
    assert "Digital skills for rural youth" not in table

    # The same vote again: confirmed as counting once.
    _vote(page, contest.year, "c4", "Coding clubs in public libraries")
    assert "it counts once" in page.locator(".messages").inner_text()

    # "My votes" lists one vote per category: two votes in all.
    page.goto(f"/en/prizes/{contest.year}/my-votes/")
    mine = page.locator("main").inner_text()
    assert "You have voted in 2 categories." in mine and mine.count("Coding clubs in public libraries") == 1
    votes = dict(Vote.objects.filter(voter=person).values_list("category__action_line__code", "entry__title"))
    assert votes == {"C4": "Coding clubs in public libraries", "C7.4": "Telemedicine for island clinics"}
    assert Vote.objects.filter(entry=entries["beta"], is_valid=True).count() == 1
    assert Vote.objects.filter(entry=entries["alpha"]).count() == 0


def test_prize_pages_have_no_axe_violations_in_english_and_arabic(new_page):
    from wsis.accounts.tests.factories import MembershipFactory, UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.prizes import services
    from wsis.prizes.models import Entry, Phase
    from wsis.prizes.tests.factories import make_contest, make_entry, published

    contest, entries, person = _setup()
    services.vote_cast(voter=person, entry=entries["alpha"], ip="192.0.2.1")
    staff = UserFactory()
    grant_role(staff, Role.SECRETARIAT)
    y = contest.year
    # A finished contest with published results, one in its nomination phase (the review forms) and one
    # open for entries (the entry form, sent empty to show its errors).
    finished = make_contest(None, year=2030)
    done = [make_entry(finished, code="C4", state=Entry.State.NOMINATED, title=t) for t in ("Won", "Championed")]
    Entry.objects.filter(pk=done[0].pk).update(finalist=True, outcome="winner")
    Entry.objects.filter(pk=done[1].pk).update(finalist=True, outcome="champion")
    finished.results_published_at = finished.created_at
    finished.save()
    nominating = make_contest(Phase.NOMINATION, year=2052)
    make_entry(nominating, code="C4", title="Awaiting the experts")
    entering = make_contest(Phase.SUBMISSION, year=2053)
    project = published(title="A project to enter")
    MembershipFactory(user=person, organisation=project.organisation)
    paths = ["/prizes/", "/prizes/methodology/", f"/prizes/{y}/", f"/prizes/{y}/categories/c4/",
             f"/prizes/{y}/entries/{entries['alpha'].pk}/", f"/prizes/{y}/my-votes/", "/prizes/2030/results/",
             "/prizes/2030/results/c4/", "/prizes/2030/categories/c4/", f"/prizes/{entering.year}/enter/"]
    staff_paths = [f"/prizes/{y}/integrity/", f"/prizes/{y}/selection/", f"/prizes/{y}/review/",
                   f"/prizes/{nominating.year}/review/", "/prizes/2030/selection/"]
    problems = []

    def check(page, where):
        violations = axe_violations(page, impacts=ALL_IMPACTS)
        if violations:
            problems.append(axe_report(violations, where=where))

    for language in ("en", "ar"):
        voter_page = new_page(locale="ar" if language == "ar" else "en-GB")
        login_as(voter_page, person)
        for path in paths:
            voter_page.goto(f"/{language}{path}")
            check(voter_page, f"/{language}{path}")
        # The entry form with its errors.
        voter_page.goto(f"/{language}/prizes/{entering.year}/enter/")
        voter_page.locator("#entry-form button[type=submit]").click()
        voter_page.wait_for_load_state()
        assert voter_page.locator(".error-summary").count() == 1
        check(voter_page, f"/{language}/prizes/{entering.year}/enter/ (errors)")
        staff_page = new_page()
        login_as(staff_page, staff)
        for path in staff_paths:
            staff_page.goto(f"/{language}{path}")
            check(staff_page, f"/{language}{path}")
        anonymous = new_page()
        anonymous.goto(f"/{language}/prizes/{y}/categories/c4/")
        check(anonymous, f"anonymous /{language}/prizes/{y}/categories/c4/")
    assert not problems, "\n".join(problems)
