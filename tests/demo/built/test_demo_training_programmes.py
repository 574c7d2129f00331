"""What the demo shows of on-the-job training (issue #6): the sauce kitchen's photo instructions in
Dutch and Polish (one in Arabic), a version 2 the holders are asked to read, the
assistant-operator programme with co-signed modules, a TWI session and a Leittext module."""

from __future__ import annotations

import pytest

from leerplek.people.models import Organisation
from leerplek.training.models import (
    AssignmentStatus,
    InstructionVersion,
    Module,
    ModuleKind,
    PracticeSignal,
    ProgrammeAssignment,
    ReadRequest,
    Signoff,
    TeachingSession,
    VersionStatus,
    WorkInstruction,
)

pytestmark = pytest.mark.django_db


def test_the_sauce_kitchen_has_photo_instructions_in_two_languages(demo: Organisation) -> None:
    instructions = WorkInstruction.objects.filter(organisation=demo)
    assert instructions.count() >= 3
    for instruction in instructions:
        version = instruction.versions.get(status=VersionStatus.APPROVED)
        assert version.title.get("pl")
        steps = list(version.steps.all())
        assert steps
        assert all(step.photo for step in steps)
        assert all(step.text.get("pl") for step in steps)
    cooking = instructions.get(code="WI-SK-KOOK")
    assert cooking.versions.get(status=VersionStatus.APPROVED).title.get("ar")


def test_version_2_asks_its_holders_to_read_and_a_signal_is_open(demo: Organisation) -> None:
    version = InstructionVersion.objects.get(instruction__code="WI-SK-KOOK", number=2)
    assert version.status == VersionStatus.APPROVED
    assert ReadRequest.objects.filter(version=version).count() >= 1
    assert PracticeSignal.objects.filter(organisation=demo).exists()


def test_the_learner_follows_the_programme_with_co_signed_modules(demo: Organisation) -> None:
    assignment = ProgrammeAssignment.objects.get(
        organisation=demo, version__programme__code="AOP-SK", guide__isnull=False
    )
    assert assignment.status == AssignmentStatus.ACTIVE
    assert assignment.guide is not None
    confirmed = Signoff.objects.confirmed().filter(assignment=assignment)
    assert confirmed.count() >= 3
    assert all(len(signoff.content_hash) == 64 for signoff in confirmed)
    assert Signoff.objects.valid().filter(assignment=assignment, confirmed_at__isnull=True).exists()
    session = TeachingSession.objects.get(assignment=assignment)
    assert session.checks.count() == 5
    phases = list(assignment.version.phases.order_by("position"))
    assert phases[-1].starts_after_days == 90
    assert phases[-1].requires_attest


def test_a_leittext_module_waits_for_the_restaurant(demo: Organisation) -> None:
    module = Module.objects.get(version__programme__code="LT-KK", kind=ModuleKind.LEITTEXT)
    assert module.problem_statement
    assert module.leittext_questions.count() == 7
    assert module.leittext_criteria.count() == 3
