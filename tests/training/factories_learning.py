"""Builders for the learning tests: a learner on an approved programme, a declared sign-off and
a TWI session, written through the services where the rule matters and as rows where it does
not."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.training.models import (
    FollowUpCheck,
    Module,
    ProgrammeAssignment,
    Signoff,
    TeachingSession,
)
from tests.factories import Cast
from tests.training.factories import approved_programme, assigned


def following(cast: Cast, code: str = "AOP", **fields: Any) -> ProgrammeAssignment:
    """The cast's worker follows an approved two-module programme (e-learning, then a practical
    module with a two-item checklist)."""
    return assigned(cast, approved_programme(cast, code=code), **fields)


def practical(assignment: ProgrammeAssignment) -> Module:
    return Module.objects.get(version=assignment.version, kind="practical")


def declared(assignment: ProgrammeAssignment, module: Module | None = None) -> Signoff:
    """The learner declared `module` done (a row: the learner of the walk has no log-in)."""
    module = module or practical(assignment)
    return Signoff.objects.create(
        organisation_id=assignment.organisation_id,
        assignment=assignment,
        module=module,
        version_number=assignment.version.number,
        declared_at=timezone.now(),
        checklist=[
            {"item": item.pk, "text": item.text, "learner": True}
            for item in module.checklist.order_by("position")
        ],
    )


def session(cast: Cast, assignment: ProgrammeAssignment, days_ago: int = 3) -> TeachingSession:
    held_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    row = TeachingSession.objects.create(
        organisation_id=assignment.organisation_id,
        assignment=assignment,
        module=practical(assignment),
        held_on=held_on,
        instructor=cast.employees[Role.MANAGER],
        prepared=True,
        presented_steps=True,
    )
    for days in (1, 3, 7):
        FollowUpCheck.objects.create(session=row, due_on=held_on + datetime.timedelta(days=days))
    return row
