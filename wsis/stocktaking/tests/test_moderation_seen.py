"""Moderation decides on the content the moderator saw (issue 13, finding 3).

The moderation page posts the fingerprint of the content it displayed; when the entry (or its
pending update) changed after that, approve/return/reject are refused with a clear message, nothing
is published and the entry is back in the queue.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from wsis.core.models import AuditLog
from wsis.stocktaking import services
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import complete_data, make_initiative, moderator

pytestmark = pytest.mark.django_db
State = Initiative.State


def _detail(pk):
    return reverse("stocktaking:moderation-detail", args=[pk])


def _seen(client, pk) -> str:
    page = client.get(_detail(pk))
    assert page.status_code == 200
    return page.context["form"]["seen"].value()


def test_approval_of_an_entry_changed_after_the_moderator_opened_it_is_refused(client):
    initiative = make_initiative(state=State.SUBMITTED, title="Seen title")
    client.force_login(moderator())
    seen = _seen(client, initiative.pk)
    # The editor changes the submitted entry while the moderator reads it.
    services.initiative_update(user=initiative.created_by, initiative=initiative,
                               data=complete_data(title="Unseen title"))

    refused = client.post(_detail(initiative.pk), {"decision": "approve", "comment": "", "seen": seen}, follow=True)
    assert refused.redirect_chain[-1][0] == _detail(initiative.pk)
    assert "changed after you opened it" in refused.content.decode()
    assert "Unseen title" in refused.content.decode()  # the current version is what is shown now
    initiative.refresh_from_db()
    assert initiative.state == State.SUBMITTED and initiative.published_at is None
    assert AuditLog.objects.filter(action="stocktaking.initiative.refuse_stale", target_id=str(initiative.pk)).exists()
    assert not AuditLog.objects.filter(action="stocktaking.initiative.approve").exists()

    fresh = refused.context["form"]["seen"].value()
    assert fresh != seen
    assert client.post(_detail(initiative.pk), {"decision": "approve", "comment": "", "seen": fresh}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.state == State.PUBLISHED and initiative.title == "Unseen title"


def test_a_post_without_the_fingerprint_decides_nothing(client):
    initiative = make_initiative(state=State.SUBMITTED)
    client.force_login(moderator())
    client.post(_detail(initiative.pk), {"decision": "approve", "comment": ""})
    initiative.refresh_from_db()
    assert initiative.state == State.SUBMITTED


def test_a_pending_update_resubmitted_with_other_text_is_not_approved_on_the_old_page(client):
    initiative = make_initiative(state=State.PUBLISHED, title="Published title")
    editor = initiative.created_by
    services.initiative_update(user=editor, initiative=initiative, data=complete_data(title="First update"))
    services.initiative_submit(user=editor, initiative=initiative)
    client.force_login(moderator())
    seen = _seen(client, initiative.pk)
    # A colleague returns it, the editor rewrites it and submits again: same pending revision row.
    services.initiative_return(user=moderator(), initiative=initiative, comment="Shorter, please.")
    services.initiative_update(user=editor, initiative=initiative, data=complete_data(title="Second update"))
    services.initiative_submit(user=editor, initiative=initiative)

    client.post(_detail(initiative.pk), {"decision": "approve", "comment": "", "seen": seen})
    initiative.refresh_from_db()
    assert initiative.title == "Published title"
    assert services.pending_revision(initiative).state == State.SUBMITTED


@pytest.mark.parametrize("decision", ["approve", "return", "reject"])
def test_stale_decisions_are_refused_and_an_entry_in_review_goes_back_to_the_queue(decision):
    initiative = make_initiative(state=State.IN_REVIEW)
    mod = moderator()
    kwargs = {"reason": "No."} if decision == "reject" else {"comment": "Because."}
    with pytest.raises(services.ModerationStale):
        getattr(services, f"initiative_{decision}")(user=mod, initiative=initiative, seen="not-what-is-there",
                                                     **kwargs)
    initiative.refresh_from_db()
    assert initiative.state == State.SUBMITTED
    current = services.initiative_moderation_fingerprint(initiative)
    done = getattr(services, f"initiative_{decision}")(user=mod, initiative=initiative, seen=current, **kwargs)
    assert done.state == {"approve": State.PUBLISHED, "return": State.RETURNED, "reject": State.REJECTED}[decision]
