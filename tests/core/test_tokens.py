"""The personal API token pages: list, create (secret shown once), revoke."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from leerplek.core.models import ApiToken, AuditEntry
from leerplek.core.roles import Role
from leerplek.core.services import hash_token, token_create
from tests.factories import Cast, grant


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The cast has a user per role; hashing each password with PBKDF2 costs seconds a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def logged_in(cast: Cast, role: Role) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(cast.user(role))
    return client


def api_status(secret: str) -> int:
    response = Client().get("/api/v1/functions", headers={"Authorization": f"Bearer {secret}"})
    return response.status_code


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_member_can_open_his_token_page(cast: Cast, role: Role) -> None:
    response = logged_in(cast, role).get(reverse("core:token-list"))

    assert response.status_code == 200
    assert "You have no API tokens yet." in response.content.decode()


def test_the_list_shows_my_tokens_with_their_status(cast: Cast) -> None:
    user = cast.user(Role.HR)
    token_create(user=user, organisation=cast.organisation, name="Loonexport")
    revoked, _ = token_create(user=user, organisation=cast.organisation, name="Oude koppeling")
    revoked.revoked_at = revoked.created_at
    revoked.save(update_fields=["revoked_at"])

    page = logged_in(cast, Role.HR).get(reverse("core:token-list")).content.decode()

    assert "Loonexport" in page
    assert "Oude koppeling" in page
    assert page.count("badge-ok") == 1
    assert page.count("badge-bad") == 1
    assert page.count(reverse("core:token-revoke", args=[revoked.pk])) == 0
    assert "Never" in page


def test_the_list_leaves_out_other_peoples_tokens(cast: Cast) -> None:
    token_create(user=cast.user(Role.ADMIN), organisation=cast.organisation, name="Van de admin")

    page = logged_in(cast, Role.HR).get(reverse("core:token-list")).content.decode()

    assert "Van de admin" not in page


def test_the_list_leaves_out_my_tokens_of_another_organisation(cast: Cast) -> None:
    user = cast.user(Role.HR)
    assert cast.other_organisation is not None
    grant(user, cast.other_organisation, Role.HR)
    token_create(user=user, organisation=cast.other_organisation, name="Andere firma")
    user.current_organisation = cast.organisation
    user.save(update_fields=["current_organisation"])

    page = logged_in(cast, Role.HR).get(reverse("core:token-list")).content.decode()

    assert "Andere firma" not in page


def test_creating_shows_the_secret_once(cast: Cast) -> None:
    client = logged_in(cast, Role.HR)

    response = client.post(reverse("core:token-create"), {"name": "Loonexport"})

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    secret = response.context["secret"]
    page = response.content.decode()
    assert (
        '<code id="token-secret" class="token-secret" '
        f'aria-labelledby="token-secret-label">{secret}</code>' in page
    )
    assert page.count(secret) == 1
    assert "It is shown only this once." in page
    token = ApiToken.objects.get(user=cast.user(Role.HR))
    assert (token.name, token.organisation, token.key_hash) == (
        "Loonexport",
        cast.organisation,
        hash_token(secret),
    )
    assert secret not in client.get(reverse("core:token-list")).content.decode()
    assert api_status(secret) == 200


def test_a_token_needs_a_name(cast: Cast) -> None:
    response = logged_in(cast, Role.HR).post(reverse("core:token-create"), {"name": "  "})

    assert response.status_code == 422
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert not ApiToken.objects.exists()


def test_two_active_tokens_cannot_share_a_name(cast: Cast) -> None:
    token_create(user=cast.user(Role.HR), organisation=cast.organisation, name="Loonexport")

    response = logged_in(cast, Role.HR).post(reverse("core:token-create"), {"name": "Loonexport"})

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "name": ["You already have an active token with this name."]
    }
    assert ApiToken.objects.count() == 1


def test_the_revoke_page_asks_first_and_changes_nothing(cast: Cast) -> None:
    token, secret = token_create(
        user=cast.user(Role.HR), organisation=cast.organisation, name="Loonexport"
    )

    response = logged_in(cast, Role.HR).get(reverse("core:token-revoke", args=[token.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Revoke the token “Loonexport”" in page
    assert f'action="{reverse("core:token-revoke", args=[token.pk])}"' in page
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_status(secret) == 200


def test_revoking_stops_the_api_at_once(cast: Cast) -> None:
    token, secret = token_create(
        user=cast.user(Role.HR), organisation=cast.organisation, name="Loonexport"
    )
    assert api_status(secret) == 200
    client = logged_in(cast, Role.HR)

    response = client.post(reverse("core:token-revoke", args=[token.pk]), follow=True)

    assert response.redirect_chain == [(reverse("core:token-list"), 302)]
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_status(secret) == 401
    assert AuditEntry.objects.filter(action="core.token_revoked", actor=cast.user(Role.HR)).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_token_is_404(cast: Cast, method: str) -> None:
    token, secret = token_create(
        user=cast.user(Role.ADMIN), organisation=cast.organisation, name="Van de admin"
    )

    response = getattr(logged_in(cast, Role.HR), method)(
        reverse("core:token-revoke", args=[token.pk])
    )

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_status(secret) == 200


def test_an_anonymous_visitor_is_sent_to_log_in(cast: Cast) -> None:
    response = Client().get(reverse("core:token-create"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
