"""Log-in, lock-out, security headers, language, organisation switch and the own-data export."""

from __future__ import annotations

import json
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from tests.factories import Cast, UserFactory, grant

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_login_with_email_lands_on_home(cast: Cast, client: Any) -> None:
    response = client.post(reverse("login"), {"username": "hr@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home")).content.decode()
    assert "People and organisation" in home


def test_wrong_password_says_what_is_wrong(cast: Cast, client: Any) -> None:
    response = client.post(reverse("login"), {"username": "hr@example.test", "password": "nope"})
    assert response.status_code == 200
    assert "This email address and password do not match" in response.content.decode()


def test_repeated_failures_lock_the_account_out(cast: Cast, client: Any, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "hr@example.test", "password": "nope"})
    response = client.post(reverse("login"), {"username": "hr@example.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_pages_send_a_strict_content_security_policy(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).get(reverse("core:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_language_choice_is_kept_on_the_account(cast: Cast, client_for: Any) -> None:
    user = cast.user(Role.HR)
    client = client_for(user)
    response = client.post(reverse("core:language"), {"language": "fr", "next": "/people/units/"})
    assert response["Location"] == "/people/units/"
    user.refresh_from_db()
    assert user.language == "fr"
    assert "<h1>Unités</h1>" in client.get(reverse("people:unit-list")).content.decode()
    assert AuditEntry.objects.filter(action="core.language_changed").count() == 1


def test_language_rejects_unknown_codes_and_foreign_redirects(cast: Cast, client_for: Any) -> None:
    user = cast.user(Role.HR)
    client = client_for(user)
    response = client.post(
        reverse("core:language"), {"language": "de", "next": "https://evil.example"}
    )
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.language == "en"


def test_user_of_two_organisations_switches_between_them(cast: Cast, client_for: Any) -> None:
    user = cast.user(Role.HR)
    grant(user, cast.other_organisation, Role.HR)
    client = client_for(user)
    assert "Andere Firma" in client.get(reverse("core:home")).content.decode()  # switcher
    client.post(reverse("core:switch-organisation"), {"organisation": cast.other_organisation.pk})
    body = client.get(reverse("people:employee-list")).content.decode()
    assert "Zijstraat" in body
    assert "Werker" not in body


def test_switching_to_a_foreign_organisation_is_refused(cast: Cast, client_for: Any) -> None:
    user = cast.user(Role.HR)
    client = client_for(user)
    response = client.post(
        reverse("core:switch-organisation"),
        {"organisation": cast.other_organisation.pk},
        follow=True,
    )
    assert "You do not belong to that organisation." in response.content.decode()
    user.refresh_from_db()
    assert user.current_organisation_id != cast.other_organisation.pk


def test_employee_downloads_own_data_as_json_and_excel(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.EMPLOYEE))
    response = client.get(reverse("core:export-own-data"))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert data["person"]["last_name"] == "Employee"
    assert data["organisation"] == cast.organisation.name
    response = client.get(reverse("core:export-own-data"), {"format": "xlsx"})
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Person", "Function history", "Roles"]
    values = {row[0]: row[1] for row in book["Person"].iter_rows(values_only=True)}
    assert values["last_name"] == "Employee"


def test_user_without_person_record_cannot_download_personal_data(
    cast: Cast, client_for: Any
) -> None:
    user = UserFactory()
    grant(user, cast.organisation, Role.CONSULTATION)
    assert client_for(user).get(reverse("core:export-own-data")).status_code == 403


def test_audit_log_filters_by_action(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.get(reverse("core:audit-list"), {"action": "unit_created"})
    entries = list(response.context["page_obj"])
    assert entries
    assert {entry.action for entry in entries} == {"people.unit_created"}
    assert all(entry.organisation_id == cast.organisation.pk for entry in entries)
    bad = client.get(
        reverse("core:audit-list"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "The end date must be on or after the start date." in bad.content.decode()


def test_user_changes_own_password(cast: Cast, client_for: Any) -> None:
    user = cast.user(Role.EMPLOYEE)
    client = client_for(user)
    response = client.post(
        reverse("core:password-change"),
        {
            "old_password": "wrong",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    response = client.post(
        reverse("core:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")
    entry = AuditEntry.objects.get(action="core.password_changed")
    assert entry.after is None
