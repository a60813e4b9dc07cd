"""The one error body of the API, an RFC 9457 problem document (``application/problem+json``)::

    {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "<text>",
     "instance": "/api/v1/…", "errors": {"<field>": ["<message>", …]}}

``detail`` and ``errors`` (an extension member: the messages by field) are what the endpoints say;
``type``, ``title``, ``status`` and ``instance`` are added by :func:`problem` when the response is
made (``config/api.py``), so no endpoint has to remember them.

Every error the API sends has this shape: the answers the endpoints write themselves, ninja's
``HttpError`` and authentication failures (``detail`` only), and request validation, which ninja
would otherwise send as ``{"detail": [<pydantic errors>]}`` (a list where the schema said a string).
``config/api.py`` installs :func:`validation_error_response` and documents :class:`ErrorOut` as the
``default`` response and the 422 of every operation that reads input.
"""

from __future__ import annotations

from http import HTTPStatus

from ninja import Field, Schema

__all__ = ["ErrorOut", "PROBLEM_CONTENT_TYPE", "problem", "validation_errors", "validation_error_body"]

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ErrorOut(Schema):
    """An error (RFC 9457 problem details): a sentence for people, and the messages by field
    (``body.title``, ``query.limit``) for programs."""

    type: str = Field("about:blank", description="A URI naming the kind of problem; about:blank: see the status.")
    title: str = Field("", description="The HTTP status's phrase.")
    status: int = Field(0, description="The HTTP status code.")
    detail: str
    instance: str = Field("", description="The path of the request.")
    errors: dict[str, list[str]] = {}


def problem(body: dict, *, status: int, path: str) -> dict:
    """``body`` (at least ``detail``) completed as an RFC 9457 problem document; its other members
    (``errors``, a conflict's ``version``) are kept as extension members."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return {**body, "type": body.get("type") or "about:blank", "title": body.get("title") or title,
            "status": status, "detail": str(body.get("detail", title)), "instance": body.get("instance") or path,
            "errors": body.get("errors") or {}}


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
