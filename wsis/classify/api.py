"""POST /api/v1/classify — SDG, target and action-line suggestions for a text (offline, nothing stored)."""

from ninja import Field, Router, Schema

from wsis.core.ratelimit import rate_limit

from . import selectors

router = Router(tags=["classify"])


class ClassifyIn(Schema):
    text: str = Field(..., min_length=1, max_length=selectors.MAX_TEXT,
                      description="Title, summary and description of an initiative, in any of the six UN languages.")


class TargetSuggestionOut(Schema):
    code: str = Field(..., description="Target code as the UN writes it, e.g. 4.4.")
    title: str
    score: float = Field(..., description="Cosine similarity of the text to the target's texts (0–1).")


class GoalSuggestionOut(Schema):
    goal: int
    title: str
    score: float = Field(..., description="Calibrated probability that the text addresses the goal.")
    targets: list[TargetSuggestionOut] = Field(..., description="Up to three targets, most similar first.")
    evidence: list[str] = Field(..., description="Phrases of the text that signal the goal.")


class ActionLineSuggestionOut(Schema):
    code: str
    name: str
    score: float
    evidence: list[str]


class ClassifyOut(Schema):
    sdgs: list[int] = Field(..., description="Suggested SDGs (score above the decision threshold), best first.")
    scores: dict[str, float] = Field(..., description="Calibrated score for every SDG, keyed 1 to 17.")
    action_lines: list[str] = Field(..., description="Suggested action-line codes, best first.")
    goals: list[GoalSuggestionOut]
    action_line_details: list[ActionLineSuggestionOut]
    backend: str = Field(..., description="Name and version of the classifier that answered.")


@router.post("/classify", response=ClassifyOut, summary="Suggest SDGs, targets and action lines for a text")
@rate_limit("classify")
def classify(request, payload: ClassifyIn):
    """Scores the text with the platform's own classifier (CPU, no network). Nothing is stored."""
    view = selectors.text_suggestions(text=payload.text)
    raw = view.raw
    return {
        "sdgs": raw.sdgs,
        "scores": {str(s): float(raw.scores.get(s, 0.0)) for s in range(1, 18)},
        "action_lines": [a.action_line.code for a in view.action_lines],
        "goals": [
            {"goal": g.goal.number, "title": g.goal.title, "score": g.score, "evidence": g.evidence,
             "targets": [{"code": t.target.code, "title": t.target.title, "score": t.score} for t in g.targets]}
            for g in view.goals
        ],
        "action_line_details": [
            {"code": a.action_line.code, "name": a.action_line.name, "score": a.score, "evidence": a.evidence}
            for a in view.action_lines
        ],
        "backend": view.backend,
    }
