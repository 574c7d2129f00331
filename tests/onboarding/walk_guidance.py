"""URL arguments for the 'guidance' pages in the URL walk (tests/core/test_url_permissions.py)."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.core.roles import Role
from leerplek.onboarding import services_guidance
from leerplek.onboarding.models import Onboarding
from tests.factories import Cast


def arguments(cast: Cast, onboarding: Onboarding) -> dict[str, Any]:
    """A value for each URL argument the 'guidance' pages add, inside the line manager's scope.

    The guidance is a coaching request of the worker to the demo coach, so that the coach (and
    HR) may answer it and the line manager may manage it.
    """
    hr = cast.user(Role.HR)
    assert cast.worker is not None
    today = datetime.date.today()
    coaching = services_guidance.coaching_request(
        learner=cast.worker,
        coach=cast.employees[Role.COACH],
        by=hr,
        target_result="Sets up the sealing machine alone",
        planned_end=today + datetime.timedelta(days=30),
        starts_on=today,
    )
    programme = services_guidance.programme_create(
        organisation=cast.organisation,
        by=hr,
        name="Young managers",
        goals="Grow into leading a team",
        sponsor=cast.employees[Role.ADMIN],
        starts_on=today,
    )
    selection = services_guidance.selection_create(
        organisation=cast.organisation, by=hr, candidate=cast.employees[Role.MENTOR]
    )
    return {
        "guidance_id": coaching.pk,
        "programme_id": programme.pk,
        "selection_id": selection.pk,
    }
