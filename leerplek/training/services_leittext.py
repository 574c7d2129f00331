"""Writes of the Leittext method (OJT-12, Restaurantketen X; brochure 3.17 and 3.19).

Authoring, on a Leittext module of a draft programme version only: the problem statement, the
ordered questions (guiding, planning, steering, control), each in a phase of complete action,
the criteria of the control sheet, and the authors' time.

A learner's work, in the six phases of complete action (inform, plan, decide, execute, check,
evaluate): he answers the questions and writes his work plan; the plan is approved in an expert
talk with his coach before he executes; he scores the control sheet first, then the coach on the
same criteria; the coach's evaluation closes the work and nothing changes afterwards.

The learner (the assignment's employee) and his coach (the assignment's guide, or anyone with
`training.guide_learner` on the assignment) are the only writers. Every function validates
first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.people.models import User
from leerplek.training.models import (
    AssignmentStatus,
    LeittextCriterion,
    LeittextPhase,
    LeittextQuestion,
    LeittextQuestionKind,
    LeittextWork,
    Module,
    ModuleKind,
    ProgrammeAssignment,
    ProgrammeVersion,
)
from leerplek.training.models.assignments import LeittextEffort

# The phases the learner only reaches once his work plan is approved in the expert talk.
AFTER_APPROVAL = (LeittextPhase.EXECUTE, LeittextPhase.CHECK, LeittextPhase.EVALUATE)
# The phases whose answers are what the expert talk approved: they stay as they were.
BEFORE_APPROVAL = (LeittextPhase.INFORM, LeittextPhase.PLAN, LeittextPhase.DECIDE)

MAX_ANSWER = 5000
MAX_PLAN = 10000
MAX_NOTE = 5000
MAX_LOG_TEXT = 300
# One entry of time is at most a long shift; more is a typing error.
MAX_MINUTES = 720
MIN_SCORE, MAX_SCORE = 1, 5

ERRORS = {
    "not_leittext": _("This module is not a Leittext module; change its kind to Leittext first."),
    "version_locked": _(
        "Version %(number)s of %(programme)s is %(status)s and never changes. Start a new draft "
        "version in the programme builder to change its Leittext."
    ),
    "problem_too_long": _("Keep the problem statement under %(max)s characters."),
    "kind_unknown": _("Choose the kind of question: guiding, planning, steering or control."),
    "phase_unknown": _(
        "Choose the phase of the question: inform, plan, decide, execute, check or evaluate."
    ),
    "text_required": _("Write the question, e.g. 'In which order do you fill the bain-maries?'"),
    "text_too_long": _("Keep the question under %(max)s characters."),
    "criterion_required": _(
        "Write what is checked, e.g. 'The worktop is clean before the next order'."
    ),
    "criterion_too_long": _("Keep the criterion under %(max)s characters."),
    "other_module": _("This belongs to another module."),
    "direction_unknown": _("Move the item up or down."),
    "minutes_range": _("Enter the minutes as a whole number from 1 to %(max)s, e.g. 45."),
    "future_date": _("The date cannot be in the future; today is %(today)s."),
    "not_learner": _("Only %(name)s himself works on his Leittext."),
    "own_coach": _(
        "You follow this programme yourself: your peter/meter or line manager coaches your "
        "Leittext, not you."
    ),
    "assignment_closed": _("This programme is %(status)s; its Leittext work no longer changes."),
    "module_not_in_programme": _(
        "This Leittext module is not part of the programme version %(name)s follows."
    ),
    "evaluated": _(
        "The Leittext was evaluated on %(date)s by %(name)s; nobody changes it afterwards."
    ),
    "question_unknown": _("These questions are not questions of the phase %(phase)s: %(ids)s."),
    "answer_too_long": _("Keep each answer under %(max)s characters."),
    "plan_not_approved": _(
        "Your work plan is not approved yet. Discuss it with your coach in the expert talk "
        "before you execute, check or evaluate."
    ),
    "plan_frozen": _(
        "The work plan was approved in the expert talk on %(date)s; the answers up to "
        "'decide' stay as they were approved."
    ),
    "plan_required": _(
        "Write your work plan: the steps you will take, in order, and what you need."
    ),
    "plan_too_long": _("Keep the work plan under %(max)s characters."),
    "plan_approved": _(
        "The work plan was approved on %(date)s and no longer changes. Note changes in your "
        "answers or in the error log."
    ),
    "no_plan": _("There is no work plan to discuss yet: %(name)s writes it first."),
    "already_approved": _("The work plan was already approved on %(date)s."),
    "talk_before_start": _("The expert talk cannot be before the programme started (%(start)s)."),
    "talk_note_required": _(
        "Write what %(name)s must change in his work plan before it can be approved."
    ),
    "note_too_long": _("Keep the note under %(max)s characters."),
    "score_missing": _(
        "Score every criterion of the control sheet from 1 to 5; missing: %(names)s."
    ),
    "score_range": _("Scores run from 1 to 5; check %(names)s."),
    "criterion_unknown": _("These are not criteria of this control sheet: %(ids)s."),
    "no_criteria": _("This control sheet has no criteria to score."),
    "learner_first": _(
        "%(name)s scores the control sheet first; then you score the same criteria."
    ),
    "coach_scored": _(
        "Your coach already scored the control sheet on %(date)s; your own scores stay as you "
        "gave them."
    ),
    "error_required": _("Describe the error, its cause and how you removed the cause."),
    "log_too_long": _("Keep each part under %(max)s characters."),
    "sheet_first": _(
        "Score the control sheet first: the evaluation discusses both scores side by side."
    ),
    "evaluation_required": _(
        "Write the evaluation: what went well, what to improve and what the learner now "
        "understands."
    ),
}


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- Authoring -----------------------------------------------------------------------------------


def _require_author(by: User, version: ProgrammeVersion) -> None:
    if not by.has_perm("training.author_programmes", version):
        raise PermissionDenied


def _editable_module(module: Module, *, by: User, field: str) -> Module:
    """The module, its version locked: approving the version while someone edits must wait."""
    version = (
        ProgrammeVersion.objects.select_for_update()
        .select_related("programme")
        .get(pk=module.version_id)
    )
    _require_author(by, version)
    if module.kind != ModuleKind.LEITTEXT:
        raise field_error(field, ERRORS["not_leittext"], code="not_leittext")
    if not version.is_editable:
        raise field_error(
            field,
            ERRORS["version_locked"],
            code="version_locked",
            params={
                "number": version.number,
                "programme": version.programme,
                "status": version.get_status_display().lower(),
            },
        )
    module.version = version
    return module


def _check_question(kind: str, phase: str, text: str) -> None:
    if kind not in LeittextQuestionKind.values:
        raise field_error("kind", ERRORS["kind_unknown"], code="kind_unknown")
    if phase not in LeittextPhase.values:
        raise field_error("phase", ERRORS["phase_unknown"], code="phase_unknown")
    if not text:
        raise field_error("text", ERRORS["text_required"], code="text_required")
    if len(text) > MAX_ANSWER:
        raise field_error(
            "text", ERRORS["text_too_long"], code="text_too_long", params={"max": MAX_ANSWER}
        )


QUESTION_FIELDS = ["position", "kind", "phase", "text"]
CRITERION_FIELDS = ["position", "text"]


@transaction.atomic
def leittext_problem_set(*, module: Module, problem_statement: str, by: User) -> Module:
    """Write the problem the Leittext starts from (Module.problem_statement).

    Rules: a Leittext module of a draft version. Raises ValidationError on "problem_statement".
    """
    module = _editable_module(module, by=by, field="problem_statement")
    text = _text(problem_statement)
    if len(text) > MAX_PLAN:
        raise field_error(
            "problem_statement",
            ERRORS["problem_too_long"],
            code="problem_too_long",
            params={"max": MAX_PLAN},
        )
    before = module.problem_statement
    if before == text:
        return module
    module.problem_statement = text
    module.save(update_fields=["problem_statement"])
    audit.record(
        actor=by,
        action="training.leittext_problem_changed",
        obj=module,
        organisation=module.version.organisation,
        before={"problem_statement": before},
        after={"problem_statement": text},
    )
    return module


@transaction.atomic
def leittext_question_add(
    *, module: Module, kind: str, phase: str, text: str, by: User
) -> LeittextQuestion:
    """Add a question at the end of the module's Leittext.

    Rules: a Leittext module of a draft version; a known kind and phase; a text.
    Raises ValidationError on "text", "kind" or "phase".
    """
    module = _editable_module(module, by=by, field="text")
    text = _text(text)
    _check_question(kind, phase, text)
    last = module.leittext_questions.aggregate(last=Max("position"))["last"] or 0
    question = LeittextQuestion.objects.create(
        module=module, position=last + 1, kind=kind, phase=phase, text=text
    )
    audit.record(
        actor=by,
        action="training.leittext_question_added",
        obj=question,
        organisation=module.version.organisation,
        after={"module": module.pk, **audit.snapshot(question, QUESTION_FIELDS)},
    )
    return question


@transaction.atomic
def leittext_question_update(
    *, question: LeittextQuestion, kind: str, phase: str, text: str, by: User
) -> LeittextQuestion:
    """Change a question's kind, phase or text (same rules as `leittext_question_add`)."""
    module = _editable_module(question.module, by=by, field="text")
    text = _text(text)
    _check_question(kind, phase, text)
    before = audit.snapshot(question, QUESTION_FIELDS)
    question.kind, question.phase, question.text = kind, phase, text
    question.save(update_fields=["kind", "phase", "text"])
    old, new = audit.changed(before, audit.snapshot(question, QUESTION_FIELDS))
    if new:
        audit.record(
            actor=by,
            action="training.leittext_question_changed",
            obj=question,
            organisation=module.version.organisation,
            before=old,
            after=new,
        )
    return question


@transaction.atomic
def leittext_question_remove(*, question: LeittextQuestion, by: User) -> None:
    """Remove a question; those after it move up. Only drafts are edited, and a draft has no
    learners yet, so no answer is lost."""
    module = _editable_module(question.module, by=by, field="text")
    before = {"module": module.pk, **audit.snapshot(question, QUESTION_FIELDS)}
    audit.record(
        actor=by,
        action="training.leittext_question_removed",
        obj=question,
        organisation=module.version.organisation,
        before=before,
    )
    question.delete()
    _renumber(list(module.leittext_questions.order_by("position", "id")))


@transaction.atomic
def leittext_question_move(*, question: LeittextQuestion, direction: str, by: User) -> None:
    """Swap a question with the one before ("up") or after ("down") it.

    Raises ValidationError on "direction".
    """
    module = _editable_module(question.module, by=by, field="direction")
    rows = list(module.leittext_questions.order_by("position", "id"))
    _move(rows, question.pk, direction)
    audit.record(
        actor=by,
        action="training.leittext_question_moved",
        obj=question,
        organisation=module.version.organisation,
        after={"direction": direction, "order": [row.pk for row in rows]},
    )


def _move(rows: list[Any], pk: int, direction: str) -> None:
    if direction not in ("up", "down"):
        raise field_error("direction", ERRORS["direction_unknown"], code="direction_unknown")
    index = next(i for i, row in enumerate(rows) if row.pk == pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows)


def _renumber(rows: list[Any]) -> None:
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])


def _check_criterion(text: str) -> None:
    if not text:
        raise field_error("text", ERRORS["criterion_required"], code="criterion_required")
    if len(text) > MAX_LOG_TEXT:
        raise field_error(
            "text",
            ERRORS["criterion_too_long"],
            code="criterion_too_long",
            params={"max": MAX_LOG_TEXT},
        )


@transaction.atomic
def leittext_criterion_add(*, module: Module, text: str, by: User) -> LeittextCriterion:
    """Add a criterion at the end of the control sheet.

    Rules: a Leittext module of a draft version; a text of at most 300 characters.
    Raises ValidationError on "text".
    """
    module = _editable_module(module, by=by, field="text")
    text = _text(text)
    _check_criterion(text)
    last = module.leittext_criteria.aggregate(last=Max("position"))["last"] or 0
    criterion = LeittextCriterion.objects.create(module=module, position=last + 1, text=text)
    audit.record(
        actor=by,
        action="training.leittext_criterion_added",
        obj=criterion,
        organisation=module.version.organisation,
        after={"module": module.pk, **audit.snapshot(criterion, CRITERION_FIELDS)},
    )
    return criterion


@transaction.atomic
def leittext_criterion_update(
    *, criterion: LeittextCriterion, text: str, by: User
) -> LeittextCriterion:
    """Change a criterion's text (same rules as `leittext_criterion_add`)."""
    module = _editable_module(criterion.module, by=by, field="text")
    text = _text(text)
    _check_criterion(text)
    before = criterion.text
    if before != text:
        criterion.text = text
        criterion.save(update_fields=["text"])
        audit.record(
            actor=by,
            action="training.leittext_criterion_changed",
            obj=criterion,
            organisation=module.version.organisation,
            before={"text": before},
            after={"text": text},
        )
    return criterion


@transaction.atomic
def leittext_criterion_remove(*, criterion: LeittextCriterion, by: User) -> None:
    """Remove a criterion of the control sheet; those after it move up."""
    module = _editable_module(criterion.module, by=by, field="text")
    audit.record(
        actor=by,
        action="training.leittext_criterion_removed",
        obj=criterion,
        organisation=module.version.organisation,
        before={"module": module.pk, **audit.snapshot(criterion, CRITERION_FIELDS)},
    )
    criterion.delete()
    _renumber(list(module.leittext_criteria.order_by("position", "id")))


@transaction.atomic
def leittext_criterion_move(*, criterion: LeittextCriterion, direction: str, by: User) -> None:
    """Swap a criterion with the one before ("up") or after ("down") it.

    Raises ValidationError on "direction".
    """
    module = _editable_module(criterion.module, by=by, field="direction")
    rows = list(module.leittext_criteria.order_by("position", "id"))
    _move(rows, criterion.pk, direction)
    audit.record(
        actor=by,
        action="training.leittext_criterion_moved",
        obj=criterion,
        organisation=module.version.organisation,
        after={"direction": direction, "order": [row.pk for row in rows]},
    )


@transaction.atomic
def leittext_effort_log(
    *, module: Module, worked_on: datetime.date, minutes: int, note: str, by: User
) -> LeittextEffort:
    """Log time spent writing the Leittext (OJT-12: its development time is its cost).

    Rules: a Leittext module of a draft version; 1 to 720 minutes; not in the future.
    Raises ValidationError on "minutes" or "worked_on".
    """
    module = _editable_module(module, by=by, field="minutes")
    if not 1 <= minutes <= MAX_MINUTES:
        raise field_error(
            "minutes", ERRORS["minutes_range"], code="minutes_range", params={"max": MAX_MINUTES}
        )
    today = timezone.localdate()
    if worked_on > today:
        raise field_error(
            "worked_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    effort = LeittextEffort.objects.create(
        organisation=module.version.organisation,
        module=module,
        author=by,
        worked_on=worked_on,
        minutes=minutes,
        note=_text(note)[:200],
    )
    audit.record(
        actor=by,
        action="training.leittext_effort_logged",
        obj=effort,
        after={"module": module.pk, "minutes": minutes, "worked_on": worked_on},
    )
    return effort


# --- A learner's work ----------------------------------------------------------------------------


def _locked_work(
    assignment: ProgrammeAssignment, module: Module, *, field: str
) -> tuple[ProgrammeAssignment, LeittextWork]:
    """The assignment (locked: the learner and the coach may write at the same moment) and its
    work on `module`, created on the first write."""
    assignment = (
        ProgrammeAssignment.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__unit", "organisation")
        .get(pk=assignment.pk)
    )
    if module.version_id != assignment.version_id or module.kind != ModuleKind.LEITTEXT:
        raise field_error(
            field,
            ERRORS["module_not_in_programme"],
            code="module_not_in_programme",
            params={"name": assignment.employee},
        )
    if assignment.status != AssignmentStatus.ACTIVE:
        raise field_error(
            field,
            ERRORS["assignment_closed"],
            code="assignment_closed",
            params={"status": assignment.get_status_display().lower()},
        )
    work, _created = LeittextWork.objects.select_for_update().get_or_create(
        assignment=assignment,
        module=module,
        defaults={"organisation_id": assignment.organisation_id},
    )
    if work.evaluated_at is not None:
        raise field_error(
            field,
            ERRORS["evaluated"],
            code="evaluated",
            params={
                "date": timezone.localtime(work.evaluated_at).date(),
                "name": work.evaluated_by or "-",
            },
        )
    return assignment, work


def _require_learner(assignment: ProgrammeAssignment, by: User) -> None:
    employee = assignment.employee
    if employee.user_id is None or employee.user_id != by.pk:
        raise PermissionDenied(str(ERRORS["not_learner"]) % {"name": employee})


def _require_coach(assignment: ProgrammeAssignment, by: User, *, field: str) -> None:
    if not by.has_perm("training.guide_learner", assignment):
        raise PermissionDenied
    if assignment.employee.user_id == by.pk:
        raise field_error(field, ERRORS["own_coach"], code="own_coach")


def _approved_on(work: LeittextWork) -> datetime.date | None:
    if work.plan_approved_at is None:
        return None
    return work.expert_talk_on or timezone.localtime(work.plan_approved_at).date()


@transaction.atomic
def leittext_answers_save(
    *,
    assignment: ProgrammeAssignment,
    module: Module,
    phase: str,
    answers: Mapping[int, str],
    by: User,
) -> LeittextWork:
    """Save the learner's answers to the questions of one phase (empty answers clear).

    Rules: the learner himself, on an active programme, before the evaluation; questions of
    this module and phase; execute, check and evaluate only once the work plan is approved;
    inform, plan and decide no longer change once it is approved; at most 5,000 characters each.
    Raises ValidationError on "phase" or "answers".
    """
    _require_learner(assignment, by)
    if phase not in LeittextPhase.values:
        raise field_error("phase", ERRORS["phase_unknown"], code="phase_unknown")
    assignment, work = _locked_work(assignment, module, field="phase")
    if phase in AFTER_APPROVAL and work.plan_approved_at is None:
        raise field_error("phase", ERRORS["plan_not_approved"], code="plan_not_approved")
    if phase in BEFORE_APPROVAL and work.plan_approved_at is not None:
        raise field_error(
            "phase", ERRORS["plan_frozen"], code="plan_frozen", params={"date": _approved_on(work)}
        )
    known = set(
        LeittextQuestion.objects.filter(module=module, phase=phase).values_list("pk", flat=True)
    )
    unknown = sorted(set(answers) - known)
    if unknown:
        raise field_error(
            "answers",
            ERRORS["question_unknown"],
            code="question_unknown",
            params={
                "phase": LeittextPhase(phase).label,
                "ids": ", ".join(str(pk) for pk in unknown),
            },
        )
    cleaned = {str(pk): _text(text) for pk, text in answers.items()}
    if any(len(text) > MAX_ANSWER for text in cleaned.values()):
        raise field_error(
            "answers", ERRORS["answer_too_long"], code="answer_too_long", params={"max": MAX_ANSWER}
        )
    before = {key: work.answers.get(key, "") for key in cleaned}
    old, new = audit.changed(before, cleaned)
    if not new:
        return work
    merged = dict(work.answers)
    for key, text in cleaned.items():
        if text:
            merged[key] = text
        else:
            merged.pop(key, None)
    work.answers = merged
    work.save(update_fields=["answers", "updated_at"])
    audit.record(
        actor=by,
        action="training.leittext_answered",
        obj=work,
        before={"phase": phase, "answers": old},
        after={"phase": phase, "answers": new},
    )
    return work


@transaction.atomic
def leittext_plan_save(
    *, assignment: ProgrammeAssignment, module: Module, work_plan: str, by: User
) -> LeittextWork:
    """Write or rewrite the learner's work plan, which the expert talk approves.

    Rules: the learner himself, on an active programme, before the evaluation; not after the
    approval; a text of at most 10,000 characters. Raises ValidationError on "work_plan".
    """
    _require_learner(assignment, by)
    assignment, work = _locked_work(assignment, module, field="work_plan")
    if work.plan_approved_at is not None:
        raise field_error(
            "work_plan",
            ERRORS["plan_approved"],
            code="plan_approved",
            params={"date": _approved_on(work)},
        )
    text = _text(work_plan)
    if not text:
        raise field_error("work_plan", ERRORS["plan_required"], code="plan_required")
    if len(text) > MAX_PLAN:
        raise field_error(
            "work_plan", ERRORS["plan_too_long"], code="plan_too_long", params={"max": MAX_PLAN}
        )
    before = work.work_plan
    if before == text:
        return work
    work.work_plan = text
    work.save(update_fields=["work_plan", "updated_at"])
    audit.record(
        actor=by,
        action="training.leittext_plan_written",
        obj=work,
        before={"work_plan": before},
        after={"work_plan": text},
    )
    return work


@transaction.atomic
def leittext_expert_talk(
    *,
    assignment: ProgrammeAssignment,
    module: Module,
    talk_on: datetime.date,
    approve: bool,
    note: str,
    by: User,
) -> LeittextWork:
    """Record the expert talk about the work plan: approve it (execution may start), or say what
    must change first (the learner rewrites it and a next talk follows).

    Rules: the coach, not the learner himself; the learner wrote a work plan; not approved
    before; the talk is not in the future nor before the programme started; a note when the
    plan is not approved. Raises ValidationError on "decision", "expert_talk_on" or "note".
    """
    _require_coach(assignment, by, field="decision")
    assignment, work = _locked_work(assignment, module, field="decision")
    if not work.work_plan:
        raise field_error(
            "decision", ERRORS["no_plan"], code="no_plan", params={"name": assignment.employee}
        )
    if work.plan_approved_at is not None:
        raise field_error(
            "decision",
            ERRORS["already_approved"],
            code="already_approved",
            params={"date": _approved_on(work)},
        )
    today = timezone.localdate()
    if talk_on > today:
        raise field_error(
            "expert_talk_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    if talk_on < assignment.started_on:
        raise field_error(
            "expert_talk_on",
            ERRORS["talk_before_start"],
            code="talk_before_start",
            params={"start": assignment.started_on},
        )
    note = _text(note)
    if not approve and not note:
        raise field_error(
            "note",
            ERRORS["talk_note_required"],
            code="talk_note_required",
            params={"name": assignment.employee},
        )
    if len(note) > MAX_NOTE:
        raise field_error(
            "note", ERRORS["note_too_long"], code="note_too_long", params={"max": MAX_NOTE}
        )
    before = audit.snapshot(work, ["expert_talk_on", "talk_note", "plan_approved_at"])
    work.expert_talk_on = talk_on
    work.talk_note = note
    fields = ["expert_talk_on", "talk_note", "updated_at"]
    if approve:
        work.plan_approved_at = timezone.now()
        work.plan_approved_by = by
        fields += ["plan_approved_at", "plan_approved_by"]
    work.save(update_fields=fields)
    audit.record(
        actor=by,
        action="training.leittext_plan_approved" if approve else "training.leittext_plan_returned",
        obj=work,
        before=before,
        after={
            **audit.snapshot(work, ["expert_talk_on", "talk_note", "plan_approved_at"]),
            "work_plan": work.work_plan,
        },
    )
    return work


def _check_scores(module: Module, scores: Mapping[int, int]) -> dict[str, int]:
    criteria = list(LeittextCriterion.objects.filter(module=module).order_by("position", "id"))
    if not criteria:
        raise field_error("scores", ERRORS["no_criteria"], code="no_criteria")
    known = {row.pk: row for row in criteria}
    unknown = sorted(set(scores) - set(known))
    if unknown:
        raise field_error(
            "scores",
            ERRORS["criterion_unknown"],
            code="criterion_unknown",
            params={"ids": ", ".join(str(pk) for pk in unknown)},
        )
    missing = [row.text for row in criteria if scores.get(row.pk) is None]
    if missing:
        raise field_error(
            "scores",
            ERRORS["score_missing"],
            code="score_missing",
            params={"names": ", ".join(missing)},
        )
    wrong = [known[pk].text for pk, score in scores.items() if not MIN_SCORE <= score <= MAX_SCORE]
    if wrong:
        raise field_error(
            "scores", ERRORS["score_range"], code="score_range", params={"names": ", ".join(wrong)}
        )
    return {str(pk): int(score) for pk, score in scores.items()}


@transaction.atomic
def leittext_learner_score(
    *, assignment: ProgrammeAssignment, module: Module, scores: Mapping[int, int], by: User
) -> LeittextWork:
    """The learner scores his own work on every criterion of the control sheet, 1 to 5.

    Rules: the learner himself, on an active programme, before the evaluation; the work plan
    is approved; every criterion scored from 1 to 5; he may correct his scores until the coach
    scored. Raises ValidationError on "scores".
    """
    _require_learner(assignment, by)
    assignment, work = _locked_work(assignment, module, field="scores")
    if work.plan_approved_at is None:
        raise field_error("scores", ERRORS["plan_not_approved"], code="plan_not_approved")
    if work.coach_scored_at is not None:
        raise field_error(
            "scores",
            ERRORS["coach_scored"],
            code="coach_scored",
            params={"date": timezone.localtime(work.coach_scored_at).date()},
        )
    cleaned = _check_scores(module, scores)
    before = {"learner_scores": work.learner_scores}
    work.learner_scores = cleaned
    work.learner_scored_at = timezone.now()
    work.save(update_fields=["learner_scores", "learner_scored_at", "updated_at"])
    audit.record(
        actor=by,
        action="training.leittext_learner_scored",
        obj=work,
        before=before,
        after={"learner_scores": cleaned},
    )
    return work


@transaction.atomic
def leittext_coach_score(
    *, assignment: ProgrammeAssignment, module: Module, scores: Mapping[int, int], by: User
) -> LeittextWork:
    """The coach scores the same criteria after the learner; both are shown side by side.

    Rules: the coach, not the learner himself; the learner scored first; every criterion scored
    from 1 to 5; the coach may correct his scores until the evaluation.
    Raises ValidationError on "scores".
    """
    _require_coach(assignment, by, field="scores")
    assignment, work = _locked_work(assignment, module, field="scores")
    if work.learner_scored_at is None:
        raise field_error(
            "scores",
            ERRORS["learner_first"],
            code="learner_first",
            params={"name": assignment.employee},
        )
    cleaned = _check_scores(module, scores)
    before = {"coach_scores": work.coach_scores}
    work.coach_scores = cleaned
    work.coach_scored_at = timezone.now()
    work.save(update_fields=["coach_scores", "coach_scored_at", "updated_at"])
    audit.record(
        actor=by,
        action="training.leittext_coach_scored",
        obj=work,
        before=before,
        after={"coach_scores": cleaned, "learner_scores": work.learner_scores},
    )
    return work


@transaction.atomic
def leittext_evaluate(
    *, assignment: ProgrammeAssignment, module: Module, note: str, by: User
) -> LeittextWork:
    """The coach writes the evaluation; it closes the work (nobody changes it afterwards).

    Rules: the coach, not the learner himself; the work plan is approved; both scored the
    control sheet when it has criteria; an evaluation text. Raises ValidationError on
    "evaluation_note".
    """
    _require_coach(assignment, by, field="evaluation_note")
    assignment, work = _locked_work(assignment, module, field="evaluation_note")
    if work.plan_approved_at is None:
        raise field_error("evaluation_note", ERRORS["plan_not_approved"], code="plan_not_approved")
    has_criteria = LeittextCriterion.objects.filter(module=module).exists()
    if has_criteria and work.coach_scored_at is None:
        raise field_error("evaluation_note", ERRORS["sheet_first"], code="sheet_first")
    note = _text(note)
    if not note:
        raise field_error(
            "evaluation_note", ERRORS["evaluation_required"], code="evaluation_required"
        )
    if len(note) > MAX_NOTE:
        raise field_error(
            "evaluation_note",
            ERRORS["note_too_long"],
            code="note_too_long",
            params={"max": MAX_NOTE},
        )
    work.evaluation_note = note
    work.evaluated_at = timezone.now()
    work.evaluated_by = by
    work.save(update_fields=["evaluation_note", "evaluated_at", "evaluated_by", "updated_at"])
    audit.record(
        actor=by,
        action="training.leittext_evaluated",
        obj=work,
        after={
            "evaluation_note": note,
            "learner_scores": work.learner_scores,
            "coach_scores": work.coach_scores,
            "minutes_spent": work.minutes_spent,
        },
    )
    return work


@transaction.atomic
def leittext_time_log(
    *, assignment: ProgrammeAssignment, module: Module, minutes: int, by: User
) -> LeittextWork:
    """Add the minutes the learner worked on his Leittext to his total.

    Rules: the learner himself, on an active programme, before the evaluation; 1 to 720
    minutes at a time. Raises ValidationError on "minutes".
    """
    _require_learner(assignment, by)
    if not 1 <= minutes <= MAX_MINUTES:
        raise field_error(
            "minutes", ERRORS["minutes_range"], code="minutes_range", params={"max": MAX_MINUTES}
        )
    assignment, work = _locked_work(assignment, module, field="minutes")
    before = work.minutes_spent
    work.minutes_spent = before + minutes
    work.save(update_fields=["minutes_spent", "updated_at"])
    audit.record(
        actor=by,
        action="training.leittext_time_logged",
        obj=work,
        before={"minutes_spent": before},
        after={"minutes_spent": work.minutes_spent, "added": minutes},
    )
    return work


@transaction.atomic
def leittext_error_add(
    *,
    assignment: ProgrammeAssignment,
    module: Module,
    error: str,
    cause: str,
    remedy: str,
    by: User,
) -> LeittextWork:
    """Log an error the learner made or found, its cause and how he removed the cause
    ("fouten verbeteren én de oorzaak ervan vinden en wegnemen").

    Rules: the learner himself, on an active programme, before the evaluation; the work plan is
    approved (errors come up while executing); all three parts, at most 300 characters each.
    Raises ValidationError on "error".
    """
    _require_learner(assignment, by)
    assignment, work = _locked_work(assignment, module, field="error")
    if work.plan_approved_at is None:
        raise field_error("error", ERRORS["plan_not_approved"], code="plan_not_approved")
    parts = {"error": _text(error), "cause": _text(cause), "remedy": _text(remedy)}
    for name, text in parts.items():
        if not text:
            raise field_error(name, ERRORS["error_required"], code="error_required")
        if len(text) > MAX_LOG_TEXT:
            raise field_error(
                name, ERRORS["log_too_long"], code="log_too_long", params={"max": MAX_LOG_TEXT}
            )
    entry = {**parts, "at": timezone.now().isoformat()}
    work.error_log = [*work.error_log, entry]
    work.save(update_fields=["error_log", "updated_at"])
    audit.record(actor=by, action="training.leittext_error_logged", obj=work, after=entry)
    return work
