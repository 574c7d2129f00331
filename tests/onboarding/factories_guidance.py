"""Guidance state built through the services, as the app builds it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.onboarding import services_guidance
from leerplek.onboarding.models import Guidance, InstructorSelection, MentorProgramme
from leerplek.people.models import Employee
from tests.factories import Cast
from tests.onboarding.factories import colleague


def today() -> datetime.date:
    return timezone.localdate()


def coaching(
    cast: Cast,
    learner: Employee | None = None,
    coach: Employee | None = None,
    weeks: int = 6,
    accept: bool = False,
) -> Guidance:
    guidance = services_guidance.coaching_request(
        learner=learner or colleague(cast),
        coach=coach or cast.employees[Role.COACH],
        by=cast.user(Role.HR),
        target_result="Sets up line 3 alone in under 20 minutes",
        planned_end=today() + datetime.timedelta(weeks=weeks),
        starts_on=today(),
    )
    if accept:
        guidance = services_guidance.coaching_answer(
            guidance=guidance, by=cast.user(Role.COACH), accept=True
        )
    return guidance


def programme(cast: Cast, name: str = "Young managers") -> MentorProgramme:
    return services_guidance.programme_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        name=name,
        goals="Grow into leading a team",
        sponsor=cast.employees[Role.ADMIN],
        starts_on=today(),
    )


def mentorship(
    cast: Cast, learner: Employee | None = None, guide: Employee | None = None
) -> Guidance:
    return services_guidance.guidance_start(
        learner=learner or colleague(cast),
        guide=guide or colleague(cast),
        kind="long_term_guide",
        by=cast.user(Role.HR),
        starts_on=today(),
    )


def selection(
    cast: Cast, candidate: Employee | None = None, assessed: bool = True
) -> InstructorSelection:
    return services_guidance.selection_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        candidate=candidate or colleague(cast),
        assessment="Explains calmly; stays calm when the line stops" if assessed else "",
    )
