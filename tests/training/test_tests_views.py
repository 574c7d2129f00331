"""The tests pages: authoring, the learner's phone page scored on the server, refusals (not
assigned, the limit, self-observation, bad photos, empty posts), HR's decision, the sections on
shared pages and query counts that stay the same whatever the data size."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.training.forms_tests import answer_field_name, criterion_field_name
from leerplek.training.models import Attempt, Escalation, Question
from leerplek.training.models import Test as TrainingTest
from tests.factories import Cast
from tests.training.factories import assigned
from tests.training.factories_tests import (
    answers,
    assigned_learner,
    learner,
    photo_question,
    practical,
    programme_module,
    questionnaire,
    submit,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"training:{name}", args=args)


def posted(test: TrainingTest, right: int) -> dict[str, str]:
    return {answer_field_name(int(pk)): str(choice) for pk, choice in answers(test, right).items()}


# --- Authoring ------------------------------------------------------------------------------------


def test_an_author_creates_a_test_with_the_defaults(cast: Cast, client_for: Any) -> None:
    _version, module = programme_module(cast)
    client = client_for(cast.user(Role.INSTRUCTOR))
    page = client.get(url("test-create"))
    assert 'value="65"' in page.content.decode()
    response = client.post(
        url("test-create"),
        {
            "title": "Afvullen eindtest",
            "kind": "questionnaire",
            "module": module.pk,
            "pass_percent": "65",
            "max_attempts": "3",
            "allow_practice": "on",
            "issues_attest": "on",
        },
    )
    test = TrainingTest.objects.get()
    assert response["Location"] == url("test-detail", test.pk)
    assert (test.title, test.module, test.pass_percent) == ("Afvullen eindtest", module, 65)


def test_a_test_without_a_link_is_refused_on_the_field(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).post(
        url("test-create"),
        {"title": "Los", "kind": "questionnaire", "pass_percent": "65", "max_attempts": "3"},
    )
    assert response.status_code == 422
    assert "Link the test to a module, a phase or a programme." in response.content.decode()
    assert not TrainingTest.objects.exists()


def test_the_detail_page_shows_the_question_bank(cast: Cast, client_for: Any) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=2, publish=False)
    photo_question(cast, test)
    body = client_for(cast.user(Role.HR)).get(url("test-detail", test.pk)).content.decode()
    assert "Vraag 1" in body
    assert "Juist 2" in body
    assert "Welke ketel is correct gesloten?" in body
    assert url("test-choice-photo", test.questions.last().choices.first().pk) in body  # type: ignore[union-attr]


def test_a_fake_photo_is_refused_with_the_field_named(cast: Cast, client_for: Any) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=0, publish=False)
    fake = SimpleUploadedFile("ketel.jpg", b"<?php echo 'no photo'; ?>", "image/jpeg")
    response = client_for(cast.user(Role.HR)).post(
        url("test-question-add", test.pk),
        {"kind": "photo", "text": "Welke ketel?", "points": "1", "photo": fake},
    )
    assert response.status_code == 422
    assert "photo with the question: ketel.jpg is not a photo inside" in response.content.decode()
    assert not Question.objects.exists()


def test_an_empty_post_removes_nothing(cast: Cast, client_for: Any) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=1, publish=False)
    question = test.questions.get()
    client = client_for(cast.user(Role.HR))
    response = client.post(url("test-question-remove", question.pk), {})
    assert response.status_code == 422
    assert Question.objects.filter(pk=question.pk).exists()
    client.post(url("test-question-remove", question.pk), {"confirm": "on"})
    assert not Question.objects.filter(pk=question.pk).exists()


def test_an_employee_may_not_author(cast: Cast, client_for: Any) -> None:
    assert client_for(cast.user(Role.EMPLOYEE)).get(url("test-list")).status_code == 403


# --- Taking ---------------------------------------------------------------------------------------


def test_the_learner_takes_the_test_and_the_server_scores_it(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module)
    assigned_learner(cast, version)
    client = client_for(cast.user(Role.EMPLOYEE))
    page = client.get(url("test-take", test.pk)).content.decode()
    assert "This is attempt 1 of 3." in page
    data = posted(test, right=2)
    data["score_percent"] = "100"  # a browser's own score is never read
    response = client.post(url("test-submit", test.pk), data)
    attempt = Attempt.objects.get()
    assert response["Location"] == url("test-attempt", attempt.pk)
    assert (str(attempt.score_percent), attempt.passed) == ("50.00", False)
    result = client.get(response["Location"]).content.decode()
    assert "Not passed" in result
    assert "You have 2 more attempts." in result
    assert "Uitleg 3" in result


def test_an_unanswered_question_is_named(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=2)
    assigned_learner(cast, version)
    data = posted(test, right=2)
    data.pop(next(iter(data)))
    response = client_for(cast.user(Role.EMPLOYEE)).post(url("test-submit", test.pk), data)
    assert response.status_code == 422
    assert "Choose an answer to question 1." in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_learner_who_is_not_assigned_is_refused(cast: Cast, client_for: Any) -> None:
    _version, module = programme_module(cast)
    test = questionnaire(cast, module)
    client = client_for(cast.user(Role.EMPLOYEE))
    page = client.get(url("test-take", test.pk))
    assert "follows no active programme that holds this test" in page.content.decode()
    assert 'name="q' not in page.content.decode()
    response = client.post(url("test-submit", test.pk), posted(test, right=4))
    assert response.status_code == 403
    assert not Attempt.objects.exists()


def test_attempts_beyond_the_limit_are_refused(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, max_attempts=2)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    submit(test, employee, user, right=0)
    submit(test, employee, user, right=0)
    client = client_for(cast.user(Role.EMPLOYEE))
    page = client.get(url("test-take", test.pk)).content.decode()
    assert "You used all 2 attempts; HR decides" in page
    response = client.post(url("test-submit", test.pk), posted(test, right=4))
    assert response.status_code == 422
    assert Attempt.objects.count() == 2
    assert Escalation.objects.filter(decided_at__isnull=True).count() == 1


def test_practice_shows_the_right_answer_and_never_counts(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, questions=2)
    assigned_learner(cast, version)
    client = client_for(cast.user(Role.EMPLOYEE))
    response = client.post(url("test-practice-submit", test.pk), posted(test, right=1))
    body = client.get(response["Location"]).content.decode()
    assert "Practice never counts." in body
    assert "The right answer:" in body
    assert "Juist 2" in body
    assert "Uitleg 2" in body
    assert not Attempt.objects.filter(is_practice=False).exists()


def test_someone_elses_result_is_not_shown(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    attempt = submit(test, employee, user, right=4)
    response = client_for(cast.user(Role.MENTOR)).get(url("test-attempt", attempt.pk))
    assert response.status_code == 302
    assert client_for(cast.user(Role.HR)).get(url("test-attempt", attempt.pk)).status_code == 200


# --- Observing ------------------------------------------------------------------------------------


def test_an_instructor_scores_a_practical_test(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = practical(cast, module)
    assigned_learner(cast, version)
    employee, _user = learner(cast)
    client = client_for(cast.user(Role.INSTRUCTOR))
    listing = client.get(url("test-observe", test.pk)).content.decode()
    assert str(employee) in listing
    data = {criterion_field_name(c.pk): "on" for c in test.criteria.all()}
    response = client.post(url("test-observe-learner", test.pk, employee.pk), data)
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert (attempt.passed, attempt.observer) == (True, cast.employees[Role.INSTRUCTOR])


def test_nobody_scores_his_own_practical_test(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = practical(cast, module)
    hr_person = cast.employees[Role.HR]
    assigned(cast, version, employee=hr_person)
    client = client_for(cast.user(Role.HR))
    page = client.get(url("test-observe-learner", test.pk, hr_person.pk)).content.decode()
    assert "You cannot observe your own practical test" in page
    data = {criterion_field_name(c.pk): "on" for c in test.criteria.all()}
    response = client.post(url("test-observe-learner", test.pk, hr_person.pk), data)
    assert response.status_code == 422
    assert not Attempt.objects.exists()


def test_a_mentor_who_guides_nobody_here_may_not_observe(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = practical(cast, module)
    assigned_learner(cast, version)
    assert client_for(cast.user(Role.MENTOR)).get(url("test-observe", test.pk)).status_code == 403


# --- HR -------------------------------------------------------------------------------------------


def test_hr_decides_and_an_empty_post_decides_nothing(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, max_attempts=1)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    submit(test, employee, user, right=0)
    escalation = Escalation.objects.get()
    client = client_for(cast.user(Role.HR))
    assert str(employee) in client.get(url("test-escalations")).content.decode()
    empty = client.post(url("test-escalation-decide", escalation.pk), {})
    assert empty.status_code == 422
    escalation.refresh_from_db()
    assert escalation.decided_at is None
    client.post(url("test-escalation-decide", escalation.pk), {"decision": "extra_attempt"})
    escalation.refresh_from_db()
    assert (escalation.decision, escalation.extra_attempts) == ("extra_attempt", 1)
    learner_page = client_for(cast.user(Role.EMPLOYEE)).get(url("test-take", test.pk))
    assert "This is attempt 2 of 2." in learner_page.content.decode()


# --- Shared pages ---------------------------------------------------------------------------------


def test_the_home_page_lists_the_tests_to_take(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module)
    assigned_learner(cast, version)
    body = client_for(cast.user(Role.EMPLOYEE)).get(reverse("core:home")).content.decode()
    assert url("test-take", test.pk) in body


def test_hr_home_shows_learners_waiting_for_a_decision(cast: Cast, client_for: Any) -> None:
    version, module = programme_module(cast)
    test = questionnaire(cast, module, max_attempts=1)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    submit(test, employee, user, right=0)
    body = client_for(cast.user(Role.HR)).get(reverse("core:home")).content.decode()
    assert "1 learner waits for your decision after a failed test" in body


# --- Query counts ---------------------------------------------------------------------------------


def _same_count(client: Any, first: str, second: str, limit: int, assert_max: Any) -> None:
    with assert_max(limit) as small:
        assert client.get(first).status_code == 200
    count = len(small.captured_queries)
    with assert_max(count) as large:
        assert client.get(second).status_code == 200
    assert len(large.captured_queries) == count


def test_the_detail_page_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    version, module = programme_module(cast)
    small = questionnaire(cast, module, questions=1)
    large = questionnaire(cast, module, title="Groot", questions=25)
    assigned_learner(cast, version)
    employee, user = learner(cast)
    submit(large, employee, user, right=25)
    _same_count(
        client_for(cast.user(Role.HR)),
        url("test-detail", small.pk),
        url("test-detail", large.pk),
        20,
        django_assert_max_num_queries,
    )


def test_the_take_page_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    version, module = programme_module(cast)
    small = questionnaire(cast, module, questions=1)
    large = questionnaire(cast, module, title="Groot", questions=30)
    assigned_learner(cast, version)
    _same_count(
        client_for(cast.user(Role.EMPLOYEE)),
        url("test-take", small.pk),
        url("test-take", large.pk),
        20,
        django_assert_max_num_queries,
    )


def test_the_lists_keep_their_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    version, module = programme_module(cast)
    questionnaire(cast, module)
    assigned_learner(cast, version)
    hr = client_for(cast.user(Role.HR))
    pages = [url("test-list"), url("test-escalations"), url("my-tests"), reverse("core:home")]
    counts = {}
    # 30: the home page carries a card of every module (registration added three queries).
    for page in pages:
        with django_assert_max_num_queries(30) as captured:
            assert hr.get(page).status_code == 200
        counts[page] = len(captured.captured_queries)
    for number in range(8):
        test = questionnaire(cast, module, title=f"Test {number}", max_attempts=1)
        employee, user = learner(cast)
        submit(test, employee, user, right=0)
    for page in pages:
        with django_assert_max_num_queries(counts[page]):
            assert hr.get(page).status_code == 200


def test_the_observer_list_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import EmployeeFactory

    version, module = programme_module(cast)
    test = practical(cast, module)
    assigned_learner(cast, version)
    client = client_for(cast.user(Role.HR))
    with django_assert_max_num_queries(20) as small:
        assert client.get(url("test-observe", test.pk)).status_code == 200
    for _number in range(10):
        assigned(
            cast,
            version,
            employee=EmployeeFactory(organisation=cast.organisation, unit=cast.packaging),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url("test-observe", test.pk)).content.decode()
    assert body.count("Score now") == 11


def test_a_recurring_test_lists_who_is_due_and_its_high_scorers(
    cast: Cast, client_for: Any
) -> None:
    """TEST-04 and TEST-05 on the test's page: due and overdue people, and the best scorers."""
    import datetime

    from django.utils import timezone

    _version, module = programme_module(cast, code="REP")
    test = questionnaire(cast, module, title="Jaarlijkse toets")
    test.repeat_months = 12
    test.save()
    assert cast.worker is not None
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Attempt.objects.create(
        organisation=cast.organisation,
        test=test,
        employee=cast.worker,
        number=1,
        submitted_at=long_ago,
        points=4,
        max_points=4,
        score_percent=100,
        passed=True,
    )
    page = client_for(cast.user(Role.HR)).get(reverse("training:test-detail", args=[test.pk]))
    body = page.content.decode()
    assert "Wout Werker" in body
    assert "overdue" in body
    assert "High scorers" in body


def test_the_learner_sees_the_fiches_to_prepare_with(cast: Cast, client_for: Any) -> None:
    """TEST-04: preparation material linked to the test shows on the learner's test page."""
    from leerplek.training import services_tests
    from tests.training.factories import approved_instruction

    version, module = programme_module(cast, code="PREP")
    test = questionnaire(cast, module, title="Toets met fiche", publish=False)
    fiche = approved_instruction(cast, code="WI-PREP")
    services_tests.test_update(test=test, by=acting_hr(cast), preparation=[fiche])
    services_tests.test_set_status(test=test, by=acting_hr(cast), status="published")
    assigned_learner(cast, version)
    page = client_for(cast.user(Role.EMPLOYEE)).get(reverse("training:test-take", args=[test.pk]))
    assert "WI-PREP" in page.content.decode()


def acting_hr(cast: Cast) -> Any:
    from tests.training.factories_tests import acting

    return acting(cast, Role.HR)
