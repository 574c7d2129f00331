"""What the demo shows of guidance (issue #5): coaching requested, accepted and closed, a mentor
programme with a sponsor, and an instructor selection with a candidate not retained."""

from __future__ import annotations

import pytest

from leerplek.core.roles import Role
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    InstructorSelection,
    MentorProgramme,
    SelectionOutcome,
)
from leerplek.people.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["Voedingsbedrijf X", "Transportbedrijf X"])
def test_the_demo_tells_the_guidance_story(demo: Organisation, name: str) -> None:
    org = Organisation.objects.get(name=name)
    coaching = Guidance.objects.filter(organisation=org, kind=GuidanceKind.COACH)
    assert coaching.filter(status=GuidanceStatus.ACTIVE, answered_at__isnull=False).count() >= 1
    closed = coaching.get(status=GuidanceStatus.CLOSED)
    assert closed.outcome
    assert closed.target_reached is True
    programme = MentorProgramme.objects.get(organisation=org)
    assert programme.sponsor is not None
    assert programme.guidances.count() == 1
    selections = InstructorSelection.objects.filter(organisation=org)
    rejected = selections.get(outcome=SelectionOutcome.NOT_RETAINED)
    assert rejected.feedback_conversation_on
    assert rejected.feedback_note
    retained = selections.get(outcome=SelectionOutcome.SELECTED)
    assert Guidance.objects.filter(
        learner=retained.candidate, kind=GuidanceKind.INSTRUCTOR, status=GuidanceStatus.ACTIVE
    ).exists()


def test_the_demo_coach_has_a_request_to_answer(demo: Organisation) -> None:
    org = Organisation.objects.get(name="Voedingsbedrijf X")
    request = Guidance.objects.get(organisation=org, status=GuidanceStatus.REQUESTED)
    assert request.guide.user is not None
    assert request.guide.user.email.startswith(Role.COACH.value)
