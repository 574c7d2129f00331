"""Builders for the activities-area tests: an HR user with his access loaded (for the services),
and XLSX workbooks of registrations built in memory."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import User
from tests.factories import Cast

HEADER = [
    "title",
    "category",
    "informal_kind",
    "organiser_kind",
    "organiser_name",
    "start_date",
    "end_date",
    "duration_hours",
    "employee_number",
    "hours",
    "status",
    "external_cost",
    "subsidy",
]


def hr(cast: Cast, role: Role = Role.HR) -> User:
    """The user of `role` with his access loaded, as a request would have it."""
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)  # type: ignore[attr-defined]
    return user


def workbook(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    """An XLSX file with `header` on row 1 and `rows` under it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
