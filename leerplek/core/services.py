"""Writes on accounts: interface language, current organisation, personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.access import Access
from leerplek.core.errors import field_error
from leerplek.core.models import ApiToken
from leerplek.people.models import Language, Organisation, User

TOKEN_PREFIX = "lp_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Keep the user's interface language on his account."""
    if language not in Language.values:
        raise field_error("language", _("Choose Dutch, French or English."), code="invalid_choice")
    if user.language != language:
        before = {"language": user.language}
        user.language = language
        user.save(update_fields=["language"])
        audit.record(
            actor=user,
            action="core.language_changed",
            obj=user,
            organisation=user.current_organisation,
            before=before,
            after={"language": language},
        )
    return user


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """Record that the user chose a new password (the password itself is never logged)."""
    audit.record(
        actor=user,
        action="core.password_changed",
        obj=user,
        organisation=user.current_organisation,
    )


@transaction.atomic
def user_switch_organisation(*, user: User, access: Access, organisation_id: int) -> Organisation:
    """Make `organisation_id` the user's current organisation; he must belong to it."""
    allowed = {org.pk: org for org in access.organisations}
    if organisation_id not in allowed:
        raise field_error(
            "organisation", _("You do not belong to that organisation."), code="not_member"
        )
    user.current_organisation = allowed[organisation_id]
    user.save(update_fields=["current_organisation"])
    return allowed[organisation_id]


@transaction.atomic
def token_create(*, user: User, organisation: Organisation, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. The secret is returned once and only its hash is stored."""
    name = name.strip()
    if not name:
        raise field_error("name", _("Give the token a name, e.g. payroll export."), code="required")
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise field_error(
            "name", _("You already have an active token with this name."), code="duplicate_name"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name,
        prefix=secret[:10],
        key_hash=hash_token(secret),
    )
    audit.record(
        actor=user,
        action="core.token_created",
        obj=token,
        organisation=organisation,
        after={"name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token at once; requests that use it are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=by,
            action="core.token_revoked",
            obj=token,
            organisation=token.organisation,
            after={"name": token.name},
        )
    return token
