"""Demo story of the programmes and a learner who follows one (OJT-01..05, OJT-12, OJT-14,
OJT-15), through the services.

Modelled on the Raffinaderij X assistant-operator programme, in the sauce kitchen: the first two
shifts (welcome, safety, a tour), learning at the kettles with the peter (e-learning, then two
practical modules in the 4-part structure that teach the kitchen's work instructions), and, after
three months and the attest of the previous phase, working alone at the vacuum kettle. A Leittext
module for the company restaurant's cold kitchen (the Restaurantketen X method) sits beside it.

The demo employee follows the programme with the mentor as peter: the first modules are signed
off by both, one waits for the peter's signature, and a TWI session with its follow-up checks is
on record.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import translation

from leerplek.competences.models import Competence
from leerplek.competences.services import scale_for
from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, User
from leerplek.training import services_learning, services_leittext, services_programmes
from leerplek.training.models import (
    LeittextPhase,
    LeittextQuestionKind,
    Module,
    ModuleKind,
    ProgrammeVersion,
    WorkInstruction,
)

LEITTEXT_QUESTIONS = [
    (
        LeittextQuestionKind.GUIDING,
        LeittextPhase.INFORM,
        "Welke koude schotels staan er vandaag op het menu?",
    ),
    (
        LeittextQuestionKind.STEERING,
        LeittextPhase.INFORM,
        "Waarom bewaren we koude schotels onder 4 °C?",
    ),
    (
        LeittextQuestionKind.PLANNING,
        LeittextPhase.PLAN,
        "In welke volgorde zet je de schotels klaar?",
    ),
    (LeittextQuestionKind.STEERING, LeittextPhase.DECIDE, "Waarom kies je die volgorde?"),
    (LeittextQuestionKind.GUIDING, LeittextPhase.EXECUTE, "Hoe lang duurde het klaarzetten?"),
    (
        LeittextQuestionKind.CONTROL,
        LeittextPhase.CHECK,
        "Stond elke schotel op tijd en koel genoeg?",
    ),
    (LeittextQuestionKind.CONTROL, LeittextPhase.EVALUATE, "Wat doe je de volgende keer anders?"),
]
LEITTEXT_CRITERIA = [
    "Alle schotels op tijd klaar",
    "Temperatuur onder 4 °C gemeten en genoteerd",
    "Werkplek proper en geordend",
]


def _acting(user: User, organisation_id: int) -> User:
    user.access = load_access(user, organisation_id)
    return user


def _user_of(person: Employee | None) -> User | None:
    return User.objects.filter(employees__pk=person.pk).first() if person else None


def _competence(story: Any, code: str) -> Competence | None:
    return Competence.objects.filter(organisation=story.state.organisation, code=code).first()


def _develops(module: Module, competence: Competence | None, by: User, rank: int) -> None:
    if competence is None:
        return
    levels = list(scale_for(competence).levels.order_by("rank"))
    if levels:
        level = levels[min(rank, len(levels)) - 1]
        services_programmes.module_competence_add(
            module=module, by=by, competence=competence, level=level
        )


def _teaches(module: Module, code: str, by: User) -> None:
    instruction = WorkInstruction.objects.filter(
        organisation_id=module.version.organisation_id, code=code
    ).first()
    if instruction is not None:
        services_programmes.module_instruction_add(module=module, by=by, instruction=instruction)


def _programme(story: Any, author: User, approver: User) -> ProgrammeVersion:
    state = story.state
    programme = services_programmes.programme_create(
        organisation=state.organisation,
        by=author,
        code="AOP-SK",
        title="Assistent-operator sauskeuken",
        job=state.jobs.get("SAUSB"),
        description=(
            "Van nieuwe medewerker tot zelfstandig operator aan de kookketels, naar het model van "
            "het assistent-operatorprogramma van Raffinaderij X."
        ),
    )
    version = programme.versions.get()
    first = services_programmes.phase_add(
        version=version,
        by=author,
        title="De eerste twee shiften",
        description="Algemene introductie: veiligheid, hygiëne en een rondgang met de peter.",
    )
    welcome = services_programmes.module_add(
        phase=first,
        by=author,
        title="Veiligheid en hygiëne in de sauskeuken",
        kind=ModuleKind.SECTOR_SAFETY,
        duration=1,
        duration_unit="shifts",
    )
    services_programmes.checklist_item_add(module=welcome, by=author, text="Nooduitgangen getoond")
    services_programmes.checklist_item_add(
        module=welcome, by=author, text="Persoonlijke beschermingsmiddelen gepast"
    )
    tour = services_programmes.module_add(
        phase=first,
        by=author,
        title="Rondgang: van grondstof tot pot",
        kind=ModuleKind.KNOWLEDGE,
        duration=1,
        duration_unit="shifts",
    )
    kettles = services_programmes.phase_add(
        version=version,
        by=author,
        title="Leren aan de kookketels met de peter",
        description=(
            "Elke module in vier delen: de werkpost, de doe-stappen, kwaliteitszorg, storingen."
        ),
    )
    elearning = services_programmes.module_add(
        phase=kettles,
        by=author,
        title="Basiskennis procestechnieken",
        kind=ModuleKind.ELEARNING,
        duration=2,
        duration_unit="shifts",
        content_url="https://leren.example.org/procestechnieken",
        prerequisites=[welcome],
    )
    cooking = services_programmes.module_add(
        phase=kettles,
        by=author,
        title="Saus koken in kookketel 1",
        kind=ModuleKind.PRACTICAL,
        duration=5,
        duration_min=3,
        duration_max=10,
        duration_unit="shifts",
        workstation=story.state.workstations.get("SK-KK1"),
        environment="Kookcel: ketel 1 en 2, stoomleiding, receptkaarten aan de muur.",
        quality_care="Temperatuur en viscositeit per batch op de batchfiche; staal voor het labo.",
        prerequisites=[elearning],
    )
    services_programmes.objective_add(
        module=cooking,
        by=author,
        text="Kookt zelfstandig een batch volgens de receptkaart",
        measure="Drie batches na elkaar binnen de norm, zonder hulp",
    )
    services_programmes.fault_add(
        module=cooking,
        by=author,
        symptom="De saus brandt aan",
        cause="Stoom te snel open of roerwerk uit",
        remedy="Stoom dicht, roerwerk aan, ploegbaas verwittigen",
    )
    for text in ("Ketel proper en droog", "Grondstoffen gewogen", "Temperatuur genoteerd"):
        services_programmes.checklist_item_add(module=cooking, by=author, text=text)
    _teaches(cooking, "WI-SK-KOOK", author)
    _develops(cooking, _competence(story, "SK-KETEL"), author, 3)
    cleaning = services_programmes.module_add(
        phase=kettles,
        by=author,
        title="Kookketel reinigen met CIP",
        kind=ModuleKind.PRACTICAL,
        duration=2,
        duration_unit="shifts",
        workstation=story.state.workstations.get("SK-CIP"),
    )
    services_programmes.checklist_item_add(module=cleaning, by=author, text="Roerwerk vergrendeld")
    services_programmes.checklist_item_add(module=cleaning, by=author, text="pH gecontroleerd")
    _teaches(cleaning, "WI-SK-CIP", author)
    _develops(cleaning, _competence(story, "SK-CIP"), author, 2)
    alone = services_programmes.phase_add(
        version=version,
        by=author,
        title="Zelfstandig aan de vacuümketel",
        starts_after_days=90,
        requires_attest=True,
    )
    services_programmes.module_add(
        phase=alone,
        by=author,
        title="Emulsie koken in vacuümkookketel 3",
        kind=ModuleKind.PRACTICAL,
        duration=3,
        duration_unit="weeks",
        workstation=story.state.workstations.get("SK-KK3"),
    )
    del tour
    services_programmes.version_submit(version=version, by=author)
    return services_programmes.version_approve(version=version, by=approver)


def _leittext(story: Any, author: User, approver: User) -> ProgrammeVersion:
    programme = services_programmes.programme_create(
        organisation=story.state.organisation,
        by=author,
        code="LT-KK",
        title="Koude keuken van het bedrijfsrestaurant",
        description="Zelfgestuurd leren met een Leittext, zoals bij Restaurantketen X.",
    )
    version = programme.versions.get()
    phase = services_programmes.phase_add(version=version, by=author, title="Koude keuken")
    module = services_programmes.module_add(
        phase=phase,
        by=author,
        title="De koude keuken klaarzetten voor de middagdienst",
        kind=ModuleKind.LEITTEXT,
        duration=2,
        duration_unit="weeks",
    )
    services_leittext.leittext_problem_set(
        module=module,
        by=author,
        problem_statement=(
            "Vrijdagmiddag eten 180 collega's in het bedrijfsrestaurant. Zet de koude keuken zo "
            "klaar dat elke koude schotel om 11.45 uur koel en compleet op de toonbank staat."
        ),
    )
    for kind, leittext_phase, text in LEITTEXT_QUESTIONS:
        services_leittext.leittext_question_add(
            module=module, kind=kind, phase=leittext_phase, text=text, by=author
        )
    for text in LEITTEXT_CRITERIA:
        services_leittext.leittext_criterion_add(module=module, text=text, by=author)
    services_programmes.version_submit(version=version, by=author)
    return services_programmes.version_approve(version=version, by=approver)


def _follow(story: Any, version: ProgrammeVersion, hr: User) -> None:
    """The demo employee follows the programme with the mentor as peter."""
    people = story.state.people
    learner = people.get(Role.EMPLOYEE)
    peter = people.get(Role.MENTOR)
    learner_user, peter_user = _user_of(learner), _user_of(peter)
    if learner is None or peter is None or learner_user is None or peter_user is None:
        return
    organisation_id = story.state.organisation.pk
    learner_user = _acting(learner_user, organisation_id)
    peter_user = _acting(peter_user, organisation_id)
    learner = Employee.objects.get(pk=learner.pk)
    assignment = services_learning.assignment_create(
        version=version,
        employee=learner,
        by=hr,
        guide=peter,
        started_on=story.today - datetime.timedelta(days=20),
    )
    modules = list(version.modules.order_by("phase__position", "position"))
    for module in modules[:3]:
        ticks = list(module.checklist.values_list("pk", flat=True))
        signoff = services_learning.signoff_declare(
            assignment=assignment, module=module, by=learner_user, checklist=ticks, note=""
        )
        services_learning.signoff_confirm(signoff=signoff, by=peter_user, checklist=ticks)
    cooking = modules[3]
    services_learning.teaching_session_record(
        assignment=assignment,
        module=cooking,
        by=peter_user,
        held_on=story.today - datetime.timedelta(days=6),
        instructor=peter,
        instruction=cooking.instruction_links.first().instruction  # type: ignore[union-attr]
        if cooking.instruction_links.exists()
        else None,
        prepared=True,
        preparation_note="Kende de ketel van een vorige job, niet het recept.",
        presented_steps=True,
        presented_key_points=True,
        presented_reasons=True,
        tried_steps=True,
        tried_key_points=True,
        tried_reasons=False,
        tryout_note="De reden van stap 3 (stoom in twee keer) nog eens uitgelegd.",
        go_to_person=peter,
    )
    services_learning.signoff_declare(
        assignment=assignment,
        module=cooking,
        by=learner_user,
        checklist=list(cooking.checklist.values_list("pk", flat=True)),
        note="Drie batches gekookt, de laatste zonder hulp.",
    )


def build(story: Any) -> None:
    if story.is_transport:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _build(story)


def _build(story: Any) -> None:
    organisation = story.state.organisation
    people = story.state.people
    admin = _acting(story.admin, organisation.pk)
    hr = _acting(_user_of(people.get(Role.HR)) or story.admin, organisation.pk)
    author = _acting(_user_of(people.get(Role.INSTRUCTOR)) or story.admin, organisation.pk)
    approver = hr if hr.pk != author.pk else admin
    version = _programme(story, author, approver)
    _leittext(story, author, approver)
    _follow(story, version, hr)
