"""Peter/meter pool state built through the pool services, as the app builds it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import services_pool
from leerplek.onboarding.models import EligibilityCriterion, GuideProfile, GuideTrainingKind
from leerplek.people.models import Employee, User
from tests.factories import Cast, EmployeeFactory

SENIOR = {"experience_years": Decimal("12.0"), "hire_date": datetime.date(2015, 3, 2)}


def acting(cast: Cast, role: Role) -> User:
    """The user of `role` with his access loaded, as the middleware does for a request."""
    user = cast.user(role)
    if getattr(user, "access", None) is None or user.access.organisation_id != cast.organisation.pk:
        user.access = load_access(user, cast.organisation.pk)
    return user


def senior(cast: Cast, **values: Any) -> Employee:
    """A packaging colleague with 12 years of experience, hired in 2015 (meets the defaults)."""
    return EmployeeFactory(
        organisation=cast.organisation, **{"unit": cast.packaging, **SENIOR, **values}
    )


def defaults(cast: Cast) -> list[EligibilityCriterion]:
    return services_pool.criteria_create_defaults(
        organisation=cast.organisation, by=acting(cast, Role.HR)
    )


def propose(
    cast: Cast, employee: Employee, motivation: str = "", role: Role = Role.MANAGER
) -> GuideProfile:
    return services_pool.guide_propose(
        employee=employee, by=acting(cast, role), motivation=motivation
    )


def confirm_all(
    cast: Cast, profile: GuideProfile, is_met: bool = True, role: Role = Role.MANAGER
) -> None:
    for criterion in EligibilityCriterion.objects.filter(
        organisation=cast.organisation, kind="qualitative", is_active=True
    ):
        services_pool.quality_confirm(
            profile=profile,
            criterion=criterion,
            is_met=is_met,
            note="" if is_met else "Not yet",
            by=acting(cast, role),
        )


def approved(cast: Cast, employee: Employee | None = None, **profile: Any) -> GuideProfile:
    """A senior colleague proposed, his qualities confirmed and approved into the pool; then
    `profile` values set (max_mentees, shift, loads)."""
    person = employee or senior(cast)
    # HR proposes and the administrator confirms: both reach every unit.
    candidate = propose(cast, person, role=Role.HR)
    confirm_all(cast, candidate, role=Role.ADMIN)
    member = services_pool.guide_approve(
        profile=candidate,
        by=acting(cast, Role.HR),
        override_reason="" if employee is None else "Test",
    )
    if profile:
        values = {"max_mentees": member.max_mentees, "shift": member.shift, **profile}
        member = services_pool.guide_profile_update(
            profile=member, by=acting(cast, Role.HR), **values
        )
    return member


def train(
    cast: Cast, profile: GuideProfile, on: datetime.date, kind: str = GuideTrainingKind.INITIAL
) -> None:
    services_pool.guide_training_record(
        profile=profile,
        by=acting(cast, Role.HR),
        kind=kind,
        completed_on=on,
        topics="How adults learn; giving feedback",
        hours=Decimal("7.5"),
        provider="Alimento",
    )
