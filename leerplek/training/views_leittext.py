"""Pages of the Leittext method (OJT-12; see docs/training.md, "Leittext").

- `training:leittext-edit`: an author writes the problem, the questions per phase of complete
  action, the control sheet and logs his time, on a draft programme version only.
- `training:leittext-work`: the learner's own page, made for a phone: he answers per phase,
  writes his work plan, scores the control sheet, logs errors and time.
- `training:leittext-review`: the coach's page (and HR's or the line's, to read): the expert
  talk that approves the plan, the coach's scores beside the learner's, the evaluation.

Every form posts to its own URL and returns to the page (a 422 page with the form's errors when
the input or a rule refuses it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.training import selectors_leittext, services_leittext
from leerplek.training.forms_leittext import (
    AnswerForm,
    CriterionForm,
    EffortForm,
    ErrorLogForm,
    EvaluationForm,
    MoveForm,
    PlanForm,
    ProblemForm,
    QuestionForm,
    ScoreForm,
    TalkForm,
    TimeForm,
    put_errors,
    score_field_name,
)
from leerplek.training.models import (
    LeittextCriterion,
    LeittextPhase,
    LeittextQuestion,
    Module,
    ModuleKind,
    ProgrammeAssignment,
)
from leerplek.training.selectors_leittext import WorkView


def _optional_url(name: str, **kwargs: Any) -> str:
    """A link to another area's page, when that page exists in this install."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _save(form: BaseForm, write: Any) -> Any:
    """Like core.formviews.save_with, with the service's errors on hidden or absent fields
    shown above the form instead of failing."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        put_errors(form, error)
        return None


def _form_errors_as_message(request: OrganisationHttpRequest, form: BaseForm) -> None:
    """For a form that is only buttons (move up or down): its errors above the page."""
    texts = [str(error) for errors in form.errors.values() for error in errors]
    messages.error(request, " ".join(texts))


# --- Authoring -----------------------------------------------------------------------------------


def _authoring_module(request: OrganisationHttpRequest, module_id: int) -> Module:
    module = get_object_or_404(
        selectors_leittext.leittext_modules(organisation_id=request.organisation.pk),
        pk=module_id,
    )
    if not request.user.has_perm("training.author_programmes", module.version):
        raise PermissionDenied
    return module


def _edit_url(module: Module, anchor: str = "") -> str:
    url = reverse("training:leittext-edit", kwargs={"module_id": module.pk})
    return f"{url}#{anchor}" if anchor else url


def _edit_page(
    request: OrganisationHttpRequest,
    module: Module,
    *,
    status: int = 200,
    problem_form: ProblemForm | None = None,
    question_form: QuestionForm | None = None,
    criterion_form: CriterionForm | None = None,
    effort_form: EffortForm | None = None,
    bound: BaseForm | None = None,
    bound_id: str = "",
) -> HttpResponse:
    view = selectors_leittext.leittext_authoring(module=module)
    question_rows = [
        (
            row,
            bound
            if bound_id == f"q{row.pk}" and isinstance(bound, QuestionForm)
            else QuestionForm.for_question(row),
        )
        for row in view.questions
    ]
    criterion_rows = [
        (
            row,
            bound
            if bound_id == f"c{row.pk}" and isinstance(bound, CriterionForm)
            else CriterionForm.for_criterion(row),
        )
        for row in view.criteria
    ]
    version = module.version
    return render(
        request,
        "training/leittext/edit.html",
        {
            "module": module,
            "view": view,
            "editable": view.editable,
            "question_rows": question_rows,
            "criterion_rows": criterion_rows,
            "open_id": bound_id,
            "problem_form": problem_form
            or ProblemForm(initial={"problem_statement": module.problem_statement}),
            "question_form": question_form or QuestionForm(prefix="new"),
            "criterion_form": criterion_form or CriterionForm(prefix="new-criterion"),
            "effort_form": effort_form or EffortForm(),
            "back_url": _optional_url(
                "training:programme-detail", programme_id=version.programme_id
            ),
        },
        status=status,
    )


@requires("training.author_programmes")
def leittext_edit(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    """The Leittext of a module: problem, questions per phase, control sheet and authoring
    time. An approved version is shown read-only."""
    module = _authoring_module(request, module_id)
    return _edit_page(request, module)


@require_POST
@requires("training.author_programmes")
def leittext_problem(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    module = _authoring_module(request, module_id)
    form = ProblemForm(request.POST)
    if _save(
        form,
        lambda data: services_leittext.leittext_problem_set(
            module=module, problem_statement=data["problem_statement"], by=request.user
        ),
    ):
        messages.success(request, _("The problem statement was saved."))
        return redirect(_edit_url(module, "leittext-problem"))
    return _edit_page(request, module, status=422, problem_form=form)


@require_POST
@requires("training.author_programmes")
def leittext_question_add(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    module = _authoring_module(request, module_id)
    form = QuestionForm(request.POST, prefix="new")
    if question := _save(
        form,
        lambda data: services_leittext.leittext_question_add(
            module=module, by=request.user, **data
        ),
    ):
        messages.success(
            request, _("Question %(number)s was added.") % {"number": question.position}
        )
        return redirect(_edit_url(module, "leittext-questions"))
    return _edit_page(request, module, status=422, question_form=form)


def _question(request: OrganisationHttpRequest, question_id: int) -> LeittextQuestion:
    question = get_object_or_404(
        LeittextQuestion.objects.select_related(
            "module", "module__version", "module__version__programme", "module__phase"
        ),
        module__version__organisation_id=request.access.organisation_id,
        module__kind=ModuleKind.LEITTEXT,
        pk=question_id,
    )
    if not request.user.has_perm("training.author_programmes", question.module.version):
        raise PermissionDenied
    return question


def _criterion(request: OrganisationHttpRequest, criterion_id: int) -> LeittextCriterion:
    criterion = get_object_or_404(
        LeittextCriterion.objects.select_related(
            "module", "module__version", "module__version__programme", "module__phase"
        ),
        module__version__organisation_id=request.access.organisation_id,
        module__kind=ModuleKind.LEITTEXT,
        pk=criterion_id,
    )
    if not request.user.has_perm("training.author_programmes", criterion.module.version):
        raise PermissionDenied
    return criterion


@require_http_methods(["GET", "POST"])
@requires("training.author_programmes")
def leittext_question_edit(
    request: OrganisationHttpRequest, leittext_question_id: int
) -> HttpResponse:
    """Change a question. The edit page holds the same form inline; this page serves a
    direct link and a browser without the inline form."""
    question = _question(request, leittext_question_id)
    module = question.module
    if request.method == "POST":
        form = QuestionForm.for_question(question, request.POST)
        if _save(
            form,
            lambda data: services_leittext.leittext_question_update(
                question=question, by=request.user, **data
            ),
        ):
            messages.success(request, _("The question was saved."))
            return redirect(_edit_url(module, f"question-{question.pk}"))
        return _edit_page(request, module, status=422, bound=form, bound_id=f"q{question.pk}")
    if not module.version.is_editable:
        messages.info(request, _("This version is no longer a draft: its questions never change."))
        return redirect(_edit_url(module, f"question-{question.pk}"))
    return form_page(
        request,
        QuestionForm.for_question(question),
        {
            "title": _("Question %(number)s of %(module)s")
            % {"number": question.position, "module": module},
            "back_url": _edit_url(module),
        },
    )


@require_POST
@requires("training.author_programmes")
def leittext_question_move(
    request: OrganisationHttpRequest, leittext_question_id: int
) -> HttpResponse:
    question = _question(request, leittext_question_id)
    form = MoveForm(request.POST)
    if _save(
        form,
        lambda data: (
            services_leittext.leittext_question_move(
                question=question, direction=data["direction"], by=request.user
            )
            or True
        ),
    ):
        return redirect(_edit_url(question.module, f"question-{question.pk}"))
    _form_errors_as_message(request, form)
    return _edit_page(request, question.module, status=422)


@require_POST
@requires("training.author_programmes")
def leittext_question_remove(
    request: OrganisationHttpRequest, leittext_question_id: int
) -> HttpResponse:
    question = _question(request, leittext_question_id)
    module = question.module
    try:
        services_leittext.leittext_question_remove(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _edit_page(request, module, status=422)
    messages.success(request, _("The question was removed."))
    return redirect(_edit_url(module, "leittext-questions"))


@require_POST
@requires("training.author_programmes")
def leittext_criterion_add(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    module = _authoring_module(request, module_id)
    form = CriterionForm(request.POST, prefix="new-criterion")
    if _save(
        form,
        lambda data: services_leittext.leittext_criterion_add(
            module=module, text=data["text"], by=request.user
        ),
    ):
        messages.success(request, _("The criterion was added to the control sheet."))
        return redirect(_edit_url(module, "leittext-criteria"))
    return _edit_page(request, module, status=422, criterion_form=form)


@require_POST
@requires("training.author_programmes")
def leittext_criterion_edit(
    request: OrganisationHttpRequest, leittext_criterion_id: int
) -> HttpResponse:
    criterion = _criterion(request, leittext_criterion_id)
    module = criterion.module
    form = CriterionForm.for_criterion(criterion, request.POST)
    if _save(
        form,
        lambda data: services_leittext.leittext_criterion_update(
            criterion=criterion, text=data["text"], by=request.user
        ),
    ):
        messages.success(request, _("The criterion was saved."))
        return redirect(_edit_url(module, f"criterion-{criterion.pk}"))
    return _edit_page(request, module, status=422, bound=form, bound_id=f"c{criterion.pk}")


@require_POST
@requires("training.author_programmes")
def leittext_criterion_move(
    request: OrganisationHttpRequest, leittext_criterion_id: int
) -> HttpResponse:
    criterion = _criterion(request, leittext_criterion_id)
    form = MoveForm(request.POST)
    if _save(
        form,
        lambda data: (
            services_leittext.leittext_criterion_move(
                criterion=criterion, direction=data["direction"], by=request.user
            )
            or True
        ),
    ):
        return redirect(_edit_url(criterion.module, f"criterion-{criterion.pk}"))
    _form_errors_as_message(request, form)
    return _edit_page(request, criterion.module, status=422)


@require_POST
@requires("training.author_programmes")
def leittext_criterion_remove(
    request: OrganisationHttpRequest, leittext_criterion_id: int
) -> HttpResponse:
    criterion = _criterion(request, leittext_criterion_id)
    module = criterion.module
    try:
        services_leittext.leittext_criterion_remove(criterion=criterion, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _edit_page(request, module, status=422)
    messages.success(request, _("The criterion was removed."))
    return redirect(_edit_url(module, "leittext-criteria"))


@require_POST
@requires("training.author_programmes")
def leittext_effort_add(request: OrganisationHttpRequest, module_id: int) -> HttpResponse:
    module = _authoring_module(request, module_id)
    form = EffortForm(request.POST)
    if _save(
        form,
        lambda data: services_leittext.leittext_effort_log(module=module, by=request.user, **data),
    ):
        messages.success(request, _("Your time was logged."))
        return redirect(_edit_url(module, "leittext-effort"))
    return _edit_page(request, module, status=422, effort_form=form)


# --- A learner's work ----------------------------------------------------------------------------


def _assignment_module(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> tuple[ProgrammeAssignment, Module]:
    """The assignment of this organisation and one of its version's Leittext modules (404
    otherwise); who may see it is checked by the caller."""
    assignment = get_object_or_404(
        ProgrammeAssignment.objects.select_related(
            "employee", "employee__unit", "guide", "version", "version__programme"
        ),
        organisation_id=request.access.organisation_id,
        pk=assignment_id,
    )
    module = get_object_or_404(
        Module.objects.select_related("phase"),
        version_id=assignment.version_id,
        kind=ModuleKind.LEITTEXT,
        pk=module_id,
    )
    return assignment, module


def _as_learner(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> tuple[ProgrammeAssignment, Module]:
    assignment, module = _assignment_module(request, assignment_id, module_id)
    if assignment.employee_id != request.access.employee_id or not request.user.has_perm(
        "training.follow_own", assignment.employee
    ):
        raise PermissionDenied
    return assignment, module


def _as_reader(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> tuple[ProgrammeAssignment, Module]:
    assignment, module = _assignment_module(request, assignment_id, module_id)
    if not request.user.has_perm("training.view_assignments", assignment):
        raise PermissionDenied
    return assignment, module


def _as_coach(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> tuple[ProgrammeAssignment, Module]:
    assignment, module = _assignment_module(request, assignment_id, module_id)
    if not request.user.has_perm("training.guide_learner", assignment):
        raise PermissionDenied
    return assignment, module


def _work_url(name: str, assignment: ProgrammeAssignment, module: Module, anchor: str) -> str:
    url = reverse(name, kwargs={"assignment_id": assignment.pk, "module_id": module.pk})
    return f"{url}#{anchor}"


def _learner_forms(view: WorkView, bound: dict[str, BaseForm]) -> dict[str, Any]:
    """The forms the learner may fill now; a submitted form keeps its input and errors."""
    state = view.state
    work = view.work
    answer_forms = {
        row.phase: bound.get(f"answer-{row.phase}")
        or AnswerForm(questions=row.questions, phase=row.phase)
        for row in state.phases
        if row.open and row.questions
    }
    can_score = (
        state.plan_approved and not state.coach_scored and not state.evaluated and view.sheet
    )
    return {
        "answer_forms": answer_forms,
        "plan_form": (
            bound.get("plan") or PlanForm(initial={"work_plan": work.work_plan if work else ""})
        )
        if not state.plan_approved and not state.evaluated
        else None,
        "score_form": (
            bound.get("score")
            or ScoreForm(criteria=view.criteria, scores=work.learner_scores if work else {})
        )
        if can_score
        else None,
        "time_form": (bound.get("time") or TimeForm()) if not state.evaluated else None,
        "error_form": (bound.get("error") or ErrorLogForm())
        if state.plan_approved and not state.evaluated
        else None,
    }


def _coach_forms(view: WorkView, bound: dict[str, BaseForm], can_coach: bool) -> dict[str, Any]:
    state = view.state
    work = view.work
    if not can_coach or state.evaluated:
        return {}
    score_form: ScoreForm | None = None
    if state.learner_scored and view.sheet:
        score_form = bound.get("score") or ScoreForm(  # type: ignore[assignment]
            criteria=view.criteria, scores=work.coach_scores if work else {}, prefix="coach"
        )
    return {
        "score_form": score_form,
        # Beside each criterion the learner's own score.
        "coach_rows": [
            (row.criterion, score_form[score_field_name(row.criterion.pk)], row.learner)
            for row in view.sheet
        ]
        if score_form is not None
        else [],
        "talk_form": (bound.get("talk") or TalkForm())
        if state.plan_written and not state.plan_approved
        else None,
        "evaluation_form": (bound.get("evaluation") or EvaluationForm())
        if state.plan_approved and (state.coach_scored or not view.sheet)
        else None,
    }


def _work_page(
    request: OrganisationHttpRequest,
    assignment: ProgrammeAssignment,
    module: Module,
    *,
    as_learner: bool,
    status: int = 200,
    bound: dict[str, BaseForm] | None = None,
) -> HttpResponse:
    view = selectors_leittext.leittext_work_detail(assignment=assignment, module=module)
    bound = bound or {}
    user = request.user
    can_coach = (
        not as_learner
        and assignment.employee_id != request.access.employee_id
        and user.has_perm("training.guide_learner", assignment)
    )
    forms = _learner_forms(view, bound) if as_learner else _coach_forms(view, bound, can_coach)
    if as_learner:
        back_url = _optional_url("training:mine")
    else:
        back_url = _optional_url("training:assignment-detail", assignment_id=assignment.pk)
    answer_forms = forms.pop("answer_forms", {})
    sections = [{"row": row, "form": answer_forms.get(row.phase)} for row in view.phases]
    # A refused form the page no longer shows (the step closed meanwhile, or was not open yet):
    # its messages go above the page.
    shown = [*forms.values(), *answer_forms.values()]
    refused = [
        str(message)
        for form in bound.values()
        if form not in shown
        for messages_ in form.errors.values()
        for message in messages_
    ]
    return render(
        request,
        "training/leittext/work.html",
        {
            "assignment": assignment,
            "module": module,
            "view": view,
            "state": view.state,
            "sections": sections,
            "refused": refused,
            "as_learner": as_learner,
            "can_coach": can_coach,
            "back_url": back_url,
            **forms,
        },
        status=status,
    )


@requires("training.view_programmes")
def leittext_work(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    """The learner's own Leittext: where he is, and what he may write now.

    The link may reach others too (a shared phone, a forwarded message): whoever may read the
    learner's programme goes to the coach's page; anyone else sees the Leittext as the
    programme library shows it to every member, without the learner's work."""
    assignment, module = _assignment_module(request, assignment_id, module_id)
    if assignment.employee_id == request.access.employee_id and request.user.has_perm(
        "training.follow_own", assignment.employee
    ):
        return _work_page(request, assignment, module, as_learner=True)
    if request.user.has_perm("training.view_assignments", assignment):
        return redirect(
            "training:leittext-review", assignment_id=assignment.pk, module_id=module.pk
        )
    return render(
        request,
        "training/leittext/preview.html",
        {"module": module, "view": selectors_leittext.leittext_authoring(module=module)},
    )


@requires("training.view_assignments")
def leittext_review(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    """The coach's view of a learner's Leittext; HR and the line read it."""
    assignment, module = _as_reader(request, assignment_id, module_id)
    return _work_page(request, assignment, module, as_learner=False)


Write = Any  # (assignment, module, form, cleaned data) -> the written row


def _learner_post(
    request: OrganisationHttpRequest,
    assignment_id: int,
    module_id: int,
    *,
    key: str,
    make_form: Any,
    write: Write,
    success: str,
    anchor: str,
) -> HttpResponse:
    assignment, module = _as_learner(request, assignment_id, module_id)
    form = make_form(module)
    if _save(form, lambda data: write(assignment, module, form, data)):
        messages.success(request, success)
        return redirect(_work_url("training:leittext-work", assignment, module, anchor))
    return _work_page(request, assignment, module, as_learner=True, status=422, bound={key: form})


def _coach_post(
    request: OrganisationHttpRequest,
    assignment_id: int,
    module_id: int,
    *,
    key: str,
    make_form: Any,
    write: Write,
    success: str,
    anchor: str,
) -> HttpResponse:
    assignment, module = _as_coach(request, assignment_id, module_id)
    form = make_form(module)
    if _save(form, lambda data: write(assignment, module, form, data)):
        messages.success(request, success)
        return redirect(_work_url("training:leittext-review", assignment, module, anchor))
    return _work_page(request, assignment, module, as_learner=False, status=422, bound={key: form})


def _questions_of(module: Module, phase: str) -> list[selectors_leittext.QuestionRow]:
    """The questions of the posted phase, for the form's fields (one query)."""
    if phase not in LeittextPhase.values:
        return []
    return [
        selectors_leittext.QuestionRow(question, "")
        for question in module.leittext_questions.filter(phase=phase).order_by("position", "id")
    ]


def _criteria_of(module: Module) -> list[LeittextCriterion]:
    return list(module.leittext_criteria.order_by("position", "id"))


@require_POST
@requires("training.follow_own")
def leittext_answer(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    phase = request.POST.get("phase", "")
    return _learner_post(
        request,
        assignment_id,
        module_id,
        key=f"answer-{phase}",
        make_form=lambda module: AnswerForm(
            request.POST, questions=_questions_of(module, phase), phase=phase
        ),
        write=lambda assignment, module, form, data: services_leittext.leittext_answers_save(
            assignment=assignment,
            module=module,
            phase=data["phase"],
            answers=form.answers(),
            by=request.user,
        ),
        success=_("Your answers were saved."),
        anchor=f"phase-{phase}",
    )


@require_POST
@requires("training.follow_own")
def leittext_plan(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    return _learner_post(
        request,
        assignment_id,
        module_id,
        key="plan",
        make_form=lambda module: PlanForm(request.POST),
        write=lambda assignment, module, form, data: services_leittext.leittext_plan_save(
            assignment=assignment, module=module, work_plan=data["work_plan"], by=request.user
        ),
        success=_("Your work plan was saved. Discuss it with your coach in the expert talk."),
        anchor="phase-plan",
    )


@require_POST
@requires("training.follow_own")
def leittext_self_score(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    return _learner_post(
        request,
        assignment_id,
        module_id,
        key="score",
        make_form=lambda module: ScoreForm(request.POST, criteria=_criteria_of(module)),
        write=lambda assignment, module, form, data: services_leittext.leittext_learner_score(
            assignment=assignment, module=module, scores=form.scores(), by=request.user
        ),
        success=_("Your scores were saved. Your coach now scores the same criteria."),
        anchor="control-sheet",
    )


@require_POST
@requires("training.follow_own")
def leittext_time(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    return _learner_post(
        request,
        assignment_id,
        module_id,
        key="time",
        make_form=lambda module: TimeForm(request.POST),
        write=lambda assignment, module, form, data: services_leittext.leittext_time_log(
            assignment=assignment, module=module, minutes=data["minutes"], by=request.user
        ),
        success=_("Your time was added."),
        anchor="leittext-time",
    )


@require_POST
@requires("training.follow_own")
def leittext_error_add(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    return _learner_post(
        request,
        assignment_id,
        module_id,
        key="error",
        make_form=lambda module: ErrorLogForm(request.POST),
        write=lambda assignment, module, form, data: services_leittext.leittext_error_add(
            assignment=assignment, module=module, by=request.user, **data
        ),
        success=_("The error, its cause and your remedy were logged."),
        anchor="error-log",
    )


@require_POST
@requires("training.guide_learner")
def leittext_talk(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    approved = request.POST.get("decision") == "approve"
    return _coach_post(
        request,
        assignment_id,
        module_id,
        key="talk",
        make_form=lambda module: TalkForm(request.POST),
        write=lambda assignment, module, form, data: services_leittext.leittext_expert_talk(
            assignment=assignment,
            module=module,
            talk_on=data["expert_talk_on"],
            approve=data["decision"] == "approve",
            note=data["note"],
            by=request.user,
        ),
        success=_("The work plan is approved: the learner may execute.")
        if approved
        else _("The expert talk was recorded; the learner revises his work plan."),
        anchor="phase-decide",
    )


@require_POST
@requires("training.guide_learner")
def leittext_coach_score(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    return _coach_post(
        request,
        assignment_id,
        module_id,
        key="score",
        make_form=lambda module: ScoreForm(
            request.POST, criteria=_criteria_of(module), prefix="coach"
        ),
        write=lambda assignment, module, form, data: services_leittext.leittext_coach_score(
            assignment=assignment, module=module, scores=form.scores(), by=request.user
        ),
        success=_("Your scores were saved beside the learner's."),
        anchor="control-sheet",
    )


@require_POST
@requires("training.guide_learner")
def leittext_evaluate(
    request: OrganisationHttpRequest, assignment_id: int, module_id: int
) -> HttpResponse:
    return _coach_post(
        request,
        assignment_id,
        module_id,
        key="evaluation",
        make_form=lambda module: EvaluationForm(request.POST),
        write=lambda assignment, module, form, data: services_leittext.leittext_evaluate(
            assignment=assignment, module=module, note=data["evaluation_note"], by=request.user
        ),
        success=_("The evaluation was saved; this Leittext is closed."),
        anchor="phase-evaluate",
    )


# --- Sections on shared pages ---------------------------------------------------------------------


def _link_name(request: OrganisationHttpRequest, employee_id: int) -> str:
    if employee_id == request.access.employee_id:
        return "training:leittext-work"
    return "training:leittext-review"


def assignment_part(request: OrganisationHttpRequest, assignment: ProgrammeAssignment) -> Any:
    """For each Leittext module of the assignment's version: where the learner is and a link
    (one query when the version has no Leittext module, three otherwise)."""
    rows = selectors_leittext.assignment_leittext_progress(assignment=assignment)
    if not rows:
        return None
    return (
        "training/leittext/progress_part.html",
        {
            "rows": rows,
            "link_name": _link_name(request, assignment.employee_id),
            "title": _("Leittext"),
        },
    )


def mine_part(request: OrganisationHttpRequest, employee: Any) -> Any:
    """The learner's Leittext modules in the programmes he follows (at most three queries)."""
    rows = selectors_leittext.own_leittext_progress(
        employee_id=employee.pk, organisation_id=employee.organisation_id
    )
    if not rows:
        return None
    return (
        "training/leittext/progress_part.html",
        {
            "rows": rows,
            "link_name": _link_name(request, employee.pk),
            "title": _("My Leittext assignments"),
            "show_programme": True,
        },
    )


def home_part(request: OrganisationHttpRequest) -> Any:
    """A card for the guide named on a programme: work plans to discuss, control sheets to score
    (one query for a user with a person record, none otherwise)."""
    rows = selectors_leittext.coach_queue(access=request.access)
    if not rows:
        return None
    return ("training/leittext/home_part.html", {"rows": rows})


urlpatterns: list[URLPattern] = [
    path("leittext/modules/<int:module_id>/", leittext_edit, name="leittext-edit"),
    path("leittext/modules/<int:module_id>/problem/", leittext_problem, name="leittext-problem"),
    path(
        "leittext/modules/<int:module_id>/questions/new/",
        leittext_question_add,
        name="leittext-question-add",
    ),
    path(
        "leittext/questions/<int:leittext_question_id>/edit/",
        leittext_question_edit,
        name="leittext-question-edit",
    ),
    path(
        "leittext/questions/<int:leittext_question_id>/move/",
        leittext_question_move,
        name="leittext-question-move",
    ),
    path(
        "leittext/questions/<int:leittext_question_id>/remove/",
        leittext_question_remove,
        name="leittext-question-remove",
    ),
    path(
        "leittext/modules/<int:module_id>/criteria/new/",
        leittext_criterion_add,
        name="leittext-criterion-add",
    ),
    path(
        "leittext/criteria/<int:leittext_criterion_id>/edit/",
        leittext_criterion_edit,
        name="leittext-criterion-edit",
    ),
    path(
        "leittext/criteria/<int:leittext_criterion_id>/move/",
        leittext_criterion_move,
        name="leittext-criterion-move",
    ),
    path(
        "leittext/criteria/<int:leittext_criterion_id>/remove/",
        leittext_criterion_remove,
        name="leittext-criterion-remove",
    ),
    path("leittext/modules/<int:module_id>/time/", leittext_effort_add, name="leittext-effort-add"),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/",
        leittext_work,
        name="leittext-work",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/answers/",
        leittext_answer,
        name="leittext-answer",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/plan/",
        leittext_plan,
        name="leittext-plan",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/my-scores/",
        leittext_self_score,
        name="leittext-self-score",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/time/",
        leittext_time,
        name="leittext-time",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/errors/",
        leittext_error_add,
        name="leittext-error-add",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/coach/",
        leittext_review,
        name="leittext-review",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/coach/talk/",
        leittext_talk,
        name="leittext-talk",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/coach/scores/",
        leittext_coach_score,
        name="leittext-coach-score",
    ),
    path(
        "leittext/<int:assignment_id>/<int:module_id>/coach/evaluate/",
        leittext_evaluate,
        name="leittext-evaluate",
    ),
]
