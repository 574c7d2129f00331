"""An API client that sends a personal token, made by the real service, for any cast member."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from leerplek.core.roles import Role
from leerplek.core.services import token_create
from leerplek.people.models import Organisation, User
from tests.factories import Cast

BASE = "/api/v1"
_names = itertools.count()


class ApiClient:
    """JSON requests to /api/v1 with `Authorization: Bearer <secret>`, messages in English."""

    def __init__(self, client: Client, secret: str | None) -> None:
        self.client = client
        self.headers = {"Accept-Language": "en"}
        if secret is not None:
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.send("patch", path, body)

    def send(self, method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            BASE + path, data=data, content_type="application/json", headers=self.headers
        )


def make_token(user: User, organisation: Organisation) -> str:
    _, secret = token_create(user=user, organisation=organisation, name=f"test {next(_names)}")
    return secret


@pytest.fixture
def api_for(cast: Cast) -> Callable[..., ApiClient]:
    """`api_for(Role.HR)` or `api_for(user, organisation)`: a client with a fresh token."""

    def build(who: Role | User, organisation: Organisation | None = None) -> ApiClient:
        user = cast.user(who) if isinstance(who, Role) else who
        return ApiClient(Client(), make_token(user, organisation or cast.organisation))

    return build


@pytest.fixture
def hr_api(api_for: Callable[..., ApiClient]) -> ApiClient:
    return api_for(Role.HR)


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(Client(), None)


def ids(response: Any) -> set[int]:
    """The ids of the items of a list answer."""
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The cast has a user per role; hashing each password with PBKDF2 costs seconds a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
