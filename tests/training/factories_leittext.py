"""Leittext state built through the services: a Leittext module written on a draft version (then
approved, as the programme builder does), a learner with a log-in and his peter/meter, and his
work at each stage (answers, work plan, expert talk, control sheet, evaluation)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, User
from leerplek.training import services_leittext
from leerplek.training.models import (
    LeittextPhase,
    LeittextQuestionKind,
    LeittextWork,
    Module,
    ModuleKind,
    ProgrammeAssignment,
    ProgrammeVersion,
    VersionStatus,
)
from tests.factories import Cast
from tests.training.factories import approved_programme, assigned

PROBLEM = (
    "Vrijdagavond zijn 120 couverts geboekt. Zet de koude keuken zo klaar dat elk voorgerecht "
    "binnen 8 minuten vertrekt."
)
# (kind, phase, text): two questions in every phase.
QUESTIONS = [
    (LeittextQuestionKind.GUIDING, LeittextPhase.INFORM, "Welke voorgerechten staan op de kaart?"),
    (LeittextQuestionKind.STEERING, LeittextPhase.INFORM, "Waarom koelen we onder 4 °C?"),
    (LeittextQuestionKind.PLANNING, LeittextPhase.PLAN, "In welke volgorde vul je de bakken?"),
    (LeittextQuestionKind.PLANNING, LeittextPhase.PLAN, "Wat zet je als laatste klaar?"),
    (LeittextQuestionKind.STEERING, LeittextPhase.DECIDE, "Waarom kies je deze volgorde?"),
    (LeittextQuestionKind.GUIDING, LeittextPhase.DECIDE, "Wat heb je nodig van de chef?"),
    (LeittextQuestionKind.GUIDING, LeittextPhase.EXECUTE, "Hoe lang duurde het klaarzetten?"),
    (LeittextQuestionKind.STEERING, LeittextPhase.EXECUTE, "Wat liep anders dan gepland?"),
    (LeittextQuestionKind.CONTROL, LeittextPhase.CHECK, "Staat elke bak op de lijn?"),
    (LeittextQuestionKind.CONTROL, LeittextPhase.CHECK, "Is de temperatuur genoteerd?"),
    (LeittextQuestionKind.STEERING, LeittextPhase.EVALUATE, "Wat doe je volgende keer anders?"),
    (LeittextQuestionKind.GUIDING, LeittextPhase.EVALUATE, "Wat vond je het moeilijkst?"),
]
CRITERIA = [
    "Elke bain-marie is tot de lijn gevuld",
    "Het werkblad is proper voor de volgende bestelling",
    "De temperaturen zijn genoteerd",
]


def acting(cast: Cast, role: Role) -> User:
    """The role's user with his access loaded, as the middleware loads it."""
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    return user


def user_of(employee: Employee, cast: Cast) -> User:
    user = employee.user
    assert user is not None
    user.access = load_access(user, cast.organisation.pk)
    return user


def draft_leittext(
    cast: Cast,
    code: str = "KK",
    questions: int = len(QUESTIONS),
    criteria: int = len(CRITERIA),
    title: str = "Koude keuken",
) -> Module:
    """A draft programme with one Leittext module, written through the services."""
    version = approved_programme(
        cast, code=code, title=title, modules=(("Koude keuken klaarzetten", ModuleKind.LEITTEXT),)
    )
    ProgrammeVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.DRAFT, approved_at=None
    )
    module = Module.objects.select_related("version", "version__programme").get(version=version)
    author = acting(cast, Role.HR)
    services_leittext.leittext_problem_set(module=module, problem_statement=PROBLEM, by=author)
    for index in range(questions):
        kind, phase, text = QUESTIONS[index % len(QUESTIONS)]
        services_leittext.leittext_question_add(
            module=module, kind=kind, phase=phase, text=f"{text} ({index + 1})", by=author
        )
    for index in range(criteria):
        services_leittext.leittext_criterion_add(
            module=module, text=f"{CRITERIA[index % len(CRITERIA)]} ({index + 1})", by=author
        )
    return module


def approve(module: Module) -> Module:
    """Approve the module's version (the programme builder's service does this in the app)."""
    ProgrammeVersion.objects.filter(pk=module.version_id).update(
        status=VersionStatus.APPROVED, approved_at=timezone.now()
    )
    return Module.objects.select_related("version", "version__programme", "phase").get(pk=module.pk)


def learner(cast: Cast) -> Employee:
    """The employee-role user's person record: a packaging worker with a log-in."""
    return cast.employees[Role.EMPLOYEE]


def leittext_assignment(
    cast: Cast,
    *,
    employee: Employee | None = None,
    guide: Employee | None = None,
    module: Module | None = None,
    started_days_ago: int = 14,
    **module_options: int,
) -> tuple[ProgrammeAssignment, Module]:
    """The learner follows an approved Leittext programme, the mentor-role person as guide."""
    module = module or approve(draft_leittext(cast, **module_options))
    assignment = assigned(
        cast,
        module.version,
        employee=employee or learner(cast),
        guide=guide if guide is not None else cast.employees[Role.MENTOR],
        started_on=timezone.localdate() - datetime.timedelta(days=started_days_ago),
    )
    assignment = ProgrammeAssignment.objects.select_related(
        "employee", "employee__unit", "guide", "version", "version__programme"
    ).get(pk=assignment.pk)
    return assignment, module


def answer_phase(
    cast: Cast, assignment: ProgrammeAssignment, module: Module, phase: str, text: str = "Ja"
) -> LeittextWork:
    ids = module.leittext_questions.filter(phase=phase).values_list("pk", flat=True)
    return services_leittext.leittext_answers_save(
        assignment=assignment,
        module=module,
        phase=phase,
        answers={pk: f"{text} {pk}" for pk in ids},
        by=user_of(assignment.employee, cast),
    )


def planned(cast: Cast, assignment: ProgrammeAssignment, module: Module) -> LeittextWork:
    """Inform, plan and decide answered and the work plan written."""
    for phase in (LeittextPhase.INFORM, LeittextPhase.PLAN, LeittextPhase.DECIDE):
        answer_phase(cast, assignment, module, phase)
    return services_leittext.leittext_plan_save(
        assignment=assignment,
        module=module,
        work_plan="1. Bakken koelen\n2. Groenten snijden\n3. Sauzen afvullen",
        by=user_of(assignment.employee, cast),
    )


def coach(cast: Cast) -> User:
    return acting(cast, Role.MENTOR)


def approved_plan(cast: Cast, assignment: ProgrammeAssignment, module: Module) -> LeittextWork:
    planned(cast, assignment, module)
    return services_leittext.leittext_expert_talk(
        assignment=assignment,
        module=module,
        talk_on=timezone.localdate(),
        approve=True,
        note="Eerst de sauzen.",
        by=coach(cast),
    )


def scores_for(module: Module, values: list[int]) -> dict[int, int]:
    ids = list(module.leittext_criteria.order_by("position").values_list("pk", flat=True))
    return {pk: values[index % len(values)] for index, pk in enumerate(ids)}


def self_scored(
    cast: Cast, assignment: ProgrammeAssignment, module: Module, values: list[int] | None = None
) -> LeittextWork:
    approved_plan(cast, assignment, module)
    answer_phase(cast, assignment, module, LeittextPhase.EXECUTE)
    answer_phase(cast, assignment, module, LeittextPhase.CHECK)
    return services_leittext.leittext_learner_score(
        assignment=assignment,
        module=module,
        scores=scores_for(module, values or [4, 5, 3]),
        by=user_of(assignment.employee, cast),
    )


def coach_scored(
    cast: Cast, assignment: ProgrammeAssignment, module: Module, values: list[int] | None = None
) -> LeittextWork:
    self_scored(cast, assignment, module)
    return services_leittext.leittext_coach_score(
        assignment=assignment,
        module=module,
        scores=scores_for(module, values or [4, 3, 4]),
        by=coach(cast),
    )


def evaluated(cast: Cast, assignment: ProgrammeAssignment, module: Module) -> LeittextWork:
    coach_scored(cast, assignment, module)
    answer_phase(cast, assignment, module, LeittextPhase.EVALUATE)
    return services_leittext.leittext_evaluate(
        assignment=assignment,
        module=module,
        note="Goed voorbereid; let op het proper werkblad.",
        by=coach(cast),
    )
