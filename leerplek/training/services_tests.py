"""Writes of the tests area (TEST-01, 02, 03, 06, 08; see docs/training-tests-certificates.md).

Authoring: a test (questionnaire or practical exercise) linked to a module, a phase or a
programme, with a pass mark, a number of attempts, a practice mode and the attest it issues; a
question bank (multiple choice, true or false, pick the right photo) and, for a practical test,
the checklist an observer scores. A test changes while it is a draft; once published it changes
only after it is taken back to draft, which is possible as long as nobody took it.

Taking: only a learner with an active programme assignment whose version holds the test takes
it; the server scores every answer (a score sent by the browser is never read); a practice
attempt never counts. After the last allowed attempt fails, the learner is blocked and an
escalation goes to HR, who allows one more attempt (after retraining or not) or stops.

Practical: an observer, never the learner himself, ticks the checklist; a missed critical
criterion fails the test whatever the score. A passed test that issues an attest issues it at once
(services_certificates).

Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.people.models import Employee, Organisation, User
from leerplek.training import photos
from leerplek.training.models import (
    AssignmentStatus,
    Attempt,
    Choice,
    Escalation,
    EscalationDecision,
    Module,
    Phase,
    PracticalCriterion,
    Programme,
    ProgrammeAssignment,
    Question,
    QuestionKind,
    Test,
    TestKind,
    TestStatus,
)

MAX_TEXT = 2000
MAX_CHOICES = 8
MAX_POINTS = 100

ERRORS = {
    "title_required": _("Give the test a title, e.g. 'Saus afvullen: eindtest'."),
    "kind_unknown": _("Choose the kind: a questionnaire or a practical exercise."),
    "link_required": _("Link the test to a module, a phase or a programme."),
    "link_mismatch": _("The module and the phase belong to different programme versions."),
    "other_organisation": _("This belongs to another organisation."),
    "pass_range": _("Enter the pass mark as a whole percentage from 1 to 100, e.g. 65."),
    "attempts_range": _("Allow at least one attempt: 3 means one test and 2 retakes (at most 20)."),
    "valid_months_range": _("Enter the validity in whole months from 1 to 240, or leave it empty."),
    "attest_title_too_long": _("Keep the attest title under 200 characters."),
    "final_needs_programme": _(
        "A final evaluation belongs to a programme: choose the programme (or its phase)."
    ),
    "not_draft": _(
        "This test is %(status)s and does not change. Take it back to draft first (possible as "
        "long as nobody took it)."
    ),
    "taken": _(
        "%(count)s counted attempts exist: the test stays as it was taken. Archive it and make "
        "a new test instead."
    ),
    "status_unknown": _("Choose draft, published or archived."),
    "question_kind_unknown": _(
        "Choose the kind of question: multiple choice, true or false, or pick the right photo."
    ),
    "question_required": _("Write the question, e.g. 'At what temperature do you fill the sauce?'"),
    "question_kind_wrong_test": _("A practical test has checklist criteria, not questions."),
    "criterion_wrong_test": _("A questionnaire has questions, not checklist criteria."),
    "points_range": _("Enter the points as a whole number from 1 to 100."),
    "text_too_long": _("Keep this text under %(max)s characters."),
    "choice_required": _("Write the answer, e.g. '85 °C'."),
    "choice_photo_required": _("A photo question needs a photo for every answer: add the photo."),
    "choice_true_false": _("A true-or-false question has its two answers already."),
    "too_many_choices": _("A question has at most %(max)s answers."),
    "criterion_required": _("Write what the observer checks, e.g. 'Closes the valve first'."),
    "incomplete": _("The test cannot be published yet: %(problems)s"),
    "confirm_required": _("Tick the box to confirm."),
    "not_published": _("This test is not published: it cannot be taken now."),
    "not_assigned": _(
        "%(name)s follows no active programme that holds this test: only learners of that "
        "programme take it. Ask HR or your line manager to assign the programme."
    ),
    "blocked": _(
        "You used all %(allowed)s attempts; HR decides how you go on (one more attempt, or first "
        "a repeat of the training)."
    ),
    "stopped": _("HR stopped this test for %(name)s on %(date)s."),
    "no_attempts_left": _("No attempts left: %(used)s of %(allowed)s used."),
    "already_passed": _("%(name)s already passed this test on %(date)s."),
    "no_practice": _("This test has no practice mode."),
    "not_questionnaire": _("A practical test is scored by an observer, not answered online."),
    "not_practical": _("A questionnaire is scored automatically, not by an observer."),
    "not_learner": _("Only %(name)s himself takes his test."),
    "answers_missing": _("Answer every question; still open: %(numbers)s."),
    "observer_is_learner": _(
        "You cannot observe your own practical test: another person scores it."
    ),
    "observer_missing": _("The observer needs a person record in this organisation."),
    "no_criteria": _("This practical test has no criteria to score."),
    "decided": _("This escalation was decided on %(date)s."),
    "decision_unknown": _(
        "Choose a decision: one more attempt, repeat the training first, or stop."
    ),
    "note_required_stop": _("Write why the test stops, so the learner and his manager know."),
}


def _error(key: str, code: str, **params: Any) -> ValidationError:
    return field_error(key, ERRORS[code], code=code, params=params or None)


def _record(by: User | None, action: str, obj: Any, organisation: Any, **kw: Any) -> None:
    audit.record(actor=by, action=action, obj=obj, organisation=organisation, **kw)


def _require(by: User, perm: str, obj: Any = None) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def percent_of(points: int, max_points: int) -> Decimal:
    """A score as a percentage with two decimals (never a float)."""
    if max_points <= 0:
        return Decimal("0.00")
    return (Decimal(points) * 100 / Decimal(max_points)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


# --- Photos ---------------------------------------------------------------------------------------


def photo_check(file: UploadedFile, *, field: str, label: Any) -> None:
    """Refuse a photo that is too large or not an image inside (leerplek.training.photos)."""
    photos.photo_check(file, field=field, label=label)


# --- Authoring ------------------------------------------------------------------------------------

TEST_FIELDS = [
    "title",
    "kind",
    "instructions",
    "programme",
    "phase",
    "module",
    "is_final",
    "pass_percent",
    "max_attempts",
    "allow_practice",
    "issues_attest",
    "attest_title",
    "attest_valid_months",
    "recertification_programme",
    "repeat_months",
]


def _counted_attempts(test: Test) -> int:
    return Attempt.objects.filter(test=test, is_practice=False).count()


def _editable(test: Test) -> Test:
    """The test, locked, when it may change (a draft); raises ValidationError otherwise."""
    locked = Test.objects.select_for_update().get(pk=test.pk)
    if locked.status != TestStatus.DRAFT:
        raise _error("status", "not_draft", status=locked.get_status_display().lower())
    return locked


def _check_test(organisation_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Validate the settings of a test; return them cleaned."""
    clean = dict(values)
    clean["title"] = (clean.get("title") or "").strip()
    if not clean["title"]:
        raise _error("title", "title_required")
    if clean.get("kind") not in TestKind.values:
        raise _error("kind", "kind_unknown")
    clean["instructions"] = (clean.get("instructions") or "").strip()
    if len(clean["instructions"]) > MAX_TEXT:
        raise _error("instructions", "text_too_long", max=MAX_TEXT)
    programme: Programme | None = clean.get("programme")
    phase: Phase | None = clean.get("phase")
    module: Module | None = clean.get("module")
    for name, obj in (
        ("programme", programme),
        ("phase", phase),
        ("module", module),
        ("recertification_programme", clean.get("recertification_programme")),
    ):
        owner = getattr(obj, "organisation_id", None)
        if obj is not None and owner is None:
            owner = obj.version.organisation_id  # type: ignore[union-attr]  # a phase or module
        if obj is not None and owner != organisation_id:
            raise _error(name, "other_organisation")
    if programme is None and phase is None and module is None:
        raise _error("module", "link_required")
    if phase is not None and module is not None and module.version_id != phase.version_id:
        raise _error("module", "link_mismatch")
    if clean.get("is_final") and programme is None and phase is None and module is None:
        raise _error("programme", "final_needs_programme")
    pass_percent = clean.get("pass_percent")
    if pass_percent is None:
        pass_percent = settings.LEERPLEK.get("TEST_PASS_PERCENT", 65)
    if not isinstance(pass_percent, int) or not 1 <= pass_percent <= 100:
        raise _error("pass_percent", "pass_range")
    clean["pass_percent"] = pass_percent
    attempts = clean.get("max_attempts")
    if attempts is None:
        attempts = settings.LEERPLEK.get("TEST_MAX_ATTEMPTS", 3)
    if not isinstance(attempts, int) or not 1 <= attempts <= 20:
        raise _error("max_attempts", "attempts_range")
    clean["max_attempts"] = attempts
    months = clean.get("attest_valid_months")
    if months is not None and not (isinstance(months, int) and 1 <= months <= 240):
        raise _error("attest_valid_months", "valid_months_range")
    repeat = clean.get("repeat_months")
    if repeat is not None and not (isinstance(repeat, int) and 1 <= repeat <= 240):
        raise _error("repeat_months", "valid_months_range")
    clean["attest_title"] = (clean.get("attest_title") or "").strip()
    if len(clean["attest_title"]) > 200:
        raise _error("attest_title", "attest_title_too_long")
    for flag in ("is_final", "allow_practice", "issues_attest"):
        clean[flag] = bool(clean.get(flag))
    return clean


@transaction.atomic
def test_create(*, organisation: Organisation, by: User, **fields: Any) -> Test:
    """A new draft test. Rules: a title and a kind; linked to a module, phase or programme of
    this organisation; pass mark 1-100 % (default TEST_PASS_PERCENT); 1-20 attempts (default
    TEST_MAX_ATTEMPTS). Raises ValidationError keyed by field."""
    _require(by, "training.author_tests")
    values = _check_test(organisation.pk, {name: fields.get(name) for name in TEST_FIELDS})
    preparation = _check_preparation(organisation.pk, fields.get("preparation"))
    test = Test.objects.create(organisation=organisation, created_by=by, **values)
    if preparation is not None:
        test.preparation.set(preparation)
    _record(
        by, "training.test_created", test, organisation, after=audit.snapshot(test, TEST_FIELDS)
    )
    return test


def _check_preparation(organisation_id: int, instructions: Any) -> list[Any] | None:
    """The work instructions (fiches) to prepare with (TEST-04): of this organisation. None
    when the caller did not give them (they stay as they are)."""
    if instructions is None:
        return None
    rows = list(instructions)
    if any(row.organisation_id != organisation_id for row in rows):
        raise _error("preparation", "other_organisation")
    return rows


@transaction.atomic
def test_update(*, test: Test, by: User, **fields: Any) -> Test:
    """Change the settings of a draft test (same rules as test_create)."""
    _require(by, "training.author_tests")
    locked = _editable(test)
    before = audit.snapshot(locked, TEST_FIELDS)
    current = {name: getattr(locked, name) for name in TEST_FIELDS}
    current.update({name: value for name, value in fields.items() if name in TEST_FIELDS})
    values = _check_test(locked.organisation_id, current)
    preparation = _check_preparation(locked.organisation_id, fields.get("preparation"))
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    if preparation is not None:
        locked.preparation.set(preparation)
    old, new = audit.changed(before, audit.snapshot(locked, TEST_FIELDS))
    if new:
        _record(by, "training.test_changed", locked, locked.organisation, before=old, after=new)
    return locked


def publish_problems(test: Test) -> list[str]:
    """What keeps the test from being published (empty when it is complete). Two queries."""
    problems: list[str] = []
    if test.kind == TestKind.PRACTICAL:
        if not test.criteria.exists():
            problems.append(gettext("add at least one checklist criterion"))
        return problems
    questions = list(test.questions.prefetch_related("choices"))
    if not questions:
        problems.append(gettext("add at least one question"))
    for number, question in enumerate(questions, start=1):
        choices = list(question.choices.all())
        correct = sum(1 for choice in choices if choice.is_correct)
        if len(choices) < 2:
            problems.append(gettext("question %(number)s needs two answers") % {"number": number})
        elif correct != 1:
            problems.append(
                gettext("question %(number)s needs exactly one correct answer") % {"number": number}
            )
        if question.kind == QuestionKind.PHOTO and any(not choice.photo for choice in choices):
            problems.append(
                gettext("question %(number)s needs a photo for every answer") % {"number": number}
            )
    return problems


@transaction.atomic
def test_set_status(*, test: Test, by: User, status: str) -> Test:
    """Publish a complete test, take it back to draft (only while nobody took it) or archive
    it. Raises ValidationError on "status"."""
    _require(by, "training.author_tests")
    locked = Test.objects.select_for_update().get(pk=test.pk)
    if status not in TestStatus.values:
        raise _error("status", "status_unknown")
    if status == locked.status:
        return locked
    if status == TestStatus.PUBLISHED:
        problems = publish_problems(locked)
        if problems:
            raise _error("status", "incomplete", problems="; ".join(problems) + ".")
    if status == TestStatus.DRAFT and (count := _counted_attempts(locked)):
        raise _error("status", "taken", count=count)
    before = locked.status
    locked.status = status
    locked.save(update_fields=["status"])
    _record(
        by,
        "training.test_status",
        locked,
        locked.organisation,
        before={"status": before},
        after={"status": status},
    )
    return locked


def _points(value: Any) -> int:
    if value is None:
        return 1
    if not isinstance(value, int) or not 1 <= value <= MAX_POINTS:
        raise _error("points", "points_range")
    return value


def _next_position(queryset: Any) -> int:
    return int(queryset.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def question_add(
    *,
    test: Test,
    by: User,
    kind: str,
    text: str,
    points: int | None = 1,
    explanation: str = "",
    photo: UploadedFile | None = None,
    true_is_correct: bool | None = None,
) -> Question:
    """Add a question to a draft questionnaire. A true-or-false question gets its two answers
    at once (`true_is_correct` says which is right). Raises ValidationError keyed by field."""
    _require(by, "training.author_tests")
    locked = _editable(test)
    if locked.kind != TestKind.QUESTIONNAIRE:
        raise _error("kind", "question_kind_wrong_test")
    if kind not in QuestionKind.values:
        raise _error("kind", "question_kind_unknown")
    text = (text or "").strip()
    if not text:
        raise _error("text", "question_required")
    if len(text) > MAX_TEXT:
        raise _error("text", "text_too_long", max=MAX_TEXT)
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_TEXT:
        raise _error("explanation", "text_too_long", max=MAX_TEXT)
    if photo is not None:
        photo_check(photo, field="photo", label=Question._meta.get_field("photo").verbose_name)
    question = Question(
        organisation_id=locked.organisation_id,
        test=locked,
        position=_next_position(locked.questions.all()),
        kind=kind,
        text=text,
        points=_points(points),
        explanation=explanation,
    )
    if photo is not None:
        question.photo.save(photo.name or "photo", photo, save=False)
    question.save()
    if kind == QuestionKind.TRUE_FALSE:
        right = True if true_is_correct is None else bool(true_is_correct)
        Choice.objects.bulk_create(
            [
                Choice(
                    organisation_id=locked.organisation_id,
                    question=question,
                    position=1,
                    text=gettext("True"),
                    is_correct=right,
                ),
                Choice(
                    organisation_id=locked.organisation_id,
                    question=question,
                    position=2,
                    text=gettext("False"),
                    is_correct=not right,
                ),
            ]
        )
    _record(
        by,
        "training.test_question_added",
        question,
        locked.organisation,
        after={"test": locked.pk, "kind": kind, "text": text, "points": question.points},
    )
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    by: User,
    text: str,
    points: int | None = 1,
    explanation: str = "",
    photo: UploadedFile | None = None,
) -> Question:
    """Change the wording, points, explanation or photo of a question of a draft test."""
    _require(by, "training.author_tests")
    _editable(question.test)
    text = (text or "").strip()
    if not text:
        raise _error("text", "question_required")
    if len(text) > MAX_TEXT or len(explanation or "") > MAX_TEXT:
        raise _error("text", "text_too_long", max=MAX_TEXT)
    if photo is not None:
        photo_check(photo, field="photo", label=Question._meta.get_field("photo").verbose_name)
    before = audit.snapshot(question, ["text", "points", "explanation"])
    question.text = text
    question.points = _points(points)
    question.explanation = (explanation or "").strip()
    if photo is not None:
        question.photo.save(photo.name or "photo", photo, save=False)
    question.save()
    old, new = audit.changed(before, audit.snapshot(question, ["text", "points", "explanation"]))
    _record(
        by, "training.test_question_changed", question, question.organisation, before=old, after=new
    )
    return question


@transaction.atomic
def question_remove(*, question: Question, by: User) -> None:
    """Remove a question (and its answers) from a draft test."""
    _require(by, "training.author_tests")
    test = _editable(question.test)
    _record(
        by,
        "training.test_question_removed",
        question,
        test.organisation,
        before={"test": test.pk, "text": question.text},
    )
    question.delete()


@transaction.atomic
def choice_add(
    *,
    question: Question,
    by: User,
    text: str = "",
    is_correct: bool = False,
    photo: UploadedFile | None = None,
) -> Choice:
    """Add an answer to a question of a draft test. A photo question needs a photo on every
    answer; a true-or-false question already has its two. Marking this answer correct makes
    the others wrong (one correct answer per question)."""
    _require(by, "training.author_tests")
    _editable(question.test)
    if question.kind == QuestionKind.TRUE_FALSE:
        raise _error("text", "choice_true_false")
    text = (text or "").strip()
    if len(text) > 300:
        raise _error("text", "text_too_long", max=300)
    if question.kind == QuestionKind.PHOTO and photo is None:
        raise _error("photo", "choice_photo_required")
    if question.kind == QuestionKind.MULTIPLE_CHOICE and not text:
        raise _error("text", "choice_required")
    if question.choices.count() >= MAX_CHOICES:
        raise _error("text", "too_many_choices", max=MAX_CHOICES)
    if photo is not None:
        photo_check(photo, field="photo", label=Choice._meta.get_field("photo").verbose_name)
    choice = Choice(
        organisation_id=question.organisation_id,
        question=question,
        position=_next_position(question.choices.all()),
        text=text,
        is_correct=bool(is_correct),
    )
    if photo is not None:
        choice.photo.save(photo.name or "photo", photo, save=False)
    choice.save()
    if choice.is_correct:
        question.choices.exclude(pk=choice.pk).update(is_correct=False)
    _record(
        by,
        "training.test_choice_added",
        choice,
        question.organisation,
        after={"question": question.pk, "text": text, "is_correct": choice.is_correct},
    )
    return choice


@transaction.atomic
def choice_mark_correct(*, choice: Choice, by: User) -> Choice:
    """Make `choice` the one correct answer of its question (draft test)."""
    _require(by, "training.author_tests")
    _editable(choice.question.test)
    choice.question.choices.exclude(pk=choice.pk).update(is_correct=False)
    choice.is_correct = True
    choice.save(update_fields=["is_correct"])
    _record(
        by, "training.test_choice_correct", choice, choice.organisation, after={"is_correct": True}
    )
    return choice


@transaction.atomic
def choice_remove(*, choice: Choice, by: User) -> None:
    """Remove an answer from a question of a draft test (not from a true-or-false question)."""
    _require(by, "training.author_tests")
    question = choice.question
    _editable(question.test)
    if question.kind == QuestionKind.TRUE_FALSE:
        raise _error("text", "choice_true_false")
    _record(
        by,
        "training.test_choice_removed",
        choice,
        question.organisation,
        before={"question": question.pk, "text": choice.text},
    )
    choice.delete()


@transaction.atomic
def criterion_add(
    *, test: Test, by: User, text: str, points: int | None = 1, is_critical: bool = False
) -> PracticalCriterion:
    """Add a checklist criterion to a draft practical test; a critical one fails the test when
    it is missed."""
    _require(by, "training.author_tests")
    locked = _editable(test)
    if locked.kind != TestKind.PRACTICAL:
        raise _error("text", "criterion_wrong_test")
    text = (text or "").strip()
    if not text:
        raise _error("text", "criterion_required")
    if len(text) > 300:
        raise _error("text", "text_too_long", max=300)
    criterion = PracticalCriterion.objects.create(
        test=locked,
        position=_next_position(locked.criteria.all()),
        text=text,
        points=_points(points),
        is_critical=bool(is_critical),
    )
    _record(
        by,
        "training.test_criterion_added",
        criterion,
        locked.organisation,
        after={"test": locked.pk, "text": text, "critical": criterion.is_critical},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: PracticalCriterion, by: User) -> None:
    """Remove a criterion from a draft practical test."""
    _require(by, "training.author_tests")
    test = _editable(criterion.test)
    _record(
        by,
        "training.test_criterion_removed",
        criterion,
        test.organisation,
        before={"test": test.pk, "text": criterion.text},
    )
    criterion.delete()


# --- Who may take a test, and how many times ------------------------------------------------------


def belongs_q(test: Test, prefix: str = "") -> Q | None:
    """The assignments whose version holds the test's module, phase or programme."""
    belongs = Q()
    # A new programme version copies its phases and modules: the copy still holds the test.
    if test.module_id is not None:
        belongs |= Q(**{f"{prefix}version__modules": test.module_id})
        belongs |= Q(**{f"{prefix}version__modules__copied_from": test.module_id})
    if test.phase_id is not None:
        belongs |= Q(**{f"{prefix}version__phases": test.phase_id})
        belongs |= Q(**{f"{prefix}version__phases__copied_from": test.phase_id})
    if test.programme_id is not None:
        belongs |= Q(**{f"{prefix}version__programme": test.programme_id})
    return belongs or None


def assignment_for(test: Test, employee: Employee) -> ProgrammeAssignment | None:
    """The learner's active assignment that holds the test, or None. One query."""
    belongs = belongs_q(test)
    if belongs is None:
        return None
    return (
        ProgrammeAssignment.objects.filter(
            belongs,
            organisation_id=test.organisation_id,
            employee_id=employee.pk,
            status=AssignmentStatus.ACTIVE,
        )
        .select_related("employee", "employee__unit", "version", "version__programme")
        .order_by("-id")
        .first()
    )


@dataclass(frozen=True)
class AttemptState:
    """Where a learner stands with one test (what the take page and the lists show)."""

    used: int
    allowed: int
    passed_on: Any  # the date of the passed attempt, or None
    open_escalation: bool
    stopped_on: Any  # the date HR stopped the test, or None

    @property
    def remaining(self) -> int:
        return max(self.allowed - self.used, 0)

    @property
    def retakes_left(self) -> int:
        return max(self.remaining - (0 if self.used else 1), 0)

    @property
    def blocked(self) -> bool:
        return (
            self.open_escalation
            or self.stopped_on is not None
            or (self.passed_on is None and self.remaining == 0)
        )

    @property
    def may_attempt(self) -> bool:
        return self.passed_on is None and not self.blocked


def state_from(test: Test, attempts: list[Attempt], escalations: list[Escalation]) -> AttemptState:
    """The state computed from rows already loaded (no query)."""
    counted = [attempt for attempt in attempts if not attempt.is_practice]
    passed = next((attempt for attempt in counted if attempt.passed), None)
    extra = sum(row.extra_attempts for row in escalations if row.decided_at is not None)
    stopped = next((row for row in escalations if row.decision == EscalationDecision.STOP), None)
    return AttemptState(
        used=len(counted),
        allowed=test.max_attempts + extra,
        passed_on=timezone.localdate(passed.submitted_at)
        if passed is not None and passed.submitted_at
        else None,
        open_escalation=any(row.decided_at is None for row in escalations),
        stopped_on=timezone.localdate(stopped.decided_at)
        if stopped is not None and stopped.decided_at
        else None,
    )


def attempt_state(test: Test, employee: Employee) -> AttemptState:
    """Where `employee` stands with `test`. Two queries."""
    attempts = list(Attempt.objects.filter(test=test, employee_id=employee.pk, is_practice=False))
    escalations = list(Escalation.objects.filter(test=test, employee_id=employee.pk))
    return state_from(test, attempts, escalations)


def _check_may_attempt(test: Test, employee: Employee) -> tuple[ProgrammeAssignment, int]:
    """The assignment and the number of the next counted attempt; raises ValidationError."""
    if test.status != TestStatus.PUBLISHED:
        raise _error("test", "not_published")
    assignment = assignment_for(test, employee)
    if assignment is None:
        raise _error("test", "not_assigned", name=employee)
    # Lock the learner's attempts: two tabs submitting at once must not both count as the last.
    list(
        Attempt.objects.select_for_update().filter(
            test=test, employee_id=employee.pk, is_practice=False
        )
    )
    state = attempt_state(test, employee)
    if state.passed_on is not None:
        raise _error("test", "already_passed", name=employee, date=state.passed_on)
    if state.stopped_on is not None:
        raise _error("test", "stopped", name=employee, date=state.stopped_on)
    if state.open_escalation:
        raise _error("test", "blocked", allowed=state.allowed)
    if state.remaining == 0:
        raise _error("test", "no_attempts_left", used=state.used, allowed=state.allowed)
    return assignment, state.used + 1


def score_answers(
    test: Test, answers: Mapping[str, Any]
) -> tuple[int, int, dict[str, int | None], dict[int, bool]]:
    """Score `answers` ({question id: choice id}) on the server: (points, possible, the
    answers kept, {question id: correct}). An answer that is no choice of its question counts
    as no answer. Two queries."""
    points = 0
    possible = 0
    kept: dict[str, int | None] = {}
    correct: dict[int, bool] = {}
    for question in test.questions.prefetch_related("choices"):
        possible += question.points
        raw = str(answers.get(str(question.pk), "") or "")
        chosen = next((c for c in question.choices.all() if str(c.pk) == raw), None)
        kept[str(question.pk)] = chosen.pk if chosen is not None else None
        correct[question.pk] = chosen is not None and chosen.is_correct
        if correct[question.pk]:
            points += question.points
    return points, possible, kept, correct


@transaction.atomic
def attempt_submit(
    *,
    test: Test,
    employee: Employee,
    answers: Mapping[str, Any],
    by: User,
    practice: bool = False,
) -> Attempt:
    """Record the learner's answers to a questionnaire, scored here. Rules: the learner
    himself; published; an active assignment holding the test; a counted attempt only while
    attempts remain, HR has not stopped it and no escalation is open; every question answered.
    A practice attempt (if the test allows practice) never counts: number 0, no pass or fail,
    no attest. Failing the last allowed attempt blocks the learner and raises an escalation.
    Raises ValidationError ("test", "answers"), PermissionDenied for someone else."""
    if employee.user_id is None or employee.user_id != by.pk:
        raise PermissionDenied(ERRORS["not_learner"] % {"name": employee})
    if test.kind != TestKind.QUESTIONNAIRE:
        raise _error("test", "not_questionnaire")
    if practice:
        if test.status != TestStatus.PUBLISHED:
            raise _error("test", "not_published")
        if not test.allow_practice:
            raise _error("test", "no_practice")
        assignment = assignment_for(test, employee)
        if assignment is None:
            raise _error("test", "not_assigned", name=employee)
        number = 0
    else:
        assignment, number = _check_may_attempt(test, employee)
    points, possible, kept, _correct = score_answers(test, answers)
    missing = [
        str(position) for position, value in enumerate(kept.values(), start=1) if value is None
    ]
    if missing:
        raise _error("answers", "answers_missing", numbers=", ".join(missing))
    percent = percent_of(points, possible)
    attempt = Attempt.objects.create(
        organisation_id=test.organisation_id,
        test=test,
        employee=employee,
        assignment=assignment,
        is_practice=practice,
        number=number,
        submitted_at=timezone.now(),
        answers=kept,
        points=points,
        max_points=possible,
        score_percent=percent,
        passed=None if practice else percent >= test.pass_percent,
        recorded_by=by,
    )
    if not practice:
        _after_counted(attempt, by)
    return attempt


@transaction.atomic
def practical_record(
    *,
    test: Test,
    employee: Employee,
    checked: Mapping[str, Any],
    observer: Employee | None,
    by: User,
    note: str = "",
) -> Attempt:
    """An observer scores a practical test on its checklist. Rules: the observer has a person
    record here and is not the learner; the learner may attempt (as for a questionnaire);
    points of the ticked criteria against the pass mark, and a missed critical criterion
    fails the test whatever the score. Raises ValidationError ("observer", "test")."""
    if test.kind != TestKind.PRACTICAL:
        raise _error("test", "not_practical")
    if observer is None or observer.organisation_id != test.organisation_id:
        raise _error("observer", "observer_missing")
    if observer.pk == employee.pk or (employee.user_id is not None and employee.user_id == by.pk):
        raise _error("observer", "observer_is_learner")
    assignment, number = _check_may_attempt(test, employee)
    _require(by, "training.observe_tests", assignment)
    criteria = list(test.criteria.all())
    if not criteria:
        raise _error("test", "no_criteria")
    points = 0
    possible = 0
    kept: dict[str, bool] = {}
    critical_missed = False
    for criterion in criteria:
        done = bool(checked.get(str(criterion.pk)))
        kept[str(criterion.pk)] = done
        possible += criterion.points
        if done:
            points += criterion.points
        elif criterion.is_critical:
            critical_missed = True
    percent = percent_of(points, possible)
    attempt = Attempt.objects.create(
        organisation_id=test.organisation_id,
        test=test,
        employee=employee,
        assignment=assignment,
        number=number,
        submitted_at=timezone.now(),
        answers=kept,
        points=points,
        max_points=possible,
        score_percent=percent,
        passed=percent >= test.pass_percent and not critical_missed,
        observer=observer,
        observer_note=(note or "").strip()[:MAX_TEXT],
        recorded_by=by,
    )
    _after_counted(attempt, by)
    return attempt


def _after_counted(attempt: Attempt, by: User) -> None:
    """Audit a counted attempt; issue the attest on a pass, or escalate after the last fail."""
    test = attempt.test
    _record(
        by,
        "training.test_attempt",
        attempt,
        test.organisation,
        after={
            "test": test.pk,
            "employee": attempt.employee_id,
            "number": attempt.number,
            "points": attempt.points,
            "max_points": attempt.max_points,
            "score_percent": attempt.score_percent,
            "passed": attempt.passed,
        },
    )
    if attempt.passed:
        if test.issues_attest:
            from leerplek.training.services_certificates import attest_issue

            attest_issue(attempt=attempt, by=by)
        _complete_programme(attempt, by)
        return
    state = attempt_state(test, attempt.employee)
    if state.remaining == 0 and not state.open_escalation:
        escalation = Escalation.objects.create(
            organisation_id=test.organisation_id, test=test, employee=attempt.employee
        )
        _record(
            by,
            "training.test_escalated",
            escalation,
            test.organisation,
            after={"test": test.pk, "employee": attempt.employee_id, "attempts": state.used},
        )


def _complete_programme(attempt: Attempt, by: User) -> None:
    """A passed final evaluation may complete the learner's programme (the learning area owns
    that rule)."""
    if attempt.assignment is None or not attempt.test.is_final:
        return
    try:
        from leerplek.training.services_learning import complete_if_done
    except ImportError:  # the learning area is not installed in this build
        return
    complete_if_done(assignment=attempt.assignment, by=by)


# --- HR decides after the last failed attempt -----------------------------------------------------


@transaction.atomic
def escalation_decide(
    *, escalation: Escalation, by: User, decision: str, note: str = ""
) -> Escalation:
    """HR decides: one more attempt, repeat the training first and then one more attempt, or
    stop the test. Rules: decided once; a stop needs a note. Raises ValidationError keyed by
    "decision" or "note"; PermissionDenied without training.decide_escalations on it."""
    _require(by, "training.decide_escalations", escalation)
    locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if locked.decided_at is not None:
        raise _error("decision", "decided", date=timezone.localdate(locked.decided_at))
    if decision not in EscalationDecision.values:
        raise _error("decision", "decision_unknown")
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise _error("note", "text_too_long", max=MAX_TEXT)
    if decision == EscalationDecision.STOP and not note:
        raise _error("note", "note_required_stop")
    locked.decision = decision
    locked.note = note
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.extra_attempts = 0 if decision == EscalationDecision.STOP else 1
    locked.save()
    _record(
        by,
        "training.test_escalation_decided",
        locked,
        locked.organisation,
        after={"decision": decision, "note": note, "extra_attempts": locked.extra_attempts},
    )
    return locked
