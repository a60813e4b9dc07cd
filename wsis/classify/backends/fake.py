"""A tiny deterministic backend for tests of the code around the classifier.

It suggests an SDG when one of a handful of keywords occurs in the text, so a test can say
exactly what it expects without depending on the trained model's weights.
"""

from __future__ import annotations

from .base import ClassifierBackend, Suggestion, TargetSuggestion

__all__ = ["FakeBackend", "KEYWORDS"]

#: keyword → (SDG, target, action line)
KEYWORDS = {
    "poverty": (1, "1.3", "C1"),
    "farmers": (2, "2.3", "C7.7"),
    "health": (3, "3.8", "C7.4"),
    "school": (4, "4.1", "C7.3"),
    "women": (5, "5.b", "C4"),
    "water": (6, "6.1", "C7.6"),
    "broadband": (9, "9.c", "C2"),
    "climate": (13, "13.1", "C7.6"),
    "corruption": (16, "16.5", "C7.1"),
}


class FakeBackend(ClassifierBackend):
    name = "fake"

    def suggest(self, text: str) -> Suggestion:
        lowered = (text or "").lower()
        scores = dict.fromkeys(range(1, 18), 0.05)
        sdgs, targets, lines, evidence = [], {}, [], {}
        for word, (sdg, target, line) in KEYWORDS.items():
            if word in lowered and sdg not in sdgs:
                sdgs.append(sdg)
                scores[sdg] = 0.9
                targets[sdg] = [TargetSuggestion(target, 0.5)]
                evidence[str(sdg)] = [word]
                if line not in lines:
                    lines.append(line)
        return Suggestion(sdgs=sdgs, scores=scores, targets=targets, action_lines=lines,
                          action_line_scores=dict.fromkeys(lines, 0.8), evidence=evidence)
