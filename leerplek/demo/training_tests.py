"""Demo story of the tests area (TEST-01, 02, 03, 06, 08), through the services.

On the food company's approved programme (or a small one made here when no other area wrote one):
a final evaluation of the programme, 65 % to pass with 2 retakes and a practice mode; the demo
employee fails his first attempt, practises and passes the retake, which issues his attest; a
practical test with a critical criterion for the observer; and a second learner who used all
attempts and waits for HR's decision.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, User
from leerplek.training import services_learning, services_programmes, services_tests
from leerplek.training.models import (
    ProgrammeAssignment,
    ProgrammeVersion,
    QuestionKind,
    TestKind,
    TestStatus,
    VersionStatus,
)

# (question, right answer, wrong answers, explanation)
QUESTIONS = [
    (
        "Op welke temperatuur vul je de saus af?",
        "Tussen 82 en 85 °C",
        ["Onder 60 °C", "Boven 95 °C"],
        "Onder 82 °C groeien bacteriën; boven 85 °C brandt de saus aan in de leiding.",
    ),
    (
        "Wat doe je eerst als de pomp ratelt?",
        "De pomp stilleggen en de leiding ontluchten",
        ["Sneller laten draaien", "Verder afvullen en het later melden"],
        "Ratelen is lucht in de leiding: ontluchten voorkomt schade aan de pomp.",
    ),
    (
        "Wie mag de klep van de mengketel openen?",
        "Wie de opleiding volgde en bevoegd is",
        ["Iedereen van de ploeg", "Alleen de ploegbaas"],
        "De bevoegdheid staat op het attest van de praktijkproef.",
    ),
    (
        "Hoe vaak meet je de viscositeit?",
        "Bij elke batch",
        ["Eén keer per shift", "Alleen bij klachten"],
        "Elke batch verschilt; meten bij elke batch vangt een fout op tijd op.",
    ),
]
TRUE_FALSE = (
    "Je mag de ketel openen terwijl de menger nog draait.",
    False,
    "Eerst stilleggen en vergrendelen: de menger grijpt wat in de ketel valt.",
)
CRITERIA = [
    ("Legt de menger stil en vergrendelt hem vóór het openen", True),
    ("Meet en noteert de temperatuur", False),
    ("Ontlucht de leiding bij ratelen", False),
    ("Laat de werkpost proper achter", False),
]


def _acting(user: User, organisation_id: int) -> User:
    user.access = load_access(user, organisation_id)
    return user


def _fresh(person: Employee | None) -> Employee | None:
    """The person as stored now (the builder links log-ins after it made the rows)."""
    return Employee.objects.select_related("unit").get(pk=person.pk) if person else None


def _user_of(person: Employee | None) -> User | None:
    return User.objects.filter(employees__pk=person.pk).first() if person else None


def _version(story: Any, admin: User) -> ProgrammeVersion:
    """An approved programme version of the organisation; a small one when there is none."""
    organisation = story.state.organisation
    version = (
        ProgrammeVersion.objects.filter(organisation=organisation, status=VersionStatus.APPROVED)
        .order_by("programme__code", "-number")
        .first()
    )
    if version is not None:
        return version
    job = next(iter(story.state.jobs.values()), None)
    programme = services_programmes.programme_create(
        organisation=organisation, by=admin, code="SAUS", title="Saus afvullen", job=job
    )
    draft = programme.versions.get()
    phase = services_programmes.phase_add(version=draft, by=admin, title="Aan de mengketel")
    services_programmes.module_add(
        phase=phase, by=admin, title="Saus afvullen", kind="practical", duration=2
    )
    services_programmes.version_submit(version=draft, by=admin)
    return services_programmes.version_approve(version=draft, by=admin)


def _assignment(
    version: ProgrammeVersion, person: Employee, story: Any, hr: User
) -> ProgrammeAssignment:
    current = ProgrammeAssignment.objects.filter(
        version=version, employee=person, status="active"
    ).first()
    if current is not None:
        return current
    return services_learning.assignment_create(
        version=version, employee=person, by=hr, started_on=story.today
    )


def build(story: Any) -> None:
    if story.is_transport:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _build(story)


def _build(story: Any) -> None:
    organisation = story.state.organisation
    admin = _acting(story.admin, organisation.pk)
    people = story.state.people
    hr = _acting(_user_of(people.get(Role.HR)) or story.admin, organisation.pk)
    version = _version(story, admin)
    module = version.modules.order_by("phase__position", "position").first()
    final = services_tests.test_create(
        organisation=organisation,
        by=hr,
        title=f"Eindevaluatie {version.programme.title}",
        kind=TestKind.QUESTIONNAIRE,
        programme=version.programme,
        is_final=True,
        pass_percent=65,
        max_attempts=3,
        allow_practice=True,
        issues_attest=True,
        attest_title=f"Attest {version.programme.title}",
        attest_valid_months=36,
        instructions="Vijf vragen over het afvullen. Oefen gerust eerst: oefenen telt nooit mee.",
    )
    for text, right_answer, wrongs, explanation in QUESTIONS:
        question = services_tests.question_add(
            test=final,
            by=hr,
            kind=QuestionKind.MULTIPLE_CHOICE,
            text=text,
            explanation=explanation,
        )
        services_tests.choice_add(question=question, by=hr, text=right_answer, is_correct=True)
        for wrong in wrongs:
            services_tests.choice_add(question=question, by=hr, text=wrong)
    statement, true, why = TRUE_FALSE
    services_tests.question_add(
        test=final,
        by=hr,
        kind=QuestionKind.TRUE_FALSE,
        text=statement,
        true_is_correct=true,
        explanation=why,
    )
    final = services_tests.test_set_status(test=final, by=hr, status=TestStatus.PUBLISHED)
    observed = services_tests.test_create(
        organisation=organisation,
        by=hr,
        title="Praktijkproef mengketel",
        kind=TestKind.PRACTICAL,
        module=module,
        pass_percent=75,
        max_attempts=3,
        issues_attest=True,
        attest_title="Bevoegd aan de mengketel",
        attest_valid_months=24,
    )
    for criterion, critical in CRITERIA:
        services_tests.criterion_add(test=observed, by=hr, text=criterion, is_critical=critical)
    services_tests.test_set_status(test=observed, by=hr, status=TestStatus.PUBLISHED)

    learner = _fresh(people.get(Role.EMPLOYEE))
    learner_user = _user_of(learner)
    if learner is None or learner_user is None:
        return
    _assignment(version, learner, story, hr)
    learner_user = _acting(learner_user, organisation.pk)
    questions = list(final.questions.prefetch_related("choices").order_by("position"))

    def answers(right: int) -> dict[str, int]:
        return {
            str(question.pk): next(
                choice.pk
                for choice in question.choices.all()
                if choice.is_correct == (number < right)
            )
            for number, question in enumerate(questions)
        }

    # 2 of 5 (40 %): not passed; a practice round with feedback; 4 of 5 (80 %): passed.
    for count, practice in ((2, False), (3, True), (4, False)):
        services_tests.attempt_submit(
            test=final,
            employee=learner,
            answers=answers(count),
            by=learner_user,
            practice=practice,
        )
    # A colleague used all three attempts: blocked until HR decides.
    colleague = _fresh(people.get(Role.MENTOR))
    colleague_user = _user_of(colleague)
    if colleague is None or colleague_user is None:
        return
    _assignment(version, colleague, story, hr)
    colleague_user = _acting(colleague_user, organisation.pk)
    for count in (1, 2, 3):
        services_tests.attempt_submit(
            test=final, employee=colleague, answers=answers(count), by=colleague_user
        )
