"""Factories for forum editions, phases, rooms and sessions (taxonomy rows come from the reference loader)."""

import datetime as dt

import factory
from django.utils import timezone

from wsis.forum.models import ConsultationPhase, ForumEdition, Room, Session, SessionType, SubmissionKind

ALL_KINDS = list(SubmissionKind.values)


class ForumEditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumEdition

    year = factory.Sequence(lambda n: 2100 + n)
    title = factory.LazyAttribute(lambda o: f"WSIS Forum {o.year}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=120))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=4))
    venue = "Geneva"
    theme = "ICTs for sustainable development"


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationPhase

    edition = factory.SubFactory(ForumEditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = ConsultationPhase.Kind.LAUNCH
    name = factory.LazyAttribute(lambda o: f"Phase {o.number}: call for submissions")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))
    accepts = factory.LazyFunction(lambda: list(ALL_KINDS))


def open_edition(**kwargs) -> ForumEdition:
    """An edition whose single phase is open today and accepts every kind of submission."""
    edition = ForumEditionFactory(**kwargs)
    PhaseFactory(edition=edition, number=1)
    return edition


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    edition = factory.SubFactory(ForumEditionFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    edition = factory.SubFactory(ForumEditionFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    type = SessionType.THEMATIC_WORKSHOP
