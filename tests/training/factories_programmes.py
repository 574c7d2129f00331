"""Programme-builder state built through the services: a programme with a draft, phases and
modules in the 4-part structure, an approved version and a draft of the next one."""

from __future__ import annotations

from typing import Any

from leerplek.competences.models import Competence, Level
from leerplek.competences.services import default_scale
from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import User
from leerplek.training import services_programmes as services
from leerplek.training.models import (
    DurationUnit,
    Module,
    ModuleKind,
    Phase,
    Programme,
    ProgrammeVersion,
    WorkInstruction,
)
from tests.factories import Cast, UserFactory, grant
from tests.training.factories import approved_instruction, station


def acting(cast: Cast, role: Role) -> User:
    """The role's user with his access loaded, as the middleware loads it."""
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    return user


def second_hr(cast: Cast) -> User:
    """Another HR user, to approve what the cast's HR user wrote (four eyes)."""
    user = UserFactory(email="hr2@example.test", first_name="Hanne", last_name="Tweede")
    grant(user, cast.organisation, Role.HR)
    user.access = load_access(user, cast.organisation.pk)
    return user


def level(cast: Cast, code: str = "U") -> Level:
    return default_scale(cast.organisation).levels.get(code=code)


def competence(cast: Cast, code: str = "C-SAUS", name: str = "Saus afvullen") -> Competence:
    return Competence.objects.create(organisation=cast.organisation, code=code, name=name)


def programme(
    cast: Cast, code: str = "HOP", title: str = "Hulpoperator", **fields: Any
) -> Programme:
    fields.setdefault("job", cast.job)
    return services.programme_create(
        organisation=cast.organisation, by=acting(cast, Role.HR), code=code, title=title, **fields
    )


def draft(programme: Programme) -> ProgrammeVersion:
    return programme.versions.get(status__in=["draft", "in_review"])


def phase(
    cast: Cast, version: ProgrammeVersion, title: str = "Eerste twee shiften", **fields: Any
) -> Phase:
    return services.phase_add(version=version, by=acting(cast, Role.HR), title=title, **fields)


def module(
    cast: Cast,
    phase: Phase,
    title: str = "Saus afvullen",
    kind: str = ModuleKind.PRACTICAL,
    **fields: Any,
) -> Module:
    return services.module_add(
        phase=phase, by=acting(cast, Role.HR), title=title, kind=kind, **fields
    )


def built_programme(
    cast: Cast, code: str = "HOP", instruction: WorkInstruction | None = None
) -> ProgrammeVersion:
    """The Raffinaderij X programme, shortened: three phases, four modules in the 4-part
    structure, objectives, a fault, a competence, a work instruction, a checklist and a
    prerequisite. Still a draft (version 1)."""
    hr = acting(cast, Role.HR)
    prog = programme(cast, code=code)
    version = draft(prog)
    services.version_update(
        version=version,
        by=hr,
        action_plan="Week 1 met de peter, daarna de multimedia-module en de klassikale opleiding.",
        evaluation="Eindgesprek met de ploegbaas na zes maanden.",
    )
    intro = phase(cast, version, "Algemene introductie")
    shifts = phase(cast, version, "Eerste twee shiften")
    practice = phase(cast, version, "Praktijkervaring", starts_after_days=120, requires_attest=True)
    welcome = module(cast, intro, "Rondleiding en veiligheid", ModuleKind.SAFETY, duration=1)
    machine = station(cast, code=f"{code}-KET", name="Mengketel")
    filling = module(
        cast,
        shifts,
        "Saus afvullen",
        ModuleKind.PRACTICAL,
        duration=2,
        duration_min=1,
        duration_max=3,
        duration_unit=DurationUnit.SHIFTS,
        workstation=machine,
        environment="De mengketel staat naast de afvullijn; let op de heftrucks.",
        quality_care="Temperatuur en viscositeit meten bij elke batch.",
        prerequisites=[welcome],
    )
    module(
        cast,
        shifts,
        "Basiskennis procestechnieken",
        ModuleKind.ELEARNING,
        duration=3,
        content_url="https://learning.example.test/proces",
    )
    module(
        cast,
        practice,
        "Praktijkervaring",
        ModuleKind.PRACTICAL,
        duration=4,
        duration_min=4,
        duration_max=6,
        duration_unit=DurationUnit.MONTHS,
    )
    services.objective_add(
        module=filling,
        by=hr,
        text="de ketel afvullen zonder morsen",
        measure="observatie door de peter",
    )
    services.objective_add(module=filling, by=hr, text="de temperatuur aflezen")
    services.fault_add(
        module=filling,
        by=hr,
        symptom="De pomp ratelt",
        cause="Lucht in de leiding",
        remedy="Leiding ontluchten",
    )
    services.checklist_item_add(module=filling, by=hr, text="Ketel leeg")
    services.checklist_item_add(module=filling, by=hr, text="Deksel dicht")
    services.module_competence_add(
        module=filling, by=hr, competence=competence(cast), level=level(cast)
    )
    instruction = instruction or approved_instruction(cast, code=f"WI-{code}")
    services.module_instruction_add(module=filling, by=hr, instruction=instruction)
    return ProgrammeVersion.objects.get(pk=version.pk)


def approved(cast: Cast, code: str = "HOP") -> ProgrammeVersion:
    """`built_programme`, approved by a second HR user."""
    version = built_programme(cast, code=code)
    return services.version_approve(version=version, by=second_hr_or_existing(cast))


def second_hr_or_existing(cast: Cast) -> User:
    user = User.objects.filter(email="hr2@example.test").first()
    if user is None:
        return second_hr(cast)
    user.access = load_access(user, cast.organisation.pk)
    return user
