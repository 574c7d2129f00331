"""Test data for progress reviews: an onboarding some days in, with a peter/meter, and reviews
held through the service as a line manager would hold them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.onboarding import services_reviews
from leerplek.onboarding.models import Onboarding, ProgressReview
from leerplek.people.models import Employee, User
from tests.competences.factories import acting
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import colleague, designate, start, templates

TODAY = timezone.localdate()


def actor(cast: Cast, role: Role) -> User:
    """The user of `role`, with his access loaded as a request would have it."""
    return acting(cast.user(role), cast.organisation)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def peter(cast: Cast, onboarding: Onboarding, **values: object) -> Employee:
    """Designate a peter/meter with a log-in of his own (the mentor user's person)."""
    guide = colleague(cast, first_name="Marleen", last_name="Peeters", **values)
    designate(cast, onboarding, guide)
    return guide


def running(
    cast: Cast,
    *,
    days: int = 100,
    employee: Employee | None = None,
    with_templates: bool = True,
    with_guide: bool = True,
) -> Onboarding:
    """An onboarding `days` days in (reviews on days 30, 60, 90, ...), with a peter/meter."""
    if with_templates:
        templates(cast)
    onboarding = start(cast, employee=employee, start_date=days_ago(days))
    if with_guide:
        peter(cast, onboarding)
    return onboarding


def newcomer_in_packaging(cast: Cast, **values: object) -> Employee:
    return EmployeeFactory(
        organisation=cast.organisation, unit=cast.packaging, job=cast.job, **values
    )


def hold(
    cast: Cast,
    review: ProgressReview,
    *,
    held_on: datetime.date | None = None,
    role: Role = Role.MANAGER,
    notes: str = "Goed bezig.",
    **values: object,
) -> ProgressReview:
    return services_reviews.review_record(
        review=review,
        by=actor(cast, role),
        held_on=held_on or review.planned_on,
        notes=notes,
        **values,  # type: ignore[arg-type]
    )


def review(onboarding: Onboarding, number: int) -> ProgressReview:
    return onboarding.reviews.get(number=number)
