"""The past editions, phases and milestones load from the data files, idempotently."""

import datetime as dt

import pytest
from django.core.management import call_command

from wsis.forum.history import history_load
from wsis.forum.models import ConsultationPhase, ForumEdition, Milestone, SubmissionKind

pytestmark = pytest.mark.django_db


def test_history_loads_real_editions_with_their_phase_windows():
    counts = history_load()
    assert counts["editions"] >= 11
    e2016 = ForumEdition.objects.get(year=2016)
    assert (e2016.start_date, e2016.end_date) == (dt.date(2016, 5, 2), dt.date(2016, 5, 6))
    phases = list(e2016.phases.order_by("number"))
    assert [p.starts_on for p in phases] == [dt.date(2015, 11, 4), dt.date(2016, 1, 20), dt.date(2016, 1, 30),
                                              dt.date(2016, 2, 26), dt.date(2016, 4, 1)]
    # Each phase runs to the day before the next; the deadline is one day; after it nothing is accepted.
    assert phases[0].ends_on == dt.date(2016, 1, 19)
    assert phases[2].kind == ConsultationPhase.Kind.DEADLINE and phases[2].ends_on == dt.date(2016, 1, 30)
    assert phases[2].accepts_kind(SubmissionKind.SESSION_PROPOSAL)
    assert phases[3].accepts == [] and phases[4].accepts == []
    assert ForumEdition.objects.get(year=2020).format == ForumEdition.Format.VIRTUAL
    assert "Well-Being" in ForumEdition.objects.get(year=2022).theme


def test_history_timeline_holds_the_process_milestones_and_hlpf_sessions():
    history_load()
    slugs = set(Milestone.objects.values_list("slug", flat=True))
    assert {"itu-pp98-resolution-73", "unga-56-183", "wsis-geneva-2003", "wsis-tunis-2005", "unga-70-125",
            "agenda-2030", "wsis-plus-20-unga-2025", "agenda-2030-deadline"} <= slugs
    assert Milestone.objects.get(slug="wsis-plus-20-unga-2025").reference == "A/RES/80/173"
    hlpf = Milestone.objects.get(slug="hlpf-2023")
    assert hlpf.date == dt.date(2023, 7, 10)
    assert sorted(hlpf.hlpf_session.goals.values_list("number", flat=True)) == [6, 7, 9, 11, 17]
    assert Milestone.objects.get(slug="wsis-forum-2019").edition.year == 2019


def test_history_load_twice_changes_nothing():
    history_load()
    assert history_load() == {"editions": 0, "phases": 0, "milestones": 0}


def test_command_reports_what_it_loaded(capsys):
    call_command("load_forum_history", "--no-input")
    assert "Forum history:" in capsys.readouterr().out
