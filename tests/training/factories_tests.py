"""Tests-area state built through the services: a programme a learner follows, a published
questionnaire (multiple choice, true or false, photo) and a practical test with a critical
criterion, real photos made by Pillow, and attempts as a learner would submit them."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, User
from leerplek.training import services_tests
from leerplek.training.models import (
    Attempt,
    Module,
    ProgrammeAssignment,
    ProgrammeVersion,
    Question,
    QuestionKind,
    Test,
    TestKind,
    TestStatus,
)
from tests.factories import Cast
from tests.training.factories import approved_programme, assigned


def acting(cast: Cast, role: Role) -> User:
    """The role's user with his access loaded, as the middleware loads it."""
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    return user


def photo_bytes(color: str = "red", size: tuple[int, int] = (40, 30), kind: str = "PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def photo(name: str = "ketel.png", color: str = "red") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(color), "image/png")


def programme_module(cast: Cast, code: str = "TST") -> tuple[ProgrammeVersion, Module]:
    """An approved programme version and its practical module."""
    version = approved_programme(cast, code=code, title=f"Programma {code}")
    module = version.modules.get(title="Saus afvullen")
    return version, module


def learner(cast: Cast) -> tuple[Employee, User]:
    """The cast's employee (a packaging worker with a log-in), with his access loaded."""
    return cast.employees[Role.EMPLOYEE], acting(cast, Role.EMPLOYEE)


def questionnaire(
    cast: Cast,
    module: Module,
    *,
    title: str = "Saus afvullen: eindtest",
    questions: int = 4,
    publish: bool = True,
    **fields: Any,
) -> Test:
    """A questionnaire of `questions` multiple-choice questions of 1 point (the right answer is
    always "Juist N"), written and published through the services."""
    hr = acting(cast, Role.HR)
    fields.setdefault("pass_percent", 65)
    fields.setdefault("max_attempts", 3)
    fields.setdefault("issues_attest", True)
    test = services_tests.test_create(
        organisation=cast.organisation,
        by=hr,
        title=title,
        kind=TestKind.QUESTIONNAIRE,
        module=module,
        allow_practice=fields.pop("allow_practice", True),
        **fields,
    )
    for number in range(1, questions + 1):
        question = services_tests.question_add(
            test=test,
            by=hr,
            kind=QuestionKind.MULTIPLE_CHOICE,
            text=f"Vraag {number}",
            explanation=f"Uitleg {number}",
        )
        services_tests.choice_add(question=question, by=hr, text=f"Juist {number}", is_correct=True)
        services_tests.choice_add(question=question, by=hr, text=f"Fout {number}")
    if publish:
        test = services_tests.test_set_status(test=test, by=hr, status=TestStatus.PUBLISHED)
    return test


def photo_question(cast: Cast, test: Test) -> Question:
    """A "pick the right photo" question with a photo and two photo answers (draft test)."""
    hr = acting(cast, Role.HR)
    question = services_tests.question_add(
        test=test,
        by=hr,
        kind=QuestionKind.PHOTO,
        text="Welke ketel is correct gesloten?",
        photo=photo("vraag.png", "blue"),
    )
    services_tests.choice_add(
        question=question, by=hr, photo=photo("goed.png", "green"), is_correct=True
    )
    services_tests.choice_add(question=question, by=hr, photo=photo("fout.png", "red"))
    return question


def practical(
    cast: Cast,
    module: Module,
    *,
    publish: bool = True,
    title: str = "Saus afvullen: praktijkproef",
) -> Test:
    """A practical test with three criteria of 1 point, the first critical."""
    hr = acting(cast, Role.HR)
    test = services_tests.test_create(
        organisation=cast.organisation,
        by=hr,
        title=title,
        kind=TestKind.PRACTICAL,
        module=module,
        pass_percent=65,
        max_attempts=3,
        issues_attest=True,
        attest_title="Bevoegd afvuller",
        attest_valid_months=12,
    )
    for text, critical in (
        ("Sluit de klep voor het deksel opengaat", True),
        ("Meet de temperatuur", False),
        ("Ruimt de werkpost op", False),
    ):
        services_tests.criterion_add(test=test, by=hr, text=text, is_critical=critical)
    if publish:
        test = services_tests.test_set_status(test=test, by=hr, status=TestStatus.PUBLISHED)
    return test


def answers(test: Test, right: int) -> dict[str, int]:
    """Answers with the first `right` questions right and the rest wrong."""
    chosen: dict[str, int] = {}
    for number, question in enumerate(test.questions.order_by("position"), start=1):
        choice = question.choices.get(is_correct=number <= right)
        chosen[str(question.pk)] = choice.pk
    return chosen


def submit(test: Test, employee: Employee, user: User, right: int, **kw: Any) -> Attempt:
    return services_tests.attempt_submit(
        test=test, employee=employee, answers=answers(test, right), by=user, **kw
    )


def assigned_learner(cast: Cast, version: ProgrammeVersion) -> ProgrammeAssignment:
    employee, _user = learner(cast)
    return assigned(cast, version, employee=employee)
