"""Onboarding histories for the results page: started through the services, then given the
outcome a past cohort had (left on a date, released to work alone on a date)."""

from __future__ import annotations

import datetime

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding.models import Onboarding, OnboardingReason, OnboardingStatus
from leerplek.people.models import Employee, Job, User
from tests.factories import Cast
from tests.onboarding.factories import colleague, designate, start

DAY = datetime.timedelta(days=1)


def history(
    cast: Cast,
    *,
    start_date: datetime.date,
    with_guide: bool = True,
    left_after: int | None = None,
    independent_after: int | None = None,
    job: Job | None = None,
    reason: str = OnboardingReason.NEW_HIRE,
) -> Onboarding:
    """A newcomer hired on `start_date`, his onboarding, a peter/meter from the first day when
    `with_guide`, an exit `left_after` days later and independence `independent_after` days
    after the start."""
    person = colleague(cast, hire_date=start_date, job=job or cast.job)
    onboarding = start(cast, employee=person, reason=reason, start_date=start_date)
    if with_guide:
        designate(cast, onboarding, colleague(cast))
    if independent_after is not None:
        Onboarding.objects.filter(pk=onboarding.pk).update(
            independent_on=start_date + independent_after * DAY
        )
    if left_after is not None:
        exit_date = start_date + left_after * DAY
        Employee.objects.filter(pk=person.pk).update(exit_date=exit_date)
        Onboarding.objects.filter(pk=onboarding.pk).update(
            status=OnboardingStatus.CANCELLED, ended_on=exit_date, end_note="Left."
        )
    onboarding.refresh_from_db()
    return onboarding


def acting(user: User, cast: Cast) -> User:
    """`user` with his access loaded, as the middleware gives it to a request."""
    user.access = load_access(user, cast.organisation.pk)  # type: ignore[attr-defined]
    return user


def newcomer_user(cast: Cast, onboarding: Onboarding) -> User:
    """The employee log-in moved to the newcomer of `onboarding`, access loaded."""
    user = cast.user(Role.EMPLOYEE)
    Employee.objects.filter(user=user).update(user=None)
    Employee.objects.filter(pk=onboarding.employee_id).update(user=user)
    return acting(user, cast)


def peter_user(cast: Cast, onboarding: Onboarding) -> User:
    """The mentor log-in as primary peter/meter of `onboarding`'s newcomer, access loaded."""
    user = cast.user(Role.MENTOR)
    designate(cast, onboarding, cast.employees[Role.MENTOR])
    return acting(user, cast)
