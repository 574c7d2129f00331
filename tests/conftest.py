"""Test setup shared by every app: database choice, the cast of users, query-count helpers."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def postgres_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 2):
            return True
    except OSError:
        return False


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API
    url = postgres_url()
    if url and not postgres_reachable(url):
        if IN_CI:
            raise pytest.UsageError(f"PostgreSQL is not reachable at {url}; CI needs it.")
        config._leerplek_pg_missing = url  # type: ignore[attr-defined]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = getattr(config, "_leerplek_pg_missing", None)
    if missing:
        skip = pytest.mark.skip(reason=f"PostgreSQL not reachable at {missing}")
        for item in items:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english_and_fast_hashing(settings: Any) -> None:
    """Tests read English (also for anonymous requests, whose default is Dutch) unless they
    switch language themselves (the browser tests send nl-BE), and hash passwords
    quickly (the production hasher takes a good part of a second per user, on purpose)."""
    from django.utils import translation

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # to check hashes made earlier
    ]
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files (evidence) go to a folder of the test run, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def cast(db: None) -> object:
    """One organisation with a user per role, and a second organisation (for tenancy checks)."""
    from tests.factories import build_cast

    return build_cast()


@pytest.fixture
def client_for(client: object) -> Callable[[object], object]:
    """A Django test client logged in as `user`."""

    def login(user: object) -> object:
        client.force_login(user)  # type: ignore[attr-defined]
        return client

    return login
