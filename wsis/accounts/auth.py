"""API authentication: a personal API token sent as ``Authorization: Bearer``, or the browser session.

Other apps protect endpoints with ``auth=api_auth`` (``from wsis.accounts.auth import api_auth``);
either way ``request.auth`` and ``request.user`` are then the signed-in user.

The token is tried first: a request that carries ``Authorization: Bearer`` is a program, not a
browser (browsers never add that header by themselves), so it needs no CSRF token. Only a request
without a valid bearer token falls back to the session, whose writes need the CSRF token.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from .models import ApiToken
from .services import hash_secret

__all__ = ["ApiTokenAuth", "SessionAuth", "token_auth", "session_auth", "api_auth", "LAST_USED_PRECISION", "SAFE_METHODS",
           "ERR_READ_ONLY_TOKEN"]

# Recording every use would turn each API read into a write; a minute's precision is enough to
# tell an owner whether a token is still in use.
LAST_USED_PRECISION = timedelta(minutes=1)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ERR_READ_ONLY_TOKEN = "This API token may only read: make a token with the write scope to change data."


class ApiTokenAuth(HttpBearer):
    """A personal API token (``wsis_…``) made on the "API tokens" page of My account.

    Refused (as if absent) when unknown, expired, made before the user's last password change, or
    when the user is deactivated or unverified. A read-scope token sending a write answers 403.
    """

    def authenticate(self, request, token: str):
        if not token:
            return None
        api_token = (ApiToken.objects.select_related("user").filter(key_hash=hash_secret(token.strip()))
                     .first())
        if api_token is None or api_token.is_expired or api_token.is_revoked_by_password_change:
            return None
        user = api_token.user
        # A deactivated or unverified account cannot use its tokens either.
        if not user.is_active or not user.email_verified:
            return None
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise HttpError(403, ERR_READ_ONLY_TOKEN)
        now = timezone.now()
        if api_token.last_used is None or now - api_token.last_used > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used=now)
        request.user = user
        request.api_token = api_token
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser session (writes need the CSRF token), for requests that send no bearer token.

    A request with ``Authorization: Bearer`` is judged by its token alone: a refused token answers 401
    rather than a CSRF failure that would hide the reason.
    """

    def __call__(self, request):
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        return super().__call__(request)


token_auth = ApiTokenAuth()
session_auth = SessionAuth()
api_auth = [token_auth, session_auth]
