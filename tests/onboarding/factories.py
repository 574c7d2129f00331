"""Onboarding state built through the services, as the app builds it."""

from __future__ import annotations

import datetime

from leerplek.core.roles import Role
from leerplek.onboarding import services
from leerplek.onboarding.models import (
    Guidance,
    Onboarding,
    OnboardingReason,
    OnboardingTemplate,
    Section,
    TaskOwner,
)
from leerplek.people.models import Employee
from tests.factories import Cast, EmployeeFactory

START = datetime.date(2026, 11, 2)  # a Monday


def templates(cast: Cast) -> tuple[OnboardingTemplate, OnboardingTemplate]:
    """A company-wide template (welcome, safety tour on the floor) and one for the Operator."""
    hr = cast.user(Role.HR)
    company = services.template_create(
        organisation=cast.organisation, by=hr, name="Welcome at Voeding Test"
    )
    services.template_task_save(
        template=company,
        by=hr,
        section=Section.COMPANY,
        title="Welcome talk and tour",
        owner=TaskOwner.HR,
        offset_days=0,
    )
    services.template_task_save(
        template=company,
        by=hr,
        section=Section.COMPANY,
        title="Safety instructions on the floor",
        owner=TaskOwner.PREVENTION_ADVISER,
        offset_days=1,
        on_work_floor=True,
    )
    operator = services.template_create(
        organisation=cast.organisation, by=hr, name="Operator", job=cast.job
    )
    services.template_task_save(
        template=operator,
        by=hr,
        section=Section.FUNCTION,
        title="Run the line with your peter",
        owner=TaskOwner.MENTOR,
        offset_days=8,
        on_work_floor=True,
    )
    services.template_task_save(
        template=operator,
        by=hr,
        section=Section.TRAINING_PLAN,
        title="Agree the training plan",
        owner=TaskOwner.MANAGER,
        offset_days=20,
    )
    return company, operator


def start(
    cast: Cast,
    employee: Employee | None = None,
    reason: str = OnboardingReason.NEW_HIRE,
    start_date: datetime.date = START,
) -> Onboarding:
    return services.onboarding_start(
        employee=employee or cast.worker,  # type: ignore[arg-type]
        by=cast.user(Role.HR),
        reason=reason,
        start_date=start_date,
        organiser=cast.employees[Role.MANAGER],
    )


def colleague(cast: Cast, **values: object) -> Employee:
    return EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, **values)


def designate(
    cast: Cast, onboarding: Onboarding, guide: Employee, is_backup: bool = False
) -> Guidance:
    return services.guide_designate(
        learner=onboarding.employee,
        guide=guide,
        by=cast.user(Role.HR),
        onboarding=onboarding,
        is_backup=is_backup,
    )
