"""initiative_tags_add: tags with their source, a revision, an audit row and the "tags changed" event."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.core import events
from wsis.core.events import TAGS_CHANGED, subscribe
from wsis.core.models import AuditLog
from wsis.stocktaking import services
from wsis.stocktaking.models import Initiative, TagSource
from wsis.stocktaking.tests.factories import make_initiative, member, moderator
from wsis.taxonomy.models import ActionLine, Goal, Target

pytestmark = pytest.mark.django_db
State = Initiative.State


@pytest.fixture
def emitted(monkeypatch):
    """The TAGS_CHANGED payloads emitted during the test."""
    monkeypatch.setattr(events, "_subscribers", {k: list(v) for k, v in events._subscribers.items()})
    seen = []
    subscribe(TAGS_CHANGED, lambda **payload: seen.append(payload))
    return seen


def test_moderator_adds_classifier_tags_to_a_published_initiative(emitted):
    initiative = make_initiative(state=State.PUBLISHED)  # tagged SDG 4, target 4.4 by its submitter
    revisions = initiative.revisions.count()
    added = services.initiative_tags_add(
        actor=moderator(), initiative=initiative, source=TagSource.CLASSIFIER, reason="Classifier",
        action_lines=[ActionLine.objects.get(code="C7.3")], goals=[Goal.objects.get(number=4)],
        targets=[Target.objects.get(code="5.b"), Target.objects.get(code="4.4")],
    )
    assert [a.code for a in added.action_lines] == ["C7.3"]
    assert [g.number for g in added.goals] == [5]  # 4 was there; 5 comes with target 5.b
    assert [t.code for t in added.targets] == ["5.b"]
    assert initiative.goal_tags.get(goal__number=5).source == TagSource.CLASSIFIER
    assert initiative.goal_tags.get(goal__number=4).source == TagSource.SUBMITTER  # never relabelled
    assert initiative.target_tags.get(target__code="5.b").source == TagSource.CLASSIFIER
    al = initiative.action_line_tags.get(action_line__code="C7.3")
    assert al.source == TagSource.CLASSIFIER and not al.is_primary
    revision = initiative.revisions.order_by("-number").first()
    assert initiative.revisions.count() == revisions + 1 and revision.reason == "Classifier"
    assert revision.data["goals"] == [4, 5] and revision.data["action_lines"] == ["C7.3"]
    assert revision.data["targets"] == {"4.4": TagSource.SUBMITTER, "5.b": TagSource.CLASSIFIER}
    audit = AuditLog.objects.get(action="stocktaking.initiative.add_tags", target_id=str(initiative.pk))
    assert audit.data == {"source": "classifier", "action_lines": ["C7.3"], "goals": [5], "targets": ["5.b"]}
    assert emitted == [{"initiative_ids": [initiative.pk], "source": TagSource.CLASSIFIER}]


def test_nothing_new_writes_nothing(emitted):
    initiative = make_initiative(state=State.PUBLISHED)
    revisions = initiative.revisions.count()
    added = services.initiative_tags_add(actor=moderator(), initiative=initiative, source=TagSource.CLASSIFIER,
                                         targets=[Target.objects.get(code="4.4")])
    assert not added
    assert initiative.revisions.count() == revisions and emitted == []
    assert not AuditLog.objects.filter(action="stocktaking.initiative.add_tags").exists()


def test_members_add_tags_while_they_may_edit_but_not_to_a_published_entry():
    draft = make_initiative()
    user = draft.organisation.memberships.first().user
    services.initiative_tags_add(actor=user, initiative=draft, source=TagSource.SUBMITTER,
                                 goals=[Goal.objects.get(number=9)])
    assert draft.goal_tags.filter(goal__number=9).exists()
    published = make_initiative(state=State.PUBLISHED, organisation=draft.organisation)
    with pytest.raises(ValidationError):
        services.initiative_tags_add(actor=user, initiative=published, source=TagSource.SUBMITTER,
                                     goals=[Goal.objects.get(number=9)])
    with pytest.raises(PermissionDenied):
        services.initiative_tags_add(actor=member(), initiative=draft, source=TagSource.SUBMITTER,
                                     goals=[Goal.objects.get(number=10)])
    assert not published.goal_tags.filter(goal__number=9).exists()
