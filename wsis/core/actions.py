"""The POST-and-redirect idiom of the page views: run one service, report its outcome as a message."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

__all__ = ["error_text", "form_add_service_errors", "run_service"]


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


def form_add_service_errors(form, exc: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ``ValidationError`` on ``form``: on the field it names (renamed through
    ``field_map`` where the form calls it differently), else at the top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.error_dict.items():
        name = (field_map or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)
