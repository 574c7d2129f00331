"""Builders for the drafts tests: workplace learning recorded through the training and
onboarding services (a signed-off module, a completed programme, an ended peter/meter period
and coaching, a passed test, an external certificate) and quick logs through our service."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.onboarding import services_guidance
from leerplek.onboarding.models import Guidance, GuidanceKind
from leerplek.people.models import Employee, User
from leerplek.registration import services_drafts
from leerplek.registration.models import QuickLog
from leerplek.training import services_learning
from leerplek.training.models import (
    Attempt,
    Certificate,
    Module,
    ProgrammeAssignment,
    Signoff,
)
from tests.factories import Cast
from tests.onboarding.factories import colleague
from tests.onboarding.factories_guidance import coaching
from tests.training.factories import approved_programme, assigned
from tests.training.factories_learning import declared
from tests.training.factories_tests import acting, learner, programme_module, questionnaire, submit
from tests.training.test_certificates_services import register


def following(
    cast: Cast,
    code: str = "DRF",
    employee: Employee | None = None,
    weeks: int = 2,
) -> ProgrammeAssignment:
    """`employee` (the cast's worker) follows a two-module programme: an e-learning of one day
    and a practical module of `weeks` weeks."""
    version = approved_programme(cast, code=code, title=f"Programma {code}")
    Module.objects.filter(version=version, kind="practical").update(
        duration=weeks, duration_unit="weeks"
    )
    return assigned(cast, version, employee=employee)


def confirm(cast: Cast, assignment: ProgrammeAssignment, module: Module) -> Signoff:
    """The learner declares `module` done and HR confirms it (the training service)."""
    signoff = declared(assignment, module)
    return services_learning.signoff_confirm(
        signoff=signoff,
        by=acting(cast, Role.HR),
        checklist=list(module.checklist.values_list("pk", flat=True)),
    )


def modules_of(assignment: ProgrammeAssignment) -> list[Module]:
    return list(Module.objects.filter(version=assignment.version).order_by("position"))


def complete(cast: Cast, assignment: ProgrammeAssignment) -> ProgrammeAssignment:
    """Every module confirmed: the training service completes the programme."""
    for module in modules_of(assignment):
        confirm(cast, assignment, module)
    assignment.refresh_from_db()
    return assignment


def ended_peter(cast: Cast, weeks: int = 4, learner_person: Employee | None = None) -> Guidance:
    """A peter/meter guidance of `weeks` weeks that ended today."""
    today = timezone.localdate()
    guidance = services_guidance.guidance_start(
        learner=learner_person or colleague(cast, first_name="Nina", last_name="Nieuw"),
        guide=colleague(cast, first_name="Piet", last_name="Peter"),
        kind=GuidanceKind.MENTOR,
        by=cast.user(Role.HR),
        starts_on=today - datetime.timedelta(days=7 * weeks - 1),
    )
    return services_guidance.guidance_end(
        guidance=guidance, by=cast.user(Role.HR), ends_on=today, reason="Works alone now"
    )


def ended_coaching(cast: Cast) -> Guidance:
    """A coaching engagement accepted and closed today (one week begun)."""
    guidance = coaching(cast, accept=True)
    return services_guidance.guidance_end(
        guidance=guidance,
        by=cast.user(Role.HR),
        outcome="Sets up line 3 alone",
        target_reached=True,
    )


def passed_test(cast: Cast, code: str = "DTST") -> Attempt:
    """The cast's employee passes a questionnaire of a programme he follows (the test service)."""
    version, module = programme_module(cast, code=code)
    employee, user = learner(cast)
    assigned(cast, version, employee=employee)
    test = questionnaire(cast, module, title=f"Eindtest {code}")
    return submit(test, employee, user, right=4)


def external_certificate(cast: Cast, **fields: Any) -> Certificate:
    return register(cast, **fields)


def acting_user(cast: Cast, role: Role) -> User:
    return acting(cast, role)


def quick_log(cast: Cast, employee: Employee | None = None, **fields: Any) -> QuickLog:
    """A pending quick log of the cast's employee (a packaging worker with a log-in)."""
    person = employee or cast.employees[Role.EMPLOYEE]
    user = person.user
    assert user is not None
    from leerplek.core.access import load_access

    user.access = load_access(user, cast.organisation.pk)
    values: dict[str, Any] = {
        "how": "asked",
        "topic": "Filmrol wisselen op lijn 2",
        "minutes": 30,
        **fields,
    }
    return services_drafts.quick_log_create(employee=person, by=user, **values)
