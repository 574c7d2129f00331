"""Personal-token authentication for the JSON API: `Authorization: Bearer lp_...`.

A token belongs to one user in one organisation. The request then carries the same access (roles,
scope) as that user's web session in that organisation, so the API obeys the same rules.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone, translation
from ninja.security.http import HttpBearer

from leerplek.core.access import load_access
from leerplek.core.models import ApiToken
from leerplek.core.services import TOKEN_PREFIX, hash_token

# Recording every use would turn each read into a write; to the minute is precise enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    openapi_bearerFormat = "lp_…"  # noqa: N815  # the OpenAPI key is camelCase
    openapi_description = "A personal API token, made on the “API tokens” page of Leerplek."

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # Parsed here rather than by HttpBearer, which logs a malformed header (with the secret
        # in it) when DEBUG is on.
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX):
            return None
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        """The live token with this secret, its user still active and still a member of the
        token's organisation; the request gets that user and his access there."""
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        access = load_access(found.user, found.organisation_id)
        # load_access falls back to another organisation of the user; the token serves only its own.
        if access.organisation is None or access.organisation_id != found.organisation_id:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
        user = found.user
        user.access = access
        request.user = user
        request.access = access  # type: ignore[attr-defined]
        request.organisation = access.organisation  # type: ignore[attr-defined]
        # Messages in the token owner's language, unless the client asks for one (Accept-Language).
        if "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(user.language)
        return found
