"""The POST-and-redirect idiom of the page views: run one service, report its outcome as a message."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

__all__ = ["error_text", "run_service"]


def error_text(exc: ValidationError) -> str:
    """A service's validation error as one sentence for a flash message."""
    return " ".join(exc.messages)


def run_service(request: HttpRequest, call: Callable[[], Any],
                success: str | Callable[[Any], str] | None = None) -> tuple[bool, Any]:
    """Run ``call``; a ``ValidationError`` becomes an error message, otherwise ``success`` is shown.

    ``success`` may be a function of the service's result (``lambda n: _("%(n)d copied.") % …``).
    Returns ``(ok, result)`` so the view can choose where to redirect.
    """
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False, None
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return True, result
