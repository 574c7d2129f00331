"""Demo data for the legal onthaal record (issue #5, area 'record').

Both organisations get a catalogue of safety and well-being instructions (for everybody, per
function, per workstation). Voedingsbedrijf X: the demo newcomer received every instruction that
applies to her and she and her peter/meter confirmed them; HR signed the onthaal document, then
the prevention adviser wrote his proposals and HR signed a correction (version 2) that adds
them. Transportbedrijf X: the new driver received his instructions on his first days; he has no
log-in yet, so his confirmations wait, and the document is not signed: the compliance page
shows him.
"""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import services_record
from leerplek.onboarding.models import (
    InstructionTopic,
    Onboarding,
    OnboardingStatus,
    SafetyInstruction,
)
from leerplek.people.models import Employee, User

# (topic, title, content) for everybody.
EVERYBODY = (
    (
        InstructionTopic.EMERGENCY,
        "Nooduitgangen, verzamelplaats en brandblussers",
        "Rondgang: waar de nooduitgangen en blussers zijn, wat het alarm betekent, waar we "
        "verzamelen.",
    ),
    (
        InstructionTopic.EMERGENCY,
        "Eerste hulp: wie is hulpverlener, waar is de verbandkoffer",
        "Namen van de EHBO'ers per ploeg; noodnummer 112; ongevallen altijd melden.",
    ),
    (
        InstructionTopic.WELL_BEING,
        "Vertrouwenspersoon en preventieadviseur psychosociale aspecten",
        "Bij wie je terechtkan bij pesten, geweld of ongewenst seksueel gedrag, ook anoniem.",
    ),
)
FOOD_ALL = (
    (
        InstructionTopic.HYGIENE,
        "Handen wassen en hygiënesluis",
        "Handen wassen en ontsmetten bij elke ingang van de productie; geen juwelen.",
    ),
)
FOOD_JOB = (
    InstructionTopic.PPE,
    "Snijbestendige handschoenen en veiligheidsschoenen",
    "Altijd aan de lijn; vervangen bij een scheur.",
)
TRANSPORT_JOB = (
    (
        InstructionTopic.SAFETY,
        "Rij- en rusttijden en de tachograaf",
        "Kaart insteken bij vertrek, pauzes na 4,5 uur rijden, handmatige ingaven.",
    ),
    (
        InstructionTopic.EQUIPMENT,
        "Lading zekeren met spanbanden",
        "Minstens twee banden per pallet; controle na de eerste kilometers.",
    ),
)
TRANSPORT_STATION = (
    InstructionTopic.EQUIPMENT,
    "Laadklep bedienen en dodehoekspiegels afstellen",
    "Niemand op of onder de klep tijdens het bewegen; spiegels afstellen voor vertrek.",
)


def build(builder: Any) -> None:
    """Add this area's part of the demo story; `builder` is demo.builder._OnboardingBuilder."""
    hr = _acting(builder.state.people.get(Role.HR), builder)
    if hr is None:
        return
    if builder.is_transport:
        _transport(builder, hr)
    else:
        _food(builder, hr)


def _acting(person: Employee | None, builder: Any) -> User | None:
    """The person's user with his access loaded, as a request would have it."""
    if person is None:
        return None
    user = User.objects.filter(employees__pk=person.pk).first()
    if user is None:
        return None
    user.access = load_access(user, builder.state.organisation.pk)
    return user


def _add(builder: Any, hr: User, rows: Any, **values: Any) -> list[SafetyInstruction]:
    return [
        services_record.instruction_create(
            organisation=builder.state.organisation,
            by=hr,
            topic=topic,
            title=title,
            content=content,
            position=position,
            **values,
        )
        for position, (topic, title, content) in enumerate(rows)
    ]


def _running(person: Employee) -> Onboarding | None:
    return (
        Onboarding.objects.filter(employee=person, status=OnboardingStatus.ACTIVE)
        .select_related("employee", "employee__unit", "organisation", "job", "organiser")
        .first()
    )


def _give(builder: Any, hr: User, onboarding: Onboarding, by: Employee, days: int) -> list[Any]:
    from leerplek.onboarding.selectors_record import record_detail

    pending = record_detail(onboarding=onboarding).pending
    if not pending:
        return []
    given_on = min(onboarding.start_date + datetime.timedelta(days=days), builder.today)
    return services_record.instructions_give(
        onboarding=onboarding, instructions=pending, given_on=given_on, given_by=by, by=hr
    )


def _food(builder: Any, hr: User) -> None:
    people = builder.state.people
    _add(builder, hr, EVERYBODY + FOOD_ALL)
    newcomer = people.get(Role.EMPLOYEE)
    plan = _running(newcomer) if newcomer else None
    if plan is None:
        return
    if plan.job is not None:
        _add(builder, hr, (FOOD_JOB,), job=plan.job)
    mentor = people[Role.MENTOR]
    rows = _give(builder, hr, plan, mentor, days=0)
    newcomer_user = _acting(newcomer, builder)
    mentor_user = _acting(mentor, builder)
    if newcomer_user is not None and mentor_user is not None:
        for row in rows:
            services_record.instruction_confirm(given=row, by=newcomer_user)
            services_record.instruction_confirm(given=row, by=mentor_user)
    adviser = _acting(people.get(Role.PREVENTION_ADVISER), builder)
    services_record.document_sign(onboarding=plan, by=hr)
    if adviser is not None:
        services_record.proposals_save(
            onboarding=plan,
            text=(
                "Gehoorbescherming aan de afvullijn (geluid boven 85 dB(A)).\n"
                "Herhaling van de hygiëne-instructie na de eerste maand."
            ),
            by=adviser,
        )
        services_record.document_sign(
            onboarding=plan,
            by=hr,
            correction="De voorstellen van de preventiedienst toegevoegd.",
        )


def _transport(builder: Any, hr: User) -> None:
    _add(builder, hr, EVERYBODY)
    driver = Employee.objects.filter(
        organisation=builder.state.organisation, employee_number="TX9001"
    ).first()
    plan = _running(driver) if driver else None
    if plan is None or driver is None:
        return
    if plan.job is not None:
        _add(builder, hr, TRANSPORT_JOB, job=plan.job)
    if driver.workstation is not None:
        _add(builder, hr, (TRANSPORT_STATION,), workstation=driver.workstation)
    # The senior driver explained them on the first day out; the driver has no log-in yet, so
    # his and his peter's confirmations wait.
    peter = (
        Employee.objects.filter(guiding__learner=driver, guiding__is_backup=False)
        .order_by("pk")
        .first()
    )
    _give(builder, hr, plan, peter or builder.state.people[Role.HR], days=1)
