"""Named domain events, and the table of derived data that they keep up to date.

A service that changes something derived data is built from *emits* an event inside its own
transaction (``emit(ORGANISATION_CHANGED, organisation_ids=[org.pk], fields=["stakeholder_type"])``);
the app that keeps the derived data *subscribes* to it in its ``AppConfig.ready()``. The writer
does not know who listens, so an app never imports the apps above it to keep their data fresh
(stocktaking does not import analytics; accounts and taxonomy do not import stocktaking).

Handlers run synchronously, in the order they subscribed, inside the caller's transaction. That
is deliberate: the derived rows (search tokens, analytics coverage facts) are committed together
with the change they follow, or rolled back with it, so no reader ever sees an organisation's new
type while search still files its initiatives under the old one, and nothing is needed to catch up
after a crash — there is no queue to lose and no broker to run. A handler's exception aborts the
writer's transaction for the same reason. Work that must wait for the commit (cache generations,
e-mail) is scheduled by the handler itself with ``transaction.on_commit``.

Each piece of derived data is declared once with :func:`derived_register`: its input model fields,
the events that refresh each input, the handlers, and a function that tells which model fields
its builder actually reads. :func:`derived_problems` compares the two; a test runs it for every
registered datum, so a builder that starts reading a field no event refreshes fails the suite.
``docs/architecture.md`` ("Derived data and who keeps it") shows the same table for people.

Core names no app: the events are plain names with payload keys, and the derived data are
registered by the apps that own them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

__all__ = [
    "Event",
    "INITIATIVE_CHANGED",
    "TAGS_CHANGED",
    "ORGANISATION_CHANGED",
    "COUNTRY_GROUPS_CHANGED",
    "REFERENCE_DATA_RELOADED",
    "EVENTS",
    "subscribe",
    "subscribers",
    "emit",
    "DerivedDatum",
    "derived_register",
    "derived_data",
    "derived_problems",
    "sql_reads",
]


@dataclass(frozen=True)
class Event:
    """A named event and the keyword arguments (payload) every emit of it carries."""

    name: str
    payload: tuple[str, ...]
    doc: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.name


INITIATIVE_CHANGED = Event(
    "initiative_changed", ("initiative_ids",),
    "Initiatives were created or their state, attributes or tags changed; ``initiative_ids`` is a "
    "list of ids, or None for every initiative (bulk loads).")
TAGS_CHANGED = Event(
    "tags_changed", ("initiative_ids", "source"),
    "Tags were added or removed outside a full edit (the classifier's accepted tags, a moderator's "
    "correction); ``source`` is the TagSource value.")
ORGANISATION_CHANGED = Event(
    "organisation_changed", ("organisation_ids", "fields"),
    "Organisations' details changed; ``fields`` names the changed fields.")
COUNTRY_GROUPS_CHANGED = Event(
    "country_groups_changed", ("country_ids",),
    "Countries' region, regional commission or LDC / LLDC / SIDS status changed.")
REFERENCE_DATA_RELOADED = Event(
    "reference_data_reloaded", ("fields",),
    "The reference data were reloaded and rows changed; ``fields`` holds the model fields whose "
    "stored values changed, as ``\"app_label.Model.field\"`` (the keys of the derived-data table).")

EVENTS = (INITIATIVE_CHANGED, TAGS_CHANGED, ORGANISATION_CHANGED, COUNTRY_GROUPS_CHANGED, REFERENCE_DATA_RELOADED)

Handler = Callable[..., None]
_subscribers: dict[Event, list[Handler]] = {}


def subscribe(event: Event, handler: Handler) -> None:
    """Call ``handler(**payload)`` on every ``emit(event, …)``; subscribing the same handler twice is a no-op."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    handlers = _subscribers.setdefault(event, [])
    if handler not in handlers:
        handlers.append(handler)


def subscribers(event: Event) -> list[Handler]:
    return list(_subscribers.get(event, []))


def emit(event: Event, **payload) -> None:
    """Run every handler of ``event`` now, in the caller's transaction (see the module docstring)."""
    if set(payload) != set(event.payload):
        raise TypeError(f"{event.name} takes {sorted(event.payload)}, got {sorted(payload)}")
    for handler in subscribers(event):
        handler(**payload)


# --- the table of derived data -----------------------------------------------------------------------

@dataclass(frozen=True)
class DerivedDatum:
    """One piece of derived data: what it is built from and what keeps it fresh.

    ``inputs`` maps ``"app_label.Model.field"`` to the events that refresh the datum when that
    field changes; ``handlers`` maps each of those events to the function that does it;
    ``reads`` returns the model fields the builder really reads (e.g. ``sql_reads`` of its SQL),
    which must all be declared in ``inputs``.
    """

    name: str
    description: str
    inputs: Mapping[str, tuple[Event, ...]]
    handlers: Mapping[Event, Handler]
    reads: Callable[[], Iterable[str]]


_derived: dict[str, DerivedDatum] = {}


def derived_register(datum: DerivedDatum) -> None:
    """Declare ``datum`` and subscribe its handlers (called from the owning app's ``ready()``)."""
    _derived[datum.name] = datum
    for event, handler in datum.handlers.items():
        subscribe(event, handler)


def derived_data() -> list[DerivedDatum]:
    return list(_derived.values())


def _field_exists(ref: str) -> bool:
    try:
        app_label, model_name, field_name = ref.split(".")
        model = apps.get_model(app_label, model_name)
        model._meta.get_field(field_name)
    except (ValueError, LookupError, FieldDoesNotExist):
        return False
    return True


def derived_problems(datum: DerivedDatum) -> list[str]:
    """Everything wrong with ``datum``'s declaration; empty when each field it reads is kept fresh."""
    problems = []
    for ref in sorted(set(datum.reads()) - set(datum.inputs)):
        problems.append(f"{datum.name}: reads {ref}, but no event is listed for it")
    for ref, events in sorted(datum.inputs.items()):
        if not _field_exists(ref):
            problems.append(f"{datum.name}: lists {ref}, which is not a model field")
        if not events:
            problems.append(f"{datum.name}: {ref} has no event that refreshes it")
        for event in events:
            if event not in datum.handlers:
                problems.append(f"{datum.name}: {ref} lists {event.name}, which it has no handler for")
            elif datum.handlers[event] not in subscribers(event):
                problems.append(f"{datum.name}: its handler of {event.name} is not subscribed")
    return problems


_TABLE_ALIAS = re.compile(r"\b(?:FROM|JOIN|UPDATE)\s+(\w+)\s+(?:AS\s+)?(?!ON\b|WHERE\b|SET\b|JOIN\b)(\w+)", re.I)
_COLUMN = re.compile(r"\b(\w+)\.(\"?\w+\"?)")
_STRING = re.compile(r"'[^']*'")


def sql_reads(sql: str) -> set[str]:
    """The model fields (``"app_label.Model.field"``) that ``sql`` reads as ``alias.column``.

    Aliases are resolved per ``UNION`` branch (a branch may reuse a short alias for another table),
    falling back to aliases the whole statement gives one table. Primary keys are left out: they
    identify rows, they are not data that changes. Raises ``LookupError`` for a column that is
    not a model field, so a renamed column cannot slip past the check.
    """
    tables = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    sql = _STRING.sub("''", sql)
    everywhere: dict[str, set[str]] = {}
    for table, alias in _TABLE_ALIAS.findall(sql):
        everywhere.setdefault(alias, set()).add(table)
    global_aliases = {alias: next(iter(t)) for alias, t in everywhere.items() if len(t) == 1}
    reads = set()
    for branch in re.split(r"\bUNION(?:\s+ALL)?\b", sql, flags=re.I):
        aliases = {**global_aliases, **{alias: table for table, alias in _TABLE_ALIAS.findall(branch)}}
        for alias, column in _COLUMN.findall(branch):
            column = column.strip('"')
            if alias not in aliases:
                continue
            model = tables[aliases[alias]]
            if column == model._meta.pk.column:
                continue
            matches = [f for f in model._meta.concrete_fields if f.column == column]
            if not matches:
                raise LookupError(f"{aliases[alias]}.{column} is not a field of {model._meta.label}")
            reads.add(f"{model._meta.label}.{matches[0].name}")
    return reads
