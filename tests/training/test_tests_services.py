"""The tests services: authoring rules, server-side scoring, practice that never counts, the
attempt limit with blocking and an escalation to HR, the observer of a practical test, and
photos checked by their content."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.training import services_tests
from leerplek.training.models import (
    Attempt,
    Certificate,
    Escalation,
    EscalationDecision,
    Question,
    QuestionKind,
)
from leerplek.training.models import TestKind as Kind
from leerplek.training.models import TestStatus as Status
from leerplek.training.services_tests import ERRORS
from tests.factories import Cast
from tests.training.factories import assigned
from tests.training.factories_tests import (
    acting,
    answers,
    assigned_learner,
    learner,
    photo,
    photo_bytes,
    practical,
    programme_module,
    questionnaire,
    submit,
)

pytestmark = pytest.mark.django_db


# --- Authoring ------------------------------------------------------------------------------------


def test_a_new_test_takes_the_brochure_defaults(cast: Cast) -> None:
    _version, module = programme_module(cast)
    test = services_tests.test_create(
        organisation=cast.organisation,
        by=acting(cast, Role.HR),
        title="Eindtest",
        kind=Kind.QUESTIONNAIRE,
        module=module,
    )
    assert (test.pass_percent, test.max_attempts, test.status) == (65, 3, Status.DRAFT)
    assert AuditEntry.objects.filter(action="training.test_created").count() == 1


def test_a_test_must_belong_to_a_module_phase_or_programme(cast: Cast) -> None:
    with pytest.raises(ValidationError) as caught:
        services_tests.test_create(
            organisation=cast.organisation,
            by=acting(cast, Role.HR),
            title="Los",
            kind=Kind.QUESTIONNAIRE,
        )
    assert caught.value.message_dict == {"module": [str(ERRORS["link_required"])]}


def test_an_employee_cannot_author_a_test(cast: Cast) -> None:
    _version, module = programme_module(cast)
    with pytest.raises(PermissionDenied):
        services_tests.test_create(
            organisation=cast.organisation,
            by=acting(cast, Role.EMPLOYEE),
            title="Eindtest",
            kind=Kind.QUESTIONNAIRE,
            module=module,
        )


def test_an_incomplete_test_is_not_published(cast: Cast) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=0, publish=False)
    with pytest.raises(ValidationError) as caught:
        services_tests.test_set_status(test=test, by=acting(cast, Role.HR), status=Status.PUBLISHED)
    assert "add at least one question" in caught.value.message_dict["status"][0]


def test_a_true_false_question_gets_its_two_answers(cast: Cast) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=0, publish=False)
    question = services_tests.question_add(
        test=test,
        by=acting(cast, Role.HR),
        kind=QuestionKind.TRUE_FALSE,
        text="Saus mag boven 90 °C afgevuld worden.",
        true_is_correct=False,
    )
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("True", False),
        ("False", True),
    ]


def test_a_published_test_no_longer_changes(cast: Cast) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module)
    with pytest.raises(ValidationError) as caught:
        services_tests.question_add(
            test=test, by=acting(cast, Role.HR), kind=QuestionKind.MULTIPLE_CHOICE, text="Extra?"
        )
    assert "published" in caught.value.message_dict["status"][0]


def test_a_taken_test_cannot_go_back_to_draft(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    submit(test, employee, user, right=4)
    with pytest.raises(ValidationError) as caught:
        services_tests.test_set_status(test=test, by=acting(cast, Role.HR), status=Status.DRAFT)
    assert "1 counted attempts exist" in caught.value.message_dict["status"][0]


def test_marking_an_answer_right_makes_the_others_wrong(cast: Cast) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=1, publish=False)
    question = test.questions.get()
    wrong = question.choices.get(is_correct=False)
    services_tests.choice_mark_correct(choice=wrong, by=acting(cast, Role.HR))
    assert list(question.choices.filter(is_correct=True)) == [wrong]


# --- Photos ---------------------------------------------------------------------------------------


def test_a_renamed_file_is_refused_as_a_photo_naming_the_field(cast: Cast) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=0, publish=False)
    fake = SimpleUploadedFile("ketel.png", b"MZ\x90\x00 this is an exe", "image/png")
    with pytest.raises(ValidationError) as caught:
        services_tests.question_add(
            test=test, by=acting(cast, Role.HR), kind=QuestionKind.PHOTO, text="Welke?", photo=fake
        )
    message = caught.value.message_dict["photo"][0]
    assert message.startswith("photo with the question: ketel.png is not a photo inside")
    assert not Question.objects.exists()


def test_a_photo_above_the_limit_is_refused(cast: Cast, settings: object) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "TRAINING_PHOTO_MAX_MB": 0}  # type: ignore[attr-defined]
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=0, publish=False)
    with pytest.raises(ValidationError) as caught:
        services_tests.question_add(
            test=test,
            by=acting(cast, Role.HR),
            kind=QuestionKind.PHOTO,
            text="Welke?",
            photo=photo(),
        )
    assert "attach a photo of at most 0 MB" in caught.value.message_dict["photo"][0]


def test_a_real_jpeg_is_accepted(cast: Cast) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=0, publish=False)
    upload = SimpleUploadedFile("k.jpg", photo_bytes(kind="JPEG"), "image/jpeg")
    question = services_tests.question_add(
        test=test, by=acting(cast, Role.HR), kind=QuestionKind.PHOTO, text="Welke?", photo=upload
    )
    assert question.photo.name.endswith("k.jpg")


# --- Taking ---------------------------------------------------------------------------------------


def test_the_server_scores_the_answers(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    attempt = submit(test, employee, user, right=3)
    assert (attempt.points, attempt.max_points) == (3, 4)
    assert attempt.score_percent == Decimal("75.00")
    assert attempt.passed is True
    assert attempt.number == 1


def test_a_forged_choice_counts_as_no_answer(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=2)
    other = questionnaire(cast, module, title="Andere test", questions=1)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    chosen = answers(test, right=2)
    first = next(iter(chosen))
    # The right answer of another test's question, sent for this one.
    chosen[first] = other.questions.get().choices.get(is_correct=True).pk
    with pytest.raises(ValidationError) as caught:
        services_tests.attempt_submit(test=test, employee=employee, answers=chosen, by=user)
    assert caught.value.message_dict == {"answers": ["Answer every question; still open: 1."]}
    assert not Attempt.objects.exists()


def test_below_the_pass_mark_fails(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=3)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    attempt = submit(test, employee, user, right=1)
    assert attempt.score_percent == Decimal("33.33")
    assert attempt.passed is False


def test_a_learner_without_the_programme_is_refused(cast: Cast) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module)
    employee, user = learner(cast)
    with pytest.raises(ValidationError) as caught:
        submit(test, employee, user, right=4)
    assert "follows no active programme that holds this test" in caught.value.messages[0]
    assert not Attempt.objects.exists()


def test_nobody_takes_a_test_for_someone_else(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module)
    assigned_learner(cast, version)
    employee, _user = learner(cast)
    with pytest.raises(PermissionDenied):
        submit(test, employee, acting(cast, Role.HR), right=4)


def test_practice_never_counts(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, max_attempts=1)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    for _round in range(3):
        practice = submit(test, employee, user, right=0, practice=True)
        assert (practice.is_practice, practice.number, practice.passed) == (True, 0, None)
    state = services_tests.attempt_state(test, employee)
    assert (state.used, state.remaining, state.blocked) == (0, 1, False)
    assert not Escalation.objects.exists()


def test_the_last_failed_attempt_blocks_and_escalates_to_hr(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, max_attempts=3)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    for number in (1, 2, 3):
        attempt = submit(test, employee, user, right=1)
        assert attempt.number == number
    escalation = Escalation.objects.get()
    assert (escalation.employee, escalation.decided_at) == (employee, None)
    with pytest.raises(ValidationError) as caught:
        submit(test, employee, user, right=4)
    assert caught.value.message_dict["test"] == [
        "You used all 3 attempts; HR decides how you go on (one more attempt, or first a "
        "repeat of the training)."
    ]
    assert Attempt.objects.filter(is_practice=False).count() == 3


def test_hr_allows_one_more_attempt(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, max_attempts=1)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    submit(test, employee, user, right=0)
    services_tests.escalation_decide(
        escalation=Escalation.objects.get(),
        by=acting(cast, Role.HR),
        decision=EscalationDecision.EXTRA_ATTEMPT,
    )
    attempt = submit(test, employee, user, right=4)
    assert (attempt.number, attempt.passed) == (2, True)


def test_hr_stops_the_test_with_a_reason(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, max_attempts=1)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    submit(test, employee, user, right=0)
    escalation = Escalation.objects.get()
    with pytest.raises(ValidationError) as caught:
        services_tests.escalation_decide(
            escalation=escalation, by=acting(cast, Role.HR), decision=EscalationDecision.STOP
        )
    assert caught.value.message_dict == {"note": [str(ERRORS["note_required_stop"])]}
    services_tests.escalation_decide(
        escalation=escalation,
        by=acting(cast, Role.HR),
        decision=EscalationDecision.STOP,
        note="Past niet bij deze functie.",
    )
    with pytest.raises(ValidationError) as stopped:
        submit(test, employee, user, right=4)
    assert "HR stopped this test" in stopped.value.message_dict["test"][0]


def test_a_line_manager_cannot_decide_an_escalation(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, max_attempts=1)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    submit(test, employee, user, right=0)
    with pytest.raises(PermissionDenied):
        services_tests.escalation_decide(
            escalation=Escalation.objects.get(),
            by=acting(cast, Role.MANAGER),
            decision=EscalationDecision.EXTRA_ATTEMPT,
        )


def test_passing_issues_the_attest_once(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, attest_title="Bevoegd afvuller", attest_valid_months=24)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    attempt = submit(test, employee, user, right=4)
    certificate = Certificate.objects.get()
    assert (certificate.employee, certificate.title, certificate.attempt) == (
        employee,
        "Bevoegd afvuller",
        attempt,
    )
    assert certificate.expires_on is not None
    assert (certificate.expires_on - certificate.issued_on).days in range(729, 733)
    with pytest.raises(ValidationError):
        submit(test, employee, user, right=4)  # passed already
    assert Certificate.objects.count() == 1


def test_the_copy_of_a_module_in_a_new_version_still_holds_the_test(cast: Cast) -> None:
    from tests.training.factories import approved_programme

    _version, module = programme_module(cast)
    test = questionnaire(cast, module)
    newer = approved_programme(cast, code="TST2")
    copy = newer.modules.get(title="Saus afvullen")
    copy.copied_from = module
    copy.save()
    employee, user = learner(cast)
    assigned(cast, newer, employee=employee)
    assert submit(test, employee, user, right=4).passed is True


# --- Practical ------------------------------------------------------------------------------------


def test_an_observer_scores_the_checklist(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = practical(cast, module)
    assigned_learner(cast, version)
    employee, _user = learner(cast)
    ticked = {str(c.pk): True for c in test.criteria.all()}
    attempt = services_tests.practical_record(
        test=test,
        employee=employee,
        checked=ticked,
        observer=cast.employees[Role.INSTRUCTOR],
        by=acting(cast, Role.INSTRUCTOR),
        note="Vlot en veilig.",
    )
    assert (attempt.passed, attempt.score_percent) == (True, Decimal("100.00"))
    assert Certificate.objects.get().title == "Bevoegd afvuller"


def test_a_missed_critical_criterion_fails_whatever_the_score(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = practical(cast, module)
    assigned_learner(cast, version)
    employee, _user = learner(cast)
    critical = test.criteria.get(is_critical=True)
    ticked = {str(c.pk): c.pk != critical.pk for c in test.criteria.all()}
    attempt = services_tests.practical_record(
        test=test,
        employee=employee,
        checked=ticked,
        observer=cast.employees[Role.INSTRUCTOR],
        by=acting(cast, Role.INSTRUCTOR),
    )
    assert attempt.score_percent == Decimal("66.67")
    assert attempt.passed is False
    assert not Certificate.objects.exists()


def test_nobody_observes_his_own_practical_test(cast: Cast) -> None:
    version, module = programme_module(cast)
    test = practical(cast, module)
    hr_person = cast.employees[Role.HR]
    assigned(cast, version, employee=hr_person)
    with pytest.raises(ValidationError) as caught:
        services_tests.practical_record(
            test=test,
            employee=hr_person,
            checked={},
            observer=hr_person,
            by=acting(cast, Role.HR),
        )
    assert caught.value.message_dict == {"observer": [str(ERRORS["observer_is_learner"])]}
    assert not Attempt.objects.exists()
