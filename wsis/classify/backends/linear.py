"""The default backend: hashed n-grams + query lexicon, one logistic model per SDG, on CPU.

See ``docs/classifier.md`` for the method and its measured accuracy and latency.
"""

from __future__ import annotations

from pathlib import Path

from ..model import ARTEFACT_DIR, LinearModel
from .base import ClassifierBackend, Suggestion, TargetSuggestion

__all__ = ["LinearBackend"]


class LinearBackend(ClassifierBackend):
    """Loads the artefacts of ``wsis/classify/artefacts`` (written by ``manage.py train_classifier``)."""

    def __init__(self, directory: Path | str | None = None):
        self.model = LinearModel(Path(directory) if directory else ARTEFACT_DIR)
        self.name = f"linear-{self.model.meta['seed']}-{self.model.meta['training']['inputs_sha256'][:8]}"

    @property
    def quality(self) -> dict:
        return dict(self.model.meta.get("quality") or {})

    def suggest(self, text: str) -> Suggestion:
        p = self.model.predict(text or "")
        return Suggestion(
            sdgs=p.sdgs,
            scores=p.scores,
            targets={g: [TargetSuggestion(code, score) for code, score in ts] for g, ts in p.targets.items()},
            action_lines=p.action_lines,
            action_line_scores=p.action_line_scores,
            evidence=p.evidence,
        )
