"""Test data for running an onboarding: the worker as a logged-in newcomer at a workstation."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.onboarding.models import Onboarding
from leerplek.people.models import Employee, User, Workstation
from tests.competences.factories import acting
from tests.factories import Cast, WorkstationFactory
from tests.onboarding.factories import colleague, designate, start, templates
from tests.onboarding.walk_plan import PNG


def actor(cast: Cast, role: Role) -> User:
    """The user of `role`, with his access loaded as a request would have it."""
    return acting(cast.user(role), cast.organisation)


def newcomer(cast: Cast) -> User:
    """Make the worker the person of the employee user (the newcomer logs in)."""
    worker = cast.worker
    assert worker is not None
    Employee.objects.filter(pk=cast.employees[Role.EMPLOYEE].pk).update(user=None)
    worker.user = cast.user(Role.EMPLOYEE)
    worker.save()
    return actor(cast, Role.EMPLOYEE)


def station(cast: Cast, name: str = "Packing line 1") -> Workstation:
    return WorkstationFactory(organisation=cast.organisation, unit=cast.packaging, name=name)


def running_plan(
    cast: Cast, *, days_ago: int = 10, with_guide: bool = True, own_station: bool = True
) -> Onboarding:
    """The worker's onboarding, `days_ago` days in, at his own workstation, with a peter."""
    worker = cast.worker
    assert worker is not None
    if own_station:
        worker.workstation = station(cast)
        worker.save()
    templates(cast)
    plan = start(cast, start_date=timezone.localdate() - datetime.timedelta(days=days_ago))
    if with_guide:
        designate(cast, plan, colleague(cast, first_name="Marleen", last_name="Peeters"))
    return plan


def png(name: str = "tip.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, "image/png")
