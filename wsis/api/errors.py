"""The one error body of the API: ``{"detail": "<text>", "errors": {"<field>": ["<message>", …]}}``.

Every error the API sends has this shape: the answers the endpoints write themselves, ninja's
``HttpError`` and authentication failures (``detail`` only), and request validation, which ninja
would otherwise send as ``{"detail": [<pydantic errors>]}`` (a list where the schema said a string).
``config/api.py`` installs :func:`validation_error_response` and documents :class:`ErrorOut` as the
``default`` response and the 422 of every operation that reads input.
"""

from __future__ import annotations

from ninja import Schema

__all__ = ["ErrorOut", "validation_errors", "validation_error_body"]


class ErrorOut(Schema):
    """An error: a sentence for people, and the messages by field (``body.title``, ``query.limit``) for programs."""

    detail: str
    errors: dict[str, list[str]] = {}


def _location(loc) -> str:
    parts = [str(p) for p in loc]
    # ninja nests a body under its argument's name: body.payload.title -> body.title
    if len(parts) >= 3 and parts[0] in {"body", "form"}:
        parts = [parts[0], *parts[2:]]
    return ".".join(parts) or "request"


def validation_errors(errors: list[dict]) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(_location(error.get("loc", ())), []).append(str(error.get("msg", "Invalid value.")))
    return by_field


def validation_error_body(errors: list[dict]) -> dict:
    by_field = validation_errors(errors)
    named = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in by_field.items())
    return {"detail": f"The request is not valid: {named}" if named else "The request is not valid.",
            "errors": by_field}
