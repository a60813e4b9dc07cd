"""API authentication: the browser session, or a personal API token sent as ``Authorization: Bearer``.

Other apps protect endpoints with ``auth=api_auth`` (``from wsis.accounts.auth import api_auth``);
either way ``request.auth`` and ``request.user`` are then the signed-in user.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken
from .services import hash_secret

__all__ = ["ApiTokenAuth", "token_auth", "api_auth", "LAST_USED_PRECISION"]

# Recording every use would turn each API read into a write; a minute's precision is enough to
# tell an owner whether a token is still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    """A personal API token (``wsis_…``) made on the "API tokens" page of My account."""

    def authenticate(self, request, token: str):
        if not token:
            return None
        api_token = (ApiToken.objects.select_related("user").filter(key_hash=hash_secret(token.strip()))
                     .first())
        if api_token is None:
            return None
        user = api_token.user
        # A deactivated or unverified account cannot use its tokens either.
        if not user.is_active or not user.email_verified:
            return None
        now = timezone.now()
        if api_token.last_used is None or now - api_token.last_used > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used=now)
        request.user = user
        return user


token_auth = ApiTokenAuth()
api_auth = [django_auth, token_auth]
