"""Pages of the tests area (TEST-01, 02, 06, 08; see docs/training-tests-certificates.md).

- Authoring (`training.author_tests`): the library of tests, a test's settings, its question
  bank (multiple choice, true or false, pick the right photo) or its checklist; publishing.
- Taking (`training.take_tests`, one's own): the tests of the programmes the learner follows, a
  phone-first page per test, practice with feedback per question, the result. Only a learner
  assigned to a programme holding the test reaches it; anyone else is refused with the reason.
- Observing (`training.observe_tests`): the observer ticks the checklist of a practical test
  for a learner, never for himself.
- Escalations (`training.decide_escalations`): HR decides after the last failed attempt.

Every form posts to its own URL; a refused form comes back with its errors (422).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import Employee
from leerplek.training import selectors_tests, services_tests
from leerplek.training.forms_tests import (
    AnswerForm,
    ChoiceForm,
    ConfirmForm,
    CriterionForm,
    EscalationForm,
    ObservationForm,
    QuestionEditForm,
    QuestionForm,
    StatusForm,
    TestFilterForm,
    TestForm,
    put_errors,
)
from leerplek.training.models import (
    Attempt,
    Choice,
    Escalation,
    PracticalCriterion,
    Question,
    QuestionKind,
    Test,
    TestKind,
    TestStatus,
)
from leerplek.training.services_tests import ERRORS

AUTHOR = "training.author_tests"
TAKE = "training.take_tests"
OBSERVE = "training.observe_tests"
DECIDE = "training.decide_escalations"
PAGE_SIZE = 25
STYLESHEET = "training/tests.css"


def _posted(request: HttpRequest) -> Any:
    """The posted data, also when empty (an empty POST is a refused form, not a blank one)."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _optional_url(name: str, **kwargs: Any) -> str:
    """A link to another area's page, when that page exists in this install."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _save(form: BaseForm, write: Any) -> Any:
    """Validate, call one service; its errors go next to the field they name (or above)."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data) or True
    except ValidationError as error:
        put_errors(form, error)
        return None


def _detail_url(test: Test, anchor: str = "") -> str:
    url = reverse("training:test-detail", kwargs={"test_id": test.pk})
    return f"{url}#{anchor}" if anchor else url


# --- Authoring ------------------------------------------------------------------------------------


def _test(request: OrganisationHttpRequest, test_id: int) -> Test:
    return get_object_or_404(
        selectors_tests.tests_of(organisation_id=request.organisation.pk), pk=test_id
    )


@requires(AUTHOR)
def test_list(request: OrganisationHttpRequest) -> HttpResponse:
    """The library of tests with their status, link and results so far."""
    form = TestFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    tests = selectors_tests.library_list(
        organisation_id=request.organisation.pk,
        query=data.get("q") or "",
        status=data.get("status") or "",
    )
    page = Paginator(tests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/tests/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": [(test, selectors_tests.link_label(test)) for test in page.object_list],
            "filtered": any(data.values()),
            "can_decide": request.user.has_perm(DECIDE),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def test_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = TestForm(_posted(request), organisation=request.organisation)
    if request.method == "POST" and (
        test := _save(
            form,
            lambda data: services_tests.test_create(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(
            request, _("The test was created as a draft. Now add its questions or criteria.")
        )
        return redirect(_detail_url(test))
    return form_page(
        request,
        form,
        {
            "title": _("New test"),
            "back_url": reverse("training:test-list"),
            "intro": _(
                "A questionnaire is scored automatically; a practical exercise is scored by an "
                "observer on a checklist. The brochure's example: 65 % with 2 retakes."
            ),
            "submit": _("Create the test"),
        },
    )


@requires(AUTHOR)
def test_detail(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    """The test's settings, question bank or checklist, publishing and latest results."""
    test = _test(request, test_id)
    view = selectors_tests.question_bank(test=test)
    return render(
        request,
        "training/tests/detail.html",
        {
            "test": test,
            "view": view,
            "link": selectors_tests.link_label(test),
            "editable": view.editable,
            "can_observe": test.kind == TestKind.PRACTICAL
            and test.status == TestStatus.PUBLISHED
            and request.user.has_perm(OBSERVE),
            "due": selectors_tests.recurring_due(test=test),
            "high_scorers": selectors_tests.high_scorers(test=test),
        },
    )


def _locked_redirect(request: OrganisationHttpRequest, test: Test) -> HttpResponse | None:
    """Back to the test when it is no longer a draft (the services refuse it too)."""
    if test.status == TestStatus.DRAFT:
        return None
    messages.error(
        request,
        str(ERRORS["not_draft"]) % {"status": test.get_status_display().lower()},
    )
    return redirect(_detail_url(test))


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def test_edit(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    test = _test(request, test_id)
    if locked := _locked_redirect(request, test):
        return locked
    initial: dict[str, Any] = {name: getattr(test, name) for name in services_tests.TEST_FIELDS}
    initial["preparation"] = list(test.preparation.values_list("pk", flat=True))
    form = TestForm(_posted(request), organisation=request.organisation, initial=initial)
    if request.method == "POST" and _save(
        form,
        lambda data: services_tests.test_update(test=test, by=request.user, **data),
    ):
        messages.success(request, _("The test was saved."))
        return redirect(_detail_url(test))
    return form_page(
        request,
        form,
        {"title": _("Settings of %(test)s") % {"test": test}, "back_url": _detail_url(test)},
    )


@require_POST
@requires(AUTHOR)
def test_status(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    """Publish, take back to draft or archive (a hidden field says which)."""
    test = _test(request, test_id)
    form = StatusForm(request.POST)
    if _save(
        form,
        lambda data: services_tests.test_set_status(
            test=test, by=request.user, status=data["status"]
        ),
    ):
        test.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("The test is now %(status)s.") % {"status": test.get_status_display().lower()},
        )
        return redirect(_detail_url(test))
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    view = selectors_tests.question_bank(test=test)
    return render(
        request,
        "training/tests/detail.html",
        {
            "test": test,
            "view": view,
            "link": selectors_tests.link_label(test),
            "editable": view.editable,
        },
        status=422,
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def question_add(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    test = _test(request, test_id)
    if locked := _locked_redirect(request, test):
        return locked
    if test.kind != TestKind.QUESTIONNAIRE:
        messages.info(request, str(ERRORS["question_kind_wrong_test"]))
        return redirect(_detail_url(test))
    form = QuestionForm(_posted(request), _files(request))
    if request.method == "POST" and (
        question := _save(
            form,
            lambda data: services_tests.question_add(test=test, by=request.user, **data),
        )
    ):
        if question.kind == QuestionKind.TRUE_FALSE:
            messages.success(request, _("The question was added with its two answers."))
            return redirect(_detail_url(test, f"question-{question.pk}"))
        messages.success(request, _("The question was added. Now add its answers."))
        return redirect("training:test-choice-add", test_question_id=question.pk)
    return form_page(
        request,
        form,
        {
            "title": _("New question for %(test)s") % {"test": test},
            "back_url": _detail_url(test, "questions"),
            "submit": _("Add the question"),
            "stylesheet": STYLESHEET,
        },
    )


def _question(request: OrganisationHttpRequest, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("test", "test__organisation"),
        organisation_id=request.organisation.pk,
        pk=question_id,
    )


def _choice(request: OrganisationHttpRequest, choice_id: int) -> Choice:
    return get_object_or_404(
        Choice.objects.select_related("question", "question__test", "question__test__organisation"),
        organisation_id=request.organisation.pk,
        pk=choice_id,
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def question_edit(request: OrganisationHttpRequest, test_question_id: int) -> HttpResponse:
    question = _question(request, test_question_id)
    test = question.test
    if locked := _locked_redirect(request, test):
        return locked
    form = QuestionEditForm.for_question(question, _posted(request), _files(request))
    if request.method == "POST" and _save(
        form,
        lambda data: services_tests.question_update(question=question, by=request.user, **data),
    ):
        messages.success(request, _("The question was saved."))
        return redirect(_detail_url(test, f"question-{question.pk}"))
    return form_page(
        request,
        form,
        {
            "title": _("Change question %(number)s") % {"number": question.position},
            "back_url": _detail_url(test, f"question-{question.pk}"),
        },
    )


def _confirm(
    request: OrganisationHttpRequest,
    *,
    title: str,
    question: str,
    back: str,
    write: Any,
    success: str,
    done: str,
) -> HttpResponse:
    """Ask first; remove only on a POST with the box ticked (an empty POST removes nothing)."""
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and _save(form, lambda _data: write()):
        messages.success(request, success)
        return redirect(done)
    return form_page(
        request,
        form,
        {
            "title": title,
            "back_url": back,
            "intro": question,
            "submit": _("Remove"),
            "danger": True,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def question_remove(request: OrganisationHttpRequest, test_question_id: int) -> HttpResponse:
    question = _question(request, test_question_id)
    test = question.test
    if locked := _locked_redirect(request, test):
        return locked
    return _confirm(
        request,
        title=_("Remove question %(number)s") % {"number": question.position},
        question=_("Remove '%(text)s' and its answers from the test?") % {"text": question.text},
        back=_detail_url(test, f"question-{question.pk}"),
        write=lambda: services_tests.question_remove(question=question, by=request.user),
        success=_("The question was removed."),
        done=_detail_url(test, "questions"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def choice_add(request: OrganisationHttpRequest, test_question_id: int) -> HttpResponse:
    question = _question(request, test_question_id)
    test = question.test
    if locked := _locked_redirect(request, test):
        return locked
    if question.kind == QuestionKind.TRUE_FALSE:
        messages.info(request, str(ERRORS["choice_true_false"]))
        return redirect(_detail_url(test, f"question-{question.pk}"))
    form = ChoiceForm(_posted(request), _files(request), question=question)
    if request.method == "POST" and _save(
        form,
        lambda data: services_tests.choice_add(question=question, by=request.user, **data),
    ):
        messages.success(request, _("The answer was added."))
        if "another" in request.POST:
            return redirect("training:test-choice-add", test_question_id=question.pk)
        return redirect(_detail_url(test, f"question-{question.pk}"))
    choices = list(question.choices.order_by("position", "id"))
    return form_page(
        request,
        form,
        {
            "title": _("Answers to question %(number)s") % {"number": question.position},
            "back_url": _detail_url(test, f"question-{question.pk}"),
            "question": question,
            "choices": choices,
            "submit": _("Add the answer"),
            "stylesheet": STYLESHEET,
        },
        template="training/tests/choice_form.html",
    )


@require_POST
@requires(AUTHOR)
def choice_correct(request: OrganisationHttpRequest, test_choice_id: int) -> HttpResponse:
    """Make this answer the right one (a POST with `correct`; an empty POST changes nothing)."""
    choice = _choice(request, test_choice_id)
    test = choice.question.test
    if request.POST.get("correct") != "1":
        messages.error(request, _("Choose the answer to mark as the right one."))
        return redirect(_detail_url(test, f"question-{choice.question_id}"))
    try:
        services_tests.choice_mark_correct(choice=choice, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The right answer was changed."))
    return redirect(_detail_url(test, f"question-{choice.question_id}"))


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def choice_remove(request: OrganisationHttpRequest, test_choice_id: int) -> HttpResponse:
    choice = _choice(request, test_choice_id)
    test = choice.question.test
    if locked := _locked_redirect(request, test):
        return locked
    return _confirm(
        request,
        title=_("Remove an answer"),
        question=_("Remove the answer '%(text)s'?") % {"text": choice.text or choice.position},
        back=_detail_url(test, f"question-{choice.question_id}"),
        write=lambda: services_tests.choice_remove(choice=choice, by=request.user),
        success=_("The answer was removed."),
        done=_detail_url(test, f"question-{choice.question_id}"),
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def criterion_add(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    test = _test(request, test_id)
    if locked := _locked_redirect(request, test):
        return locked
    if test.kind != TestKind.PRACTICAL:
        messages.info(request, str(ERRORS["criterion_wrong_test"]))
        return redirect(_detail_url(test))
    form = CriterionForm(_posted(request))
    if request.method == "POST" and _save(
        form,
        lambda data: services_tests.criterion_add(test=test, by=request.user, **data),
    ):
        messages.success(request, _("The criterion was added to the checklist."))
        if "another" in request.POST:
            return redirect("training:test-criterion-add", test_id=test.pk)
        return redirect(_detail_url(test, "criteria"))
    return form_page(
        request,
        form,
        {
            "title": _("New criterion for %(test)s") % {"test": test},
            "back_url": _detail_url(test, "criteria"),
            "submit": _("Add the criterion"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(AUTHOR)
def criterion_remove(request: OrganisationHttpRequest, test_criterion_id: int) -> HttpResponse:
    criterion = get_object_or_404(
        PracticalCriterion.objects.select_related("test", "test__organisation"),
        test__organisation_id=request.organisation.pk,
        pk=test_criterion_id,
    )
    test = criterion.test
    if locked := _locked_redirect(request, test):
        return locked
    return _confirm(
        request,
        title=_("Remove a criterion"),
        question=_("Remove '%(text)s' from the checklist?") % {"text": criterion.text},
        back=_detail_url(test, "criteria"),
        write=lambda: services_tests.criterion_remove(criterion=criterion, by=request.user),
        success=_("The criterion was removed."),
        done=_detail_url(test, "criteria"),
    )


def _photo_response(field: Any) -> HttpResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    # A streamed file, not an HttpResponse subclass; Django's handler takes either.
    return response  # type: ignore[return-value]


@requires("training.view_programmes")
def question_photo(request: OrganisationHttpRequest, test_question_id: int) -> HttpResponse:
    """The photo of a question (test content, shown to every member like the programmes)."""
    return _photo_response(_question(request, test_question_id).photo)


@requires("training.view_programmes")
def choice_photo(request: OrganisationHttpRequest, test_choice_id: int) -> HttpResponse:
    """The photo of an answer of a photo question."""
    return _photo_response(_choice(request, test_choice_id).photo)


# --- Taking a test --------------------------------------------------------------------------------


def _own_employee(request: OrganisationHttpRequest) -> Employee:
    if request.access.employee_id is None:
        raise PermissionDenied
    employee = get_object_or_404(
        Employee.objects.select_related("unit"),
        organisation_id=request.organisation.pk,
        pk=request.access.employee_id,
    )
    if not request.user.has_perm(TAKE, employee):
        raise PermissionDenied
    return employee


def _refused(
    request: OrganisationHttpRequest, test: Test, message: str, status: int
) -> HttpResponse:
    return render(
        request,
        "training/tests/refused.html",
        {"test": test, "message": message, "back_url": reverse("training:my-tests")},
        status=status,
    )


def _learner_of(request: OrganisationHttpRequest, test: Test) -> tuple[Employee | None, Any]:
    """The user as a learner of `test`: his person record and his assignment holding the test
    (None, None without a person record; employee, None when he is not assigned)."""
    if request.access.employee_id is None:
        return None, None
    employee = (
        Employee.objects.select_related("unit")
        .filter(organisation_id=request.organisation.pk, pk=request.access.employee_id)
        .first()
    )
    if employee is None or not request.user.has_perm(TAKE, employee):
        return None, None
    return employee, services_tests.assignment_for(test, employee)


@requires(TAKE)
def my_tests(request: OrganisationHttpRequest) -> HttpResponse:
    """The tests of the programmes the learner follows, with his attempts and what is left."""
    employee = _own_employee(request)
    rows = selectors_tests.tests_for_learner(
        employee_id=employee.pk, organisation_id=request.organisation.pk
    )
    return render(
        request,
        "training/tests/mine.html",
        {"rows": rows, "back_url": _optional_url("training:mine")},
    )


def _take_page(
    request: OrganisationHttpRequest,
    test: Test,
    employee: Employee,
    *,
    practice: bool,
    form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    state = services_tests.attempt_state(test, employee)
    questions = (
        form.questions if form is not None else selectors_tests.questions_to_answer(test=test)
    )
    refusal = ""
    if test.status != TestStatus.PUBLISHED:
        refusal = str(ERRORS["not_published"])
    elif test.kind != TestKind.QUESTIONNAIRE:
        refusal = _("This is a practical test: an observer scores it while you do the work.")
    elif practice and not test.allow_practice:
        refusal = str(ERRORS["no_practice"])
    elif not practice and state.passed_on is not None:
        refusal = str(ERRORS["already_passed"]) % {"name": employee, "date": state.passed_on}
    elif not practice and state.stopped_on is not None:
        refusal = str(ERRORS["stopped"]) % {"name": employee, "date": state.stopped_on}
    elif not practice and state.blocked:
        refusal = str(ERRORS["blocked"]) % {"allowed": state.allowed}
    show_form = not refusal and bool(questions)
    return render(
        request,
        "training/tests/take.html",
        {
            "test": test,
            "state": state,
            "practice": practice,
            "refusal": refusal,
            "form": (form or AnswerForm(questions=questions)) if show_form else None,
            "submit_url": reverse(
                "training:test-practice-submit" if practice else "training:test-submit",
                kwargs={"test_id": test.pk},
            ),
            "back_url": reverse("training:my-tests"),
            "preparation": list(test.preparation.order_by("code")),
        },
        status=status,
    )


def _take(request: OrganisationHttpRequest, test_id: int, *, practice: bool) -> HttpResponse:
    """The learner's page of the test. Every member may open the link (a shared phone, a
    forwarded message); only a learner assigned to a programme holding the test sees the
    questions, anyone else reads why not."""
    test = _test(request, test_id)
    employee, assignment = _learner_of(request, test)
    if employee is None or assignment is None:
        name = employee or request.user.get_full_name() or request.user
        return _refused(request, test, str(ERRORS["not_assigned"]) % {"name": name}, status=200)
    return _take_page(request, test, employee, practice=practice)


def _submit(request: OrganisationHttpRequest, test_id: int, *, practice: bool) -> HttpResponse:
    """Score the posted answers on the server; a learner not assigned is refused (403)."""
    test = _test(request, test_id)
    employee, assignment = _learner_of(request, test)
    if employee is None:
        raise PermissionDenied
    if assignment is None:
        return _refused(request, test, str(ERRORS["not_assigned"]) % {"name": employee}, status=403)
    form = AnswerForm(request.POST, questions=selectors_tests.questions_to_answer(test=test))
    attempt = _save(
        form,
        lambda data: services_tests.attempt_submit(
            test=test, employee=employee, answers=form.answers(), by=request.user, practice=practice
        ),
    )
    if attempt:
        return redirect("training:test-attempt", test_attempt_id=attempt.pk)
    return _take_page(request, test, employee, practice=practice, form=form, status=422)


@requires("training.view_programmes")
def test_take(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    """Take the test: the questions on one phone-sized page, scored on the server."""
    return _take(request, test_id, practice=False)


@requires("training.view_programmes")
def test_practice(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    """Practise: the same questions, with feedback per question; it never counts."""
    return _take(request, test_id, practice=True)


@require_POST
@requires(TAKE)
def test_submit(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    return _submit(request, test_id, practice=False)


@require_POST
@requires(TAKE)
def test_practice_submit(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    return _submit(request, test_id, practice=True)


@requires("training.view_programmes")
def attempt_result(request: OrganisationHttpRequest, test_attempt_id: int) -> HttpResponse:
    """The result of an attempt: score, pass or fail, what is left, and per question whether
    it was right with the explanation (in practice also the right answer). The learner reads
    his own; whoever may read his programme (HR, his line, his guide) reads it too; anyone else
    is sent to his own tests."""
    attempt = get_object_or_404(
        Attempt.objects.select_related("test", "employee", "employee__unit", "observer"),
        organisation_id=request.organisation.pk,
        pk=test_attempt_id,
    )
    own = attempt.employee_id == request.access.employee_id and request.user.has_perm(
        TAKE, attempt.employee
    )
    if not own and not request.user.has_perm("training.view_assignments", attempt):
        messages.error(request, _("This is someone else's result."))
        return redirect("training:my-tests")
    test = attempt.test
    feedback = (
        selectors_tests.attempt_feedback(attempt=attempt)
        if test.kind == TestKind.QUESTIONNAIRE
        else []
    )
    criteria = list(test.criteria.order_by("position", "id")) if not feedback else []
    ticked = attempt.answers or {}
    return render(
        request,
        "training/tests/result.html",
        {
            "attempt": attempt,
            "own": own,
            "test": test,
            "state": services_tests.attempt_state(test, attempt.employee),
            "feedback": feedback,
            "criteria": [
                (criterion, bool(ticked.get(str(criterion.pk)))) for criterion in criteria
            ],
            "certificate": getattr(attempt, "certificate", None) if attempt.passed else None,
            "back_url": reverse("training:my-tests"),
        },
    )


# --- Observing a practical test -------------------------------------------------------------------


@requires(OBSERVE)
def test_observe(request: OrganisationHttpRequest, test_id: int) -> HttpResponse:
    """The learners this observer may score on the practical test."""
    test = _test(request, test_id)
    rows = selectors_tests.learners_to_observe(test=test, access=request.access)
    if not rows and not request.user.has_perm(OBSERVE, test):
        raise PermissionDenied
    return render(
        request,
        "training/tests/observe.html",
        {"test": test, "rows": rows, "link": selectors_tests.link_label(test)},
    )


def _observe_page(
    request: OrganisationHttpRequest,
    test: Test,
    assignment: Any,
    form: ObservationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    state = services_tests.attempt_state(test, assignment.employee)
    own = assignment.employee_id == request.access.employee_id
    refusal = ""
    if own:
        refusal = str(ERRORS["observer_is_learner"])
    elif test.kind != TestKind.PRACTICAL:
        refusal = str(ERRORS["not_practical"])
    elif test.status != TestStatus.PUBLISHED:
        refusal = str(ERRORS["not_published"])
    elif state.passed_on is not None:
        refusal = str(ERRORS["already_passed"]) % {
            "name": assignment.employee,
            "date": state.passed_on,
        }
    elif state.blocked:
        refusal = _("%(name)s used all %(allowed)s attempts; HR decides how he goes on.") % {
            "name": assignment.employee,
            "allowed": state.allowed,
        }
    criteria = list(test.criteria.order_by("position", "id"))
    return render(
        request,
        "training/tests/observe_learner.html",
        {
            "test": test,
            "assignment": assignment,
            "state": state,
            "refusal": refusal,
            "form": (form or ObservationForm(criteria=criteria)) if not refusal else None,
            "back_url": reverse("training:test-observe", kwargs={"test_id": test.pk}),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(OBSERVE)
def test_observe_learner(
    request: OrganisationHttpRequest, test_id: int, employee_id: int
) -> HttpResponse:
    """Score the checklist of a practical test while the learner does the work."""
    test = _test(request, test_id)
    employee = get_object_or_404(
        Employee.objects.select_related("unit"),
        organisation_id=request.organisation.pk,
        pk=employee_id,
    )
    assignment = services_tests.assignment_for(test, employee)
    if assignment is None:
        raise Http404
    if not request.user.has_perm(OBSERVE, assignment):
        raise PermissionDenied
    if request.method != "POST":
        return _observe_page(request, test, assignment)
    form = ObservationForm(request.POST, criteria=list(test.criteria.order_by("position", "id")))
    observer = (
        Employee.objects.filter(
            organisation_id=request.organisation.pk, pk=request.access.employee_id
        ).first()
        if request.access.employee_id
        else None
    )
    attempt = _save(
        form,
        lambda data: services_tests.practical_record(
            test=test,
            employee=employee,
            checked=form.checked(),
            observer=observer,
            by=request.user,
            note=data["note"],
        ),
    )
    if attempt:
        if attempt.passed:
            messages.success(
                request,
                _("%(name)s passed with %(score)s %%.")
                % {"name": employee, "score": attempt.score_percent},
            )
        else:
            messages.warning(
                request,
                _("%(name)s did not pass (%(score)s %%).")
                % {"name": employee, "score": attempt.score_percent},
            )
        return redirect("training:test-observe", test_id=test.pk)
    return _observe_page(request, test, assignment, form=form, status=422)


# --- HR decides -----------------------------------------------------------------------------------


@requires(DECIDE)
def escalation_list(request: OrganisationHttpRequest) -> HttpResponse:
    """Learners blocked after their last failed attempt, and the latest decisions."""
    return render(
        request,
        "training/tests/escalations.html",
        {"view": selectors_tests.escalation_list(access=request.access)},
    )


@require_http_methods(["GET", "POST"])
@requires(DECIDE)
def escalation_decide(request: OrganisationHttpRequest, escalation_id: int) -> HttpResponse:
    escalation = get_object_or_404(
        Escalation.objects.select_related("test", "employee", "employee__unit", "decided_by"),
        organisation_id=request.organisation.pk,
        pk=escalation_id,
    )
    if not request.user.has_perm(DECIDE, escalation):
        raise PermissionDenied
    back = reverse("training:test-escalations")
    if escalation.decided_at is not None:
        form = None
    else:
        form = EscalationForm(_posted(request))
        if request.method == "POST" and _save(
            form,
            lambda data: services_tests.escalation_decide(
                escalation=escalation, by=request.user, **data
            ),
        ):
            messages.success(request, _("The decision was recorded."))
            return redirect(back)
    return render(
        request,
        "training/tests/escalation_decide.html",
        {
            "escalation": escalation,
            "attempts": selectors_tests.escalation_attempts(escalation=escalation),
            "form": form,
            "back_url": back,
        },
        status=422 if form is not None and form.is_bound and form.errors else 200,
    )


# --- Sections on shared pages ---------------------------------------------------------------------


def home_part(request: OrganisationHttpRequest) -> Any:
    """A card: the tests the user may take now, and for HR the learners waiting for a decision
    (at most five queries)."""
    to_take: list[selectors_tests.LearnerTest] = []
    if request.access.employee_id is not None:
        to_take = [
            row
            for row in selectors_tests.tests_for_learner(
                employee_id=request.access.employee_id,
                organisation_id=request.organisation.pk,
            )
            if row.state.may_attempt
        ]
    waiting = (
        selectors_tests.open_escalation_count(access=request.access)
        if request.user.has_perm(DECIDE)
        else 0
    )
    if not to_take and not waiting:
        return None
    return ("training/tests/home_part.html", {"rows": to_take, "waiting": waiting})


def mine_part(request: OrganisationHttpRequest, employee: Any) -> Any:
    """The learner's tests with where he stands (at most four queries)."""
    rows = selectors_tests.tests_for_learner(
        employee_id=employee.pk, organisation_id=employee.organisation_id
    )
    if not rows:
        return None
    return (
        "training/tests/mine_part.html",
        {"rows": rows, "own": employee.pk == request.access.employee_id},
    )


urlpatterns: list[URLPattern] = [
    path("tests/", test_list, name="test-list"),
    path("tests/new/", test_create, name="test-create"),
    path("tests/mine/", my_tests, name="my-tests"),
    path("tests/escalations/", escalation_list, name="test-escalations"),
    path(
        "tests/escalations/<int:escalation_id>/",
        escalation_decide,
        name="test-escalation-decide",
    ),
    path("tests/<int:test_id>/", test_detail, name="test-detail"),
    path("tests/<int:test_id>/edit/", test_edit, name="test-edit"),
    path("tests/<int:test_id>/status/", test_status, name="test-status"),
    path("tests/<int:test_id>/questions/new/", question_add, name="test-question-add"),
    path("tests/<int:test_id>/criteria/new/", criterion_add, name="test-criterion-add"),
    path("tests/<int:test_id>/take/", test_take, name="test-take"),
    path("tests/<int:test_id>/practice/", test_practice, name="test-practice"),
    path("tests/<int:test_id>/submit/", test_submit, name="test-submit"),
    path(
        "tests/<int:test_id>/practice/submit/",
        test_practice_submit,
        name="test-practice-submit",
    ),
    path("tests/<int:test_id>/observe/", test_observe, name="test-observe"),
    path(
        "tests/<int:test_id>/observe/<int:employee_id>/",
        test_observe_learner,
        name="test-observe-learner",
    ),
    path("tests/questions/<int:test_question_id>/edit/", question_edit, name="test-question-edit"),
    path(
        "tests/questions/<int:test_question_id>/remove/",
        question_remove,
        name="test-question-remove",
    ),
    path(
        "tests/questions/<int:test_question_id>/answers/new/",
        choice_add,
        name="test-choice-add",
    ),
    path(
        "tests/questions/<int:test_question_id>/photo/",
        question_photo,
        name="test-question-photo",
    ),
    path("tests/answers/<int:test_choice_id>/correct/", choice_correct, name="test-choice-correct"),
    path("tests/answers/<int:test_choice_id>/remove/", choice_remove, name="test-choice-remove"),
    path("tests/answers/<int:test_choice_id>/photo/", choice_photo, name="test-choice-photo"),
    path(
        "tests/criteria/<int:test_criterion_id>/remove/",
        criterion_remove,
        name="test-criterion-remove",
    ),
    path("tests/attempts/<int:test_attempt_id>/", attempt_result, name="test-attempt"),
]
