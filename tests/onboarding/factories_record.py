"""Onthaal-record state built through the services: instructions, a newcomer with a log-in and
the demo mentor as his peter/meter, and a signed document."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import services_record
from leerplek.onboarding.models import (
    GivenInstruction,
    InstructionTopic,
    Onboarding,
    OnthaalDocument,
    SafetyInstruction,
)
from leerplek.people.models import Employee, User
from tests.factories import Cast, JobFactory
from tests.onboarding.factories import designate, start, templates


def acting(cast: Cast, role: Role) -> User:
    """The role's user with his access loaded, as the middleware loads it."""
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    return user


def instruction(cast: Cast, title: str = "Emergency exits", **values: Any) -> SafetyInstruction:
    values.setdefault("topic", InstructionTopic.EMERGENCY)
    return services_record.instruction_create(
        organisation=cast.organisation, by=acting(cast, Role.HR), title=title, **values
    )


def catalogue(cast: Cast) -> list[SafetyInstruction]:
    """Two for everybody, one for the Operator function, one for another function."""
    other = JobFactory(organisation=cast.organisation, code="DRV", name="Driver")
    return [
        instruction(cast, "Emergency exits and assembly point"),
        instruction(cast, "Who is the confidential counsellor", topic=InstructionTopic.WELL_BEING),
        instruction(
            cast, "Cut-resistant gloves at the slicer", topic=InstructionTopic.PPE, job=cast.job
        ),
        instruction(cast, "Tachograph rules", topic=InstructionTopic.SAFETY, job=other),
    ]


def newcomer_record(cast: Cast, start_days_ago: int = 10, with_guide: bool = True) -> Onboarding:
    """The worker, logged in as the employee user, with the mentor user as his peter/meter."""
    worker = cast.worker
    assert worker is not None
    Employee.objects.filter(pk=cast.employees[Role.EMPLOYEE].pk).update(user=None)
    worker.user = cast.user(Role.EMPLOYEE)
    worker.save()
    templates(cast)
    plan = start(cast, start_date=timezone.localdate() - datetime.timedelta(days=start_days_ago))
    if with_guide:
        designate(cast, plan, cast.employees[Role.MENTOR])
    return Onboarding.objects.select_related(
        "employee", "employee__unit", "job", "organiser", "organisation"
    ).get(pk=plan.pk)


def give(
    cast: Cast, onboarding: Onboarding, rows: list[SafetyInstruction]
) -> list[GivenInstruction]:
    return services_record.instructions_give(
        onboarding=onboarding,
        instructions=rows,
        given_on=timezone.localdate(),
        given_by=cast.employees[Role.MENTOR],
        by=acting(cast, Role.HR),
    )


def confirm_all(cast: Cast, rows: list[GivenInstruction]) -> None:
    for row in rows:
        services_record.instruction_confirm(given=row, by=acting(cast, Role.EMPLOYEE))
        services_record.instruction_confirm(given=row, by=acting(cast, Role.MENTOR))


def signed(cast: Cast, onboarding: Onboarding, correction: str = "") -> OnthaalDocument:
    return services_record.document_sign(
        onboarding=onboarding, by=acting(cast, Role.HR), correction=correction
    )
