"""Reads of the Leittext method (OJT-12): the authoring page of a module, a learner's work in the
six phases of complete action with the control sheet side by side, and the progress shown on the
assignment page, the learner's own page and the coach's home card. Each function runs a fixed
number of queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from leerplek.core.access import Access
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
)
from leerplek.training.models.assignments import LeittextEffort
from leerplek.training.services_leittext import AFTER_APPROVAL, BEFORE_APPROVAL

PHASES = list(LeittextPhase)


# --- Authoring -----------------------------------------------------------------------------------


def leittext_modules(*, organisation_id: int) -> QuerySet[Module]:
    """The Leittext modules of the organisation, with their version and programme loaded."""
    return Module.objects.filter(
        version__organisation_id=organisation_id, kind=ModuleKind.LEITTEXT
    ).select_related("version", "version__programme", "phase")


@dataclass
class PhaseCount:
    phase: str
    label: str
    count: int


@dataclass
class AuthoringView:
    module: Module
    questions: list[LeittextQuestion]
    criteria: list[LeittextCriterion]
    efforts: list[LeittextEffort]
    effort_minutes: int

    @property
    def editable(self) -> bool:
        return self.module.version.is_editable

    @property
    def phase_counts(self) -> list[PhaseCount]:
        counts: dict[str, int] = defaultdict(int)
        for question in self.questions:
            counts[question.phase] += 1
        return [PhaseCount(phase.value, str(phase.label), counts[phase.value]) for phase in PHASES]

    @property
    def kind_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for question in self.questions:
            counts[question.kind] += 1
        return [(str(kind.label), counts[kind.value]) for kind in LeittextQuestionKind]

    @property
    def effort_hours(self) -> Decimal:
        return (Decimal(self.effort_minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


def leittext_authoring(*, module: Module, efforts_shown: int = 20) -> AuthoringView:
    """A module's questions, control criteria and the authors' time, in four queries (the
    newest `efforts_shown` entries are listed, all of them counted)."""
    questions = list(module.leittext_questions.order_by("position", "id"))
    criteria = list(module.leittext_criteria.order_by("position", "id"))
    efforts = list(module.leittext_efforts.select_related("author")[:efforts_shown])
    total = module.leittext_efforts.aggregate(total=Sum("minutes"))["total"] or 0
    return AuthoringView(
        module=module,
        questions=questions,
        criteria=criteria,
        efforts=efforts,
        effort_minutes=total,
    )


# --- A learner's work ----------------------------------------------------------------------------


@dataclass
class QuestionRow:
    question: LeittextQuestion
    answer: str


@dataclass
class PhaseRow:
    phase: str
    label: str
    number: int
    questions: list[QuestionRow]
    done: bool
    current: bool = False
    # The learner may write this phase's answers now.
    open: bool = False
    # Why it is closed: "approval" (after the expert talk), "approved" (as approved), "closed".
    closed_because: str = ""

    @property
    def answered(self) -> int:
        return sum(1 for row in self.questions if row.answer)

    @property
    def total(self) -> int:
        return len(self.questions)


@dataclass
class SheetRow:
    criterion: LeittextCriterion
    learner: int | None
    coach: int | None

    @property
    def difference(self) -> int | None:
        if self.learner is None or self.coach is None:
            return None
        return self.coach - self.learner

    @property
    def tone(self) -> str:
        """ "same", "differs" (one point apart) or "far" (two or more): the coach talks these
        through in the evaluation."""
        difference = self.difference
        if difference is None or difference == 0:
            return "same"
        return "far" if abs(difference) >= 2 else "differs"


@dataclass
class ErrorEntry:
    error: str
    cause: str
    remedy: str
    at: str


@dataclass
class WorkState:
    """Where a learner is in a Leittext, computed from the rows, never stored twice."""

    phases: list[PhaseRow]
    plan_written: bool
    plan_approved: bool
    learner_scored: bool
    coach_scored: bool
    evaluated: bool
    has_criteria: bool

    @property
    def current(self) -> PhaseRow | None:
        return next((row for row in self.phases if row.current), None)

    @property
    def done_count(self) -> int:
        return sum(1 for row in self.phases if row.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.phases)) if self.phases else 0

    @property
    def next_step(self) -> str:
        """What happens next, as a code the pages word for the learner or the coach:
        inform, plan, talk, execute, self_score, coach_score, check, evaluate or evaluated."""
        current = self.current
        if self.evaluated or current is None:
            return "evaluated" if self.evaluated else "evaluate"
        phase = current.phase
        if phase == LeittextPhase.DECIDE:
            return "talk"
        if phase == LeittextPhase.CHECK and self.has_criteria:
            if not self.learner_scored:
                return "self_score"
            if not self.coach_scored:
                return "coach_score"
        return str(phase)


def work_state(
    *,
    questions: Iterable[tuple[int, str]],
    has_criteria: bool,
    work: LeittextWork | None,
    rows: dict[str, list[QuestionRow]] | None = None,
) -> WorkState:
    """The six phases of complete action with what is done, what is open and where the learner
    is. `questions` are (id, phase) pairs; `rows` the full questions per phase when a page shows
    them."""
    answers = work.answers if work is not None else {}
    by_phase: dict[str, list[int]] = defaultdict(list)
    for pk, phase in questions:
        by_phase[phase].append(pk)
    plan_written = bool(work and work.work_plan)
    approved = bool(work and work.plan_approved_at)
    learner_scored = bool(work and work.learner_scored_at)
    coach_scored = bool(work and work.coach_scored_at)
    evaluated = bool(work and work.evaluated_at)
    extra = {
        LeittextPhase.INFORM: True,
        LeittextPhase.PLAN: plan_written,
        LeittextPhase.DECIDE: approved,
        LeittextPhase.EXECUTE: True,
        LeittextPhase.CHECK: not has_criteria or (learner_scored and coach_scored),
        LeittextPhase.EVALUATE: evaluated,
    }
    phases: list[PhaseRow] = []
    for number, phase in enumerate(PHASES, start=1):
        answered = all(answers.get(str(pk)) for pk in by_phase[phase.value])
        row = PhaseRow(
            phase=phase.value,
            label=str(phase.label),
            number=number,
            questions=(rows or {}).get(phase.value, []),
            # The expert talk accepted what led to the approved plan.
            done=evaluated
            or (approved and phase in BEFORE_APPROVAL)
            or (answered and extra[phase]),
        )
        if evaluated:
            row.closed_because = "closed"
        elif phase in AFTER_APPROVAL and not approved:
            row.closed_because = "approval"
        elif phase in BEFORE_APPROVAL and approved:
            row.closed_because = "approved"
        else:
            row.open = True
        phases.append(row)
    if not evaluated:
        current = next((row for row in phases if not row.done), None)
        if current is not None:
            current.current = True
    return WorkState(
        phases=phases,
        plan_written=plan_written,
        plan_approved=approved,
        learner_scored=learner_scored,
        coach_scored=coach_scored,
        evaluated=evaluated,
        has_criteria=has_criteria,
    )


@dataclass
class WorkView:
    assignment: ProgrammeAssignment
    module: Module
    work: LeittextWork | None
    state: WorkState
    sheet: list[SheetRow]
    errors: list[ErrorEntry] = field(default_factory=list)

    @property
    def phases(self) -> list[PhaseRow]:
        return self.state.phases

    @property
    def criteria(self) -> list[LeittextCriterion]:
        return [row.criterion for row in self.sheet]

    @property
    def differences(self) -> int:
        return sum(1 for row in self.sheet if row.tone != "same")

    @property
    def minutes_spent(self) -> int:
        return self.work.minutes_spent if self.work is not None else 0

    @property
    def time_spent(self) -> tuple[int, int]:
        """(hours, minutes) the learner logged."""
        return divmod(self.minutes_spent, 60)

    @property
    def talk_held(self) -> bool:
        return bool(self.work and self.work.expert_talk_on)

    @property
    def learner_average(self) -> Decimal | None:
        return _average(row.learner for row in self.sheet)

    @property
    def coach_average(self) -> Decimal | None:
        return _average(row.coach for row in self.sheet)


def _average(values: Iterable[int | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    if not present:
        return None
    return (Decimal(sum(present)) / len(present)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def leittext_work_detail(*, assignment: ProgrammeAssignment, module: Module) -> WorkView:
    """A learner's work on one Leittext module in three queries: the questions, the control
    criteria and the work (with who approved and evaluated)."""
    questions = list(module.leittext_questions.order_by("position", "id"))
    criteria = list(module.leittext_criteria.order_by("position", "id"))
    work = (
        LeittextWork.objects.select_related("plan_approved_by", "evaluated_by")
        .filter(assignment=assignment, module=module)
        .first()
    )
    answers = work.answers if work is not None else {}
    rows: dict[str, list[QuestionRow]] = defaultdict(list)
    for question in questions:
        rows[question.phase].append(QuestionRow(question, answers.get(str(question.pk), "")))
    state = work_state(
        questions=[(q.pk, q.phase) for q in questions],
        has_criteria=bool(criteria),
        work=work,
        rows=rows,
    )
    learner = work.learner_scores if work is not None else {}
    coach = work.coach_scores if work is not None else {}
    sheet = [SheetRow(row, learner.get(str(row.pk)), coach.get(str(row.pk))) for row in criteria]
    errors = [
        ErrorEntry(
            error=entry.get("error", ""),
            cause=entry.get("cause", ""),
            remedy=entry.get("remedy", ""),
            at=entry.get("at", ""),
        )
        for entry in (work.error_log if work is not None else [])
    ]
    return WorkView(
        assignment=assignment, module=module, work=work, state=state, sheet=sheet, errors=errors
    )


# --- Progress on shared pages ---------------------------------------------------------------------


@dataclass
class ProgressRow:
    assignment_id: int
    module: Module
    state: WorkState
    minutes_spent: int
    question_count: int
    programme: str = ""


def _progress(
    pairs: Sequence[tuple[int, Module]], works: Iterable[LeittextWork], questions: Iterable[Any]
) -> list[ProgressRow]:
    by_module: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for module_id, pk, phase in questions:
        by_module[module_id].append((pk, phase))
    work_of = {(work.assignment_id, work.module_id): work for work in works}
    rows = []
    for assignment_id, module in pairs:
        work = work_of.get((assignment_id, module.pk))
        state = work_state(
            questions=by_module[module.pk],
            has_criteria=bool(getattr(module, "criteria_count", 0)),
            work=work,
        )
        rows.append(
            ProgressRow(
                assignment_id=assignment_id,
                module=module,
                state=state,
                minutes_spent=work.minutes_spent if work is not None else 0,
                question_count=len(by_module[module.pk]),
                programme=str(module.version.programme),
            )
        )
    return rows


def assignment_leittext_progress(*, assignment: ProgrammeAssignment) -> list[ProgressRow]:
    """The Leittext modules of the assignment's version and how far the learner is in each: one
    query, two more when the version has Leittext modules."""
    modules = list(
        Module.objects.filter(version_id=assignment.version_id, kind=ModuleKind.LEITTEXT)
        .select_related("version__programme", "phase")
        .annotate(criteria_count=Count("leittext_criteria"))
        .order_by("phase__position", "position", "id")
    )
    if not modules:
        return []
    questions = LeittextQuestion.objects.filter(module__in=modules).values_list(
        "module_id", "pk", "phase"
    )
    works = LeittextWork.objects.filter(assignment=assignment).only(
        "assignment_id",
        "module_id",
        "answers",
        "work_plan",
        "plan_approved_at",
        "learner_scored_at",
        "coach_scored_at",
        "evaluated_at",
        "minutes_spent",
    )
    return _progress([(assignment.pk, module) for module in modules], works, questions)


def own_leittext_progress(*, employee_id: int, organisation_id: int) -> list[ProgressRow]:
    """The learner's Leittext modules in every programme he follows now, in three queries at
    most (one when he has none)."""
    modules = list(
        Module.objects.filter(
            version__organisation_id=organisation_id,
            kind=ModuleKind.LEITTEXT,
            version__assignments__employee_id=employee_id,
            version__assignments__status=AssignmentStatus.ACTIVE,
        )
        .select_related("version__programme", "phase")
        .annotate(
            # The join of the filter above: the learner's active assignment of that version.
            assignment_pk=F("version__assignments__id"),
            criteria_count=Count("leittext_criteria", distinct=True),
        )
        .order_by("version__programme__title", "phase__position", "position", "id")
    )
    if not modules:
        return []
    questions = LeittextQuestion.objects.filter(module__in=modules).values_list(
        "module_id", "pk", "phase"
    )
    pairs: list[tuple[int, Module]] = [(module.assignment_pk, module) for module in modules]
    works = LeittextWork.objects.filter(
        assignment_id__in={pk for pk, _module in pairs}, module__in=modules
    )
    return _progress(pairs, works, questions)


def coach_queue(*, access: Access) -> list[LeittextWork]:
    """Leittext work waiting for the user as the guide named on the programme: a work plan to
    discuss in the expert talk, or a control sheet to score after the learner (one query)."""
    if access.employee_id is None or access.organisation_id is None:
        return []
    waiting = Q(plan_approved_at__isnull=True) & ~Q(work_plan="")
    waiting |= Q(learner_scored_at__isnull=False, coach_scored_at__isnull=True)
    return list(
        LeittextWork.objects.filter(
            waiting,
            organisation_id=access.organisation_id,
            assignment__guide_id=access.employee_id,
            assignment__status=AssignmentStatus.ACTIVE,
            evaluated_at__isnull=True,
        )
        .select_related("assignment__employee", "module")
        .order_by("updated_at", "id")[:10]
    )
