"""The interface every classifier backend implements (STYLE.md habit 8).

A backend turns one text into a :class:`Suggestion`: SDGs with calibrated scores and the
decision already applied, up to three targets per suggested SDG, action lines with scores, and
evidence (matched phrases, most similar target texts). Backends must be deterministic, offline
and safe to share between threads once loaded.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field

__all__ = ["ClassifierBackend", "Suggestion", "TargetSuggestion"]


@dataclass(frozen=True)
class TargetSuggestion:
    code: str
    score: float


@dataclass
class Suggestion:
    """What a backend suggests for one text."""

    sdgs: list[int]
    scores: dict[int, float]
    targets: dict[int, list[TargetSuggestion]] = field(default_factory=dict)
    action_lines: list[str] = field(default_factory=list)
    action_line_scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def as_contract(self, id_) -> dict:
        """The JSON object of DESIGN.md §5 (``id``, ``sdgs``, ``scores``, ``action_lines``) plus
        ``targets`` and ``evidence``."""
        return {
            "id": id_,
            "sdgs": list(self.sdgs),
            "scores": {str(s): float(self.scores.get(s, 0.0)) for s in range(1, 18)},
            "action_lines": list(self.action_lines),
            "targets": {str(g): [t.code for t in ts] for g, ts in self.targets.items()},
            "evidence": {k: list(v) for k, v in self.evidence.items()},
        }


class ClassifierBackend(abc.ABC):
    """Suggests SDGs, targets and action lines for a text."""

    #: a short name recorded with stored suggestions, e.g. "linear-2030"
    name: str = "abstract"

    @property
    def quality(self) -> dict:
        """Measured quality shown beside the suggestions (``sdg_item_accuracy``,
        ``targets_top3_given_goal``, ``action_lines``: fractions, or None when not measured)."""
        return {}

    @abc.abstractmethod
    def suggest(self, text: str) -> Suggestion:
        """Score ``text``; never raises for ordinary text (empty text gives no suggestions)."""

    def suggest_many(self, texts: list[str]) -> list[Suggestion]:
        return [self.suggest(text) for text in texts]
