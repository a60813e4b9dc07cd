"""Reads of the open-data app: the latest ready build of the bulk downloads and its files."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative, InitiativeActionLine, InitiativeGoal, InitiativeTarget
from wsis.stocktaking.search import initiative_search
from wsis.taxonomy.models import Country

from .models import Dump

__all__ = ["dump_latest", "dump_get_ready", "dump_file", "dump_in_progress", "iati_initiatives"]


def dump_latest() -> Dump | None:
    """The newest ready build (what the "latest" URLs serve), or None before the first one."""
    return Dump.objects.filter(state=Dump.State.DONE).order_by("-finished_at", "-id").first()


def dump_get_ready(pk: int) -> Dump:
    dump = Dump.objects.filter(pk=pk, state=Dump.State.DONE).first()
    if dump is None:
        raise Http404
    return dump


def dump_file(dump: Dump, name: str) -> dict:
    """The entry of file ``name`` in ``dump``, or 404."""
    for entry in dump.files:
        if entry["name"] == name:
            return entry
    raise Http404


def dump_in_progress() -> Dump | None:
    return Dump.objects.filter(state__in=[Dump.State.QUEUED, Dump.State.RUNNING]).order_by("-id").first()


def iati_initiatives(filters: InitiativeFilters | None = None) -> QuerySet[Initiative]:
    """Published initiatives matching ``filters`` with what an IATI activity needs, in id order."""
    qs = initiative_search(filters or InitiativeFilters(), relations=False).order_by("id")
    return qs.defer("search_vector", "facet_tokens").select_related("organisation__stakeholder_type").prefetch_related(
        Prefetch("countries", queryset=Country.objects.only("id", "iso2", "iso3")),
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.select_related("action_line").only(
            "id", "initiative_id", "is_primary", "action_line__id", "action_line__code", "action_line__name_en")),
        Prefetch("goal_tags", queryset=InitiativeGoal.objects.select_related("goal")
                 .only("id", "initiative_id", "goal__id", "goal__number")),
        Prefetch("target_tags", queryset=InitiativeTarget.objects.select_related("target")
                 .only("id", "initiative_id", "target__id", "target__code")),
        "target_group_tags",
    )
