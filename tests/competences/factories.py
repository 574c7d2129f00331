"""Competence test data, built through the services."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.competences import services
from leerplek.competences.models import Assessment, Competence, Level
from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Organisation, User
from tests.factories import Cast

DAY = datetime.date(2025, 3, 3)


def acting(user: User, organisation: Organisation) -> User:
    """`user` with his access loaded, as the middleware does for a request."""
    user.access = load_access(user, organisation.pk)
    return user


def level(organisation: Organisation, code: str) -> Level:
    return services.default_scale(organisation).levels.get(code=code)


def competence(cast: Cast, code: str = "SAUS", **values: Any) -> Competence:
    values.setdefault("name", f"Competence {code}")
    return services.competence_create(
        organisation=cast.organisation, by=cast.user(Role.HR), code=code, **values
    )


def assess(
    cast: Cast,
    employee: Employee,
    what: Competence,
    code: str,
    on: datetime.date = DAY,
    role: Role = Role.HR,
    **extra: Any,
) -> Assessment:
    by = acting(cast.user(role), cast.organisation)
    return services.assessment_record(
        employee=employee,
        competence=what,
        level=level(cast.organisation, code),
        assessed_on=on,
        by=by,
        assessor=cast.employees[role],
        method="observation",
        **extra,
    )
