"""Permissions come only from the permission table: no page asks for Django's model permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerplek.core.roles import Role
from tests.factories import Cast


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.CONSULTATION])
def test_refused_rules_read_no_model_permissions(cast: Cast, client_for: Any, role: Role) -> None:
    client = client_for(cast.user(role))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert not [q["sql"] for q in queries if "auth_permission" in q["sql"]]


def test_logging_in_with_email_and_password_still_works(cast: Cast, client: Any) -> None:
    user = cast.user(Role.HR)
    user.set_password("a long enough password 42")
    user.save()
    response = client.post(
        reverse("login"), {"username": user.email, "password": "a long enough password 42"}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_a_superuser_still_passes_the_admin(cast: Cast, client_for: Any) -> None:
    user = cast.user(Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    assert client_for(user).get("/admin/").status_code == 200
