"""Token authentication: who gets in, who is refused, and what a token remembers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leerplek.core.models import ApiToken, RoleGrant
from leerplek.core.roles import Role
from leerplek.core.services import hash_token, token_create, token_revoke
from leerplek.people.models import Employee
from tests.api.conftest import ApiClient, make_token
from tests.factories import Cast, grant

REFUSED = "Send a valid, unrevoked API token: Authorization: Bearer lp_… (see “API tokens”)."


def assert_refused(response: Any) -> None:
    assert response.status_code == 401
    assert response.json() == {"detail": REFUSED}
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_valid_token_lists_the_organisations_units(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.get("/units")

    assert response.status_code == 200
    assert {item["name"] for item in response.json()["items"]} == {
        "Productie",
        "Verpakking",
        "Kantoor",
    }


def test_a_request_without_a_token_is_refused(cast: Cast, anonymous_api: ApiClient) -> None:
    assert_refused(anonymous_api.get("/units"))


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-token", "Bearer lp_unknown", "lp_abc"],
)
def test_a_malformed_or_unknown_token_is_refused(cast: Cast, header: str) -> None:
    response = Client().get("/api/v1/units", headers={"Authorization": header})

    assert_refused(response)


def test_a_web_session_alone_does_not_open_the_api(cast: Cast, client: Client) -> None:
    client.force_login(cast.user(Role.HR))

    assert_refused(client.get("/api/v1/units", headers={"Accept-Language": "en"}))


def test_a_revoked_token_is_refused(cast: Cast) -> None:
    user = cast.user(Role.HR)
    token, secret = token_create(user=user, organisation=cast.organisation, name="payroll")
    api = ApiClient(Client(), secret)
    assert api.get("/units").status_code == 200

    token_revoke(token=token, by=user)

    assert_refused(api.get("/units"))


def test_a_token_stops_working_when_its_user_leaves_the_organisation(cast: Cast) -> None:
    user = cast.user(Role.HR)
    api = ApiClient(Client(), make_token(user, cast.organisation))
    RoleGrant.objects.filter(user=user).delete()
    Employee.objects.filter(user=user).update(exit_date=datetime.date(2024, 1, 31))

    assert_refused(api.get("/units"))


def test_a_token_for_an_organisation_the_user_never_joined_is_refused(cast: Cast) -> None:
    # Access would fall back to the user's own organisation; the token must not follow it there.
    assert cast.other_organisation is not None
    api = ApiClient(Client(), make_token(cast.user(Role.HR), cast.other_organisation))

    assert_refused(api.get("/units"))


def test_a_token_of_a_deactivated_user_is_refused(cast: Cast, hr_api: ApiClient) -> None:
    user = cast.user(Role.HR)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert_refused(hr_api.get("/units"))


def test_only_a_hash_of_the_secret_is_stored(cast: Cast) -> None:
    token, secret = token_create(
        user=cast.user(Role.HR), organisation=cast.organisation, name="payroll"
    )

    token.refresh_from_db()
    assert secret.startswith("lp_")
    assert token.key_hash == hash_token(secret)
    assert secret not in {token.name, token.prefix, token.key_hash}
    assert secret.startswith(token.prefix)


def test_the_token_acts_with_its_users_roles(cast: Cast, api_for: Callable[..., ApiClient]) -> None:
    assert api_for(Role.HR).get("/people").status_code == 200
    assert api_for(Role.EMPLOYEE).get("/people").status_code == 403


def test_a_users_token_for_his_second_organisation_acts_there(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    user = cast.user(Role.HR)
    assert cast.other_organisation is not None
    assert cast.other_employee is not None
    grant(user, cast.other_organisation, Role.HR)

    response = api_for(user, cast.other_organisation).get("/people")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [cast.other_employee.pk]


def test_use_is_recorded_at_most_once_a_minute(
    cast: Cast, hr_api: ApiClient, django_assert_num_queries: Callable[..., Any]
) -> None:
    token = ApiToken.objects.get(user=cast.user(Role.HR))
    assert token.last_used_at is None

    hr_api.get("/functions")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    # Within the minute: the token, the access (three queries), the count and the page.
    with django_assert_num_queries(7):
        hr_api.get("/functions")
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    hr_api.get("/functions")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > first_use


def test_a_token_request_needs_no_csrf_token_even_beside_a_session(cast: Cast) -> None:
    # Bearer tokens are not sent by browsers on their own, so CSRF does not apply to them.
    user = cast.user(Role.HR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    api = ApiClient(client, make_token(user, cast.organisation))

    response = api.post("/units", {"name": "Magazijn", "kind": "department"})

    assert response.status_code == 201
