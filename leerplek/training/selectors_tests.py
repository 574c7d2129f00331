"""Reads of the tests area: the library of tests, one test with its question bank and results,
the tests a learner may take, the learners an observer may score, HR's escalations and the
feedback after an attempt. Each function runs a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from leerplek.core.access import Access
from leerplek.core.roles import Role
from leerplek.training.models import (
    AssignmentStatus,
    Attempt,
    Choice,
    Escalation,
    Module,
    Phase,
    PracticalCriterion,
    ProgrammeAssignment,
    Question,
    Test,
    TestKind,
    TestStatus,
)
from leerplek.training.services_tests import AttemptState, belongs_q, publish_problems, state_from

OBSERVE_ROLES = (Role.HR, Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR)
DECIDE_ROLES = (Role.HR, Role.ADMIN)


def tests_of(*, organisation_id: int) -> QuerySet[Test]:
    """The organisation's tests with what they are linked to loaded."""
    return Test.objects.filter(organisation_id=organisation_id).select_related(
        "programme",
        "phase",
        "phase__version__programme",
        "module",
        "module__version__programme",
        "recertification_programme",
    )


def library_list(*, organisation_id: int, query: str = "", status: str = "") -> QuerySet[Test]:
    """The library: every test with its number of questions or criteria, counted attempts and
    passes, in one query (per page)."""
    tests = tests_of(organisation_id=organisation_id)
    if query:
        tests = tests.filter(Q(title__icontains=query) | Q(attest_title__icontains=query))
    if status:
        tests = tests.filter(status=status)
    counted = Attempt.objects.filter(test=OuterRef("pk"), is_practice=False)
    return tests.annotate(
        question_count=Count("questions", distinct=True),
        criterion_count=Count("criteria", distinct=True),
        attempt_count=Coalesce(
            Subquery(counted.order_by().values("test").annotate(n=Count("pk")).values("n")), 0
        ),
        pass_count=Coalesce(
            Subquery(
                counted.filter(passed=True)
                .order_by()
                .values("test")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
    ).order_by("status", "title", "id")


def link_label(test: Test) -> str:
    """What the test belongs to, as read in lists (loaded by tests_of, no query)."""
    if test.module_id is not None and test.module is not None:
        return f"{test.module.version.programme.title} · {test.module.title}"
    if test.phase_id is not None and test.phase is not None:
        return f"{test.phase.version.programme.title} · {test.phase.title}"
    if test.programme is not None:
        return test.programme.title
    return ""


@dataclass
class TestView:
    test: Test
    questions: list[Question]
    criteria: list[PracticalCriterion]
    problems: list[str]
    results: list[Attempt]
    attempt_count: int
    pass_count: int

    @property
    def is_questionnaire(self) -> bool:
        return self.test.kind == TestKind.QUESTIONNAIRE

    @property
    def editable(self) -> bool:
        return self.test.status == TestStatus.DRAFT


RESULTS_SHOWN = 50


def question_bank(*, test: Test) -> TestView:
    """The test's question bank (with answers) or checklist, what keeps it from publishing and
    its latest counted results. Six queries."""
    questions = list(
        test.questions.prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
        ).order_by("position", "id")
    )
    criteria = list(test.criteria.order_by("position", "id"))
    counted = Attempt.objects.filter(test=test, is_practice=False)
    totals = counted.aggregate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    results = list(
        counted.select_related("employee", "observer").order_by("-submitted_at", "-id")[
            :RESULTS_SHOWN
        ]
    )
    problems = publish_problems(test) if test.status == TestStatus.DRAFT else []
    return TestView(
        test=test,
        questions=questions,
        criteria=criteria,
        problems=problems,
        results=results,
        attempt_count=totals["n"],
        pass_count=totals["passed"],
    )


def questions_to_answer(*, test: Test) -> list[Question]:
    """The questions of a questionnaire with their answers, in order (two queries)."""
    return list(
        test.questions.prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
        ).order_by("position", "id")
    )


# --- The learner ----------------------------------------------------------------------------------


@dataclass
class LearnerTest:
    test: Test
    assignment_id: int
    state: AttemptState
    last: Attempt | None = None


def _states(
    tests: Sequence[Test], employee_ids: set[int]
) -> tuple[dict[tuple[int, int], list[Attempt]], dict[tuple[int, int], list[Escalation]]]:
    """Counted attempts and escalations of these people on these tests (two queries)."""
    attempts: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    escalations: dict[tuple[int, int], list[Escalation]] = defaultdict(list)
    if not tests or not employee_ids:
        return attempts, escalations
    for attempt in Attempt.objects.filter(
        test__in=tests, employee_id__in=employee_ids, is_practice=False
    ).order_by("-submitted_at", "-id"):
        attempts[(attempt.test_id, attempt.employee_id)].append(attempt)
    for escalation in Escalation.objects.filter(test__in=tests, employee_id__in=employee_ids):
        escalations[(escalation.test_id, escalation.employee_id)].append(escalation)
    return attempts, escalations


def tests_for_learner(*, employee_id: int, organisation_id: int) -> list[LearnerTest]:
    """The published tests of the programmes the learner follows now, with where he stands on
    each. Four queries at most (one when he follows no programme)."""
    assignments = list(
        ProgrammeAssignment.objects.filter(
            organisation_id=organisation_id, employee_id=employee_id, status=AssignmentStatus.ACTIVE
        ).values_list("pk", "version_id", "version__programme_id")
    )
    if not assignments:
        return []
    version_ids = {version_id for _pk, version_id, _programme in assignments}
    modules = Module.objects.filter(version_id__in=version_ids)
    phases = Phase.objects.filter(version_id__in=version_ids)
    tests = list(
        tests_of(organisation_id=organisation_id)
        .filter(status=TestStatus.PUBLISHED)
        .filter(
            Q(module__in=modules)
            | Q(module__copies__in=modules)
            | Q(phase__in=phases)
            | Q(phase__copies__in=phases)
            | Q(programme_id__in={programme for _pk, _v, programme in assignments})
        )
        .annotate(
            version_of_module=Coalesce("module__version_id", "module__copies__version_id"),
            version_of_phase=Coalesce("phase__version_id", "phase__copies__version_id"),
        )
        .order_by("title", "id")
    )
    attempts, escalations = _states(list(tests), {employee_id})
    rows: list[LearnerTest] = []
    seen: set[int] = set()
    for test in tests:
        if test.pk in seen:
            continue
        seen.add(test.pk)
        assignment_id = next(
            (
                pk
                for pk, version_id, programme_id in assignments
                if version_id in (test.version_of_module, test.version_of_phase)
                or programme_id == test.programme_id
            ),
            assignments[0][0],
        )
        mine = attempts.get((test.pk, employee_id), [])
        rows.append(
            LearnerTest(
                test=test,
                assignment_id=assignment_id,
                state=state_from(test, mine, escalations.get((test.pk, employee_id), [])),
                last=mine[0] if mine else None,
            )
        )
    return rows


@dataclass
class FeedbackRow:
    number: int
    question: Question
    chosen: Choice | None
    correct: Choice | None
    is_correct: bool


def attempt_feedback(*, attempt: Attempt) -> list[FeedbackRow]:
    """Per question: the answer given, the right one and whether it was right (two queries).
    Scored again from the stored answers, never from anything the browser sent."""
    rows: list[FeedbackRow] = []
    answers: dict[str, Any] = attempt.answers or {}
    for number, question in enumerate(questions_to_answer(test=attempt.test), start=1):
        choices = list(question.choices.all())
        chosen = next((c for c in choices if c.pk == answers.get(str(question.pk))), None)
        correct = next((c for c in choices if c.is_correct), None)
        rows.append(
            FeedbackRow(
                number=number,
                question=question,
                chosen=chosen,
                correct=correct,
                is_correct=chosen is not None and chosen.is_correct,
            )
        )
    return rows


# --- The observer ---------------------------------------------------------------------------------


@dataclass
class LearnerRow:
    assignment: ProgrammeAssignment
    state: AttemptState


def learners_to_observe(*, test: Test, access: Access) -> list[LearnerRow]:
    """The learners with an active assignment holding the test that this user may observe:
    within the scope of his observing roles, or whom he guides on that programme. Three
    queries."""
    belongs = belongs_q(test)
    if belongs is None or access.organisation_id is None:
        return []
    reach = access.employee_scope_q(OBSERVE_ROLES, prefix="employee__")
    if access.employee_id is not None:
        reach |= Q(guide_id=access.employee_id)
        reach &= ~Q(employee_id=access.employee_id)  # never oneself
    seen: set[int] = set()
    assignments = []
    for assignment in (
        ProgrammeAssignment.objects.filter(
            belongs,
            reach,
            organisation_id=access.organisation_id,
            status=AssignmentStatus.ACTIVE,
        )
        .select_related("employee", "employee__unit", "version__programme", "guide")
        .order_by("employee__last_name", "employee__first_name", "id")
    ):
        if assignment.employee_id not in seen:
            seen.add(assignment.employee_id)
            assignments.append(assignment)
    attempts, escalations = _states([test], seen)
    return [
        LearnerRow(
            assignment=row,
            state=state_from(
                test,
                attempts.get((test.pk, row.employee_id), []),
                escalations.get((test.pk, row.employee_id), []),
            ),
        )
        for row in assignments
    ]


def practical_tests(*, organisation_id: int) -> list[Test]:
    """The published practical tests (one query)."""
    return list(
        tests_of(organisation_id=organisation_id)
        .filter(status=TestStatus.PUBLISHED, kind=TestKind.PRACTICAL)
        .order_by("title", "id")
    )


# --- HR -------------------------------------------------------------------------------------------


@dataclass
class EscalationList:
    open: list[Escalation] = field(default_factory=list)
    decided: list[Escalation] = field(default_factory=list)


DECIDED_SHOWN = 25


def escalations_for(*, access: Access) -> QuerySet[Escalation]:
    """The escalations of the people within the user's HR scope."""
    return Escalation.objects.filter(
        access.employee_scope_q(DECIDE_ROLES, prefix="employee__"),
        organisation_id=access.organisation_id or 0,
    ).select_related("test", "employee", "employee__unit", "decided_by")


def escalation_list(*, access: Access) -> EscalationList:
    """Open escalations (oldest first) and the latest decided ones, each with the number of
    counted attempts (two queries)."""
    used = Attempt.objects.filter(
        test=OuterRef("test_id"), employee=OuterRef("employee_id"), is_practice=False
    )
    rows = escalations_for(access=access).annotate(
        used=Coalesce(
            Subquery(used.order_by().values("test").annotate(n=Count("pk")).values("n")), 0
        )
    )
    return EscalationList(
        open=list(rows.filter(decided_at__isnull=True).order_by("raised_at", "id")),
        decided=list(rows.filter(decided_at__isnull=False).order_by("-decided_at")[:DECIDED_SHOWN]),
    )


def escalation_attempts(*, escalation: Escalation) -> list[Attempt]:
    """The learner's counted attempts on the test, the latest first (one query)."""
    return list(
        Attempt.objects.filter(
            test_id=escalation.test_id, employee_id=escalation.employee_id, is_practice=False
        )
        .select_related("observer")
        .order_by("-number")
    )


def open_escalation_count(*, access: Access) -> int:
    return escalations_for(access=access).filter(decided_at__isnull=True).count()


# --- Recurring tests (TEST-04) and high scorers (TEST-05) -------------------------------------


@dataclass
class DueRow:
    employee_id: int
    name: str
    last_passed: Any  # date
    due_on: Any  # date
    overdue: bool


def recurring_due(*, test: Test, day: Any = None, limit: int = 100) -> list[DueRow]:
    """For a recurring test (`repeat_months`): the people whose last counted pass plus the
    repeat period falls within CERTIFICATE_WARNING_DAYS, or has passed: due, and overdue. One
    query, whatever the number of attempts."""
    import datetime

    from django.conf import settings
    from django.db.models import Max
    from django.utils import timezone

    from leerplek.training.services_certificates import add_months

    if not test.repeat_months:
        return []
    day = day or timezone.localdate()
    soon = day + datetime.timedelta(days=int(settings.LEERPLEK["CERTIFICATE_WARNING_DAYS"]))
    rows = (
        Attempt.objects.filter(test=test, is_practice=False, passed=True)
        .values("employee_id", "employee__first_name", "employee__last_name")
        .annotate(last=Max("submitted_at"))
    )
    due = []
    for row in rows:
        if row["last"] is None:
            continue
        last = timezone.localdate(row["last"])
        due_on = add_months(last, test.repeat_months)
        if due_on <= soon:
            name = f"{row['employee__first_name']} {row['employee__last_name']}"
            due.append(DueRow(row["employee_id"], name, last, due_on, due_on < day))
    due.sort(key=lambda r: (r.due_on, r.name))
    return due[:limit]


def high_scorers(*, test: Test, limit: int = 10) -> list[dict[str, Any]]:
    """The learners with the best counted score at or above TEST_HIGH_SCORE_PERCENT: candidate
    co-authors of new work instructions (TEST-05). One query."""
    from django.conf import settings
    from django.db.models import Max

    threshold = int(settings.LEERPLEK.get("TEST_HIGH_SCORE_PERCENT", 90))
    return list(
        Attempt.objects.filter(
            test=test, is_practice=False, passed=True, score_percent__gte=threshold
        )
        .values("employee_id", "employee__first_name", "employee__last_name")
        .annotate(best=Max("score_percent"))
        .order_by("-best", "employee__last_name", "employee__first_name")[:limit]
    )
