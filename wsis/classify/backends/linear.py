"""The default backend: hashed n-grams + query lexicon, one logistic model per SDG, on CPU.

See ``docs/classifier.md`` for the method and its measured accuracy and latency.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..model import ARTEFACT_DIR, LinearModel
from .base import ClassifierBackend, Suggestion, TargetSuggestion

__all__ = ["LinearBackend"]


def artefact_digest(directory: Path) -> str:
    """SHA-256 over every artefact file (name and bytes), in name order."""
    h = hashlib.sha256()
    for path in sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class LinearBackend(ClassifierBackend):
    """Loads the artefacts of ``wsis/classify/artefacts`` (written by ``manage.py train_classifier``)."""

    def __init__(self, directory: Path | str | None = None):
        directory = Path(directory) if directory else ARTEFACT_DIR
        self.model = LinearModel(directory)
        # Named after the artefacts themselves, not only the training inputs: a model retrained with new
        # code or settings from the same inputs gets a new name, so stored suggestions say which made them.
        self.name = f"linear-{self.model.meta['seed']}-{artefact_digest(directory)[:8]}"

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
