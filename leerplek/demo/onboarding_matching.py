"""Demo data for matching (issue #5, MEN-03): in Voedingsbedrijf X three packers are hired for
next Monday and start their onboarding without a peter/meter, so the page "Match
peters/meters" proposes one for each from the pool, with reasons. Nobody is designated here:
HR confirms the proposals in the demo."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.core.roles import Role
from leerplek.onboarding import services as onboarding_services
from leerplek.onboarding.models import OnboardingReason
from leerplek.people import services

# (number, first name, last name, gender, shift, workstation, languages)
NEW_PACKERS = (
    ("VX9101", "Ewa", "Kowalska", "f", "verp-vroeg", "VP-ETIK", "pl, en"),
    ("VX9102", "Yassine", "El Amrani", "m", "verp-laat", "VP-KRIMP", "fr, nl"),
    ("VX9103", "Lotte", "Verbeke", "f", "verp-vroeg", "VP-PAL", "nl"),
)


def build(builder: Any) -> None:
    """Add the newcomers of next week in Voedingsbedrijf X (none in Transportbedrijf X)."""
    if builder.is_transport:
        return
    state = builder.state
    organisation = state.organisation
    # Next Monday, so the batch page's start week filter has one week with all three.
    monday = builder.today + datetime.timedelta(days=7 - builder.today.weekday())
    organiser = state.people[Role.MANAGER]
    for number, first, last, gender, shift, station, languages in NEW_PACKERS:
        person = services.employee_create(
            organisation=organisation,
            by=builder.admin,
            job=state.jobs["PRVP"],
            unit=state.units[shift],
            workstation=state.workstations[station],
            manager=state.leaders.get(shift),
            employee_number=number,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower().replace(' ', '')}@voedingsbedrijf-x.demo",
            gender=gender,
            birth_date=monday - datetime.timedelta(days=int(27 * 365.25)),
            hire_date=monday,
            languages=languages,
        )
        onboarding_services.onboarding_start(
            employee=person,
            by=builder.admin,
            reason=OnboardingReason.NEW_HIRE,
            start_date=monday,
            organiser=organiser,
        )
