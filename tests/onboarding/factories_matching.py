"""Matching test data: newcomers without a peter/meter and a small pool, built through services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from leerplek.competences import services as competence_services
from leerplek.competences.models import Competence
from leerplek.core.roles import Role
from leerplek.onboarding.models import GuideProfile, Onboarding
from leerplek.people.models import Employee
from tests.competences.factories import assess, competence, level
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import START, start, templates
from tests.onboarding.factories_pool import approved, senior


@dataclass
class Scene:
    """Wout (an Operator in packaging, lacks HACCP) starts without a peter/meter. In the pool:
    Anna (Operator, packaging, may train HACCP, speaks Polish like Wout) and Bart (office)."""

    onboarding: Onboarding
    haccp: Competence
    anna: GuideProfile
    bart: GuideProfile


def scene(cast: Cast) -> Scene:
    templates(cast)
    haccp = competence(cast, "HACCP", name="HACCP hygiene")
    competence_services.requirement_set(
        competence=haccp, by=cast.user(Role.HR), level=level(cast.organisation, "U"), job=cast.job
    )
    worker = cast.worker
    assert worker is not None
    worker.languages = "pl, nl"
    worker.save(update_fields=["languages"])
    onboarding = start(cast)
    anna = approved(
        cast, senior(cast, first_name="Anna", last_name="Aerts", job=cast.job, languages="nl, pl")
    )
    assess(cast, anna.employee, haccp, "O")
    bart = approved(cast, senior(cast, first_name="Bart", last_name="Baert", unit=cast.office))
    return Scene(onboarding=onboarding, haccp=haccp, anna=anna, bart=bart)


def newcomer(cast: Cast, start_date: datetime.date = START, **values: Any) -> Onboarding:
    """Another Operator in packaging starting without a peter/meter."""
    person: Employee = EmployeeFactory(
        organisation=cast.organisation, **{"unit": cast.packaging, "job": cast.job, **values}
    )
    return start(cast, employee=person, start_date=start_date)


def pool_member(cast: Cast, **values: Any) -> GuideProfile:
    return approved(cast, senior(cast, **values))
