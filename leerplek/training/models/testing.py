"""Tests (TEST-01, 02, 04, 05, 06, 08): question banks with multiple-choice, true/false and
photo questions, scored on the server; practical tests scored by an observer on a checklist;
a pass mark and a maximum number of attempts, then blocking with an escalation to HR; a
practice mode that never counts."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerplek.people.models import Employee, Organisation, User
from leerplek.training.models.assignments import ProgrammeAssignment
from leerplek.training.models.instructions import WorkInstruction
from leerplek.training.models.programmes import Module, Phase, Programme


def question_photo_path(instance: models.Model, filename: str) -> str:
    return f"training/{instance.organisation_id}/tests/{uuid.uuid4().hex}-{filename[-60:]}"  # type: ignore[attr-defined]


class TestKind(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("Questionnaire (scored automatically)")
    PRACTICAL = "practical", _("Practical exercise (scored by an observer)")


class TestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Test(models.Model):
    """A test of a module or phase, or the final evaluation of a programme (TEST-06)."""

    __test__ = False  # not a pytest class

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="tests"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TestKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=TestStatus.choices, default=TestStatus.DRAFT
    )
    instructions = models.TextField(_("what the learner is told before starting"), blank=True)
    # What the test belongs to: one module, one phase, or the programme as its final evaluation.
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tests",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tests",
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tests",
    )
    is_final = models.BooleanField(
        _("final evaluation of the programme"),
        default=False,
        help_text=_("The programme is completed only when this test is passed."),
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=65, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("The first attempt and the retakes: 3 is one test and 2 retakes."),
    )
    allow_practice = models.BooleanField(
        _("practice mode"),
        default=True,
        help_text=_("The learner may practise with feedback; practice never counts."),
    )
    # The attest issued on passing (TEST-03) and how long it is valid.
    issues_attest = models.BooleanField(_("issues an attest on passing"), default=True)
    attest_title = models.CharField(_("attest title"), max_length=200, blank=True)
    attest_valid_months = models.PositiveSmallIntegerField(
        _("attest valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for an attest without expiry."),
    )
    # On expiry of the attest this programme is assigned to the holder (recertification).
    recertification_programme = models.ForeignKey(
        Programme,
        verbose_name=_("recertification programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recertifies",
    )
    # Recurring tests (TEST-04): every this many months for the people who passed.
    repeat_months = models.PositiveSmallIntegerField(
        _("repeat every (months)"), null=True, blank=True
    )
    # Preparation material (the photo fiches), TEST-04.
    preparation = models.ManyToManyField(
        WorkInstruction, verbose_name=_("preparation material"), blank=True, related_name="tests"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_percent__gte=1) & Q(pass_percent__lte=100),
                name="training_test_pass_percent_1_100",
                violation_error_message=_("The pass mark is a percentage from 1 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__gte=1),
                name="training_test_at_least_one_attempt",
                violation_error_message=_("Allow at least one attempt."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    PHOTO = "photo", _("Pick the right photo")


class Question(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    test = models.ForeignKey(
        Test, verbose_name=_("test"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    photo = models.ImageField(
        _("photo with the question"), upload_to=question_photo_path, blank=True, max_length=255
    )
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    # Shown after an answer in practice mode, and after the attempt (formative feedback).
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["test", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Choice(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("answer"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to=question_photo_path, blank=True, max_length=255)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text or f"#{self.position}"


class PracticalCriterion(models.Model):
    """A checklist item an observer scores in a practical test."""

    test = models.ForeignKey(
        Test, verbose_name=_("test"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("criterion"), max_length=300)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    is_critical = models.BooleanField(
        _("critical"), default=False, help_text=_("Missing a critical item fails the test.")
    )

    class Meta:
        verbose_name = _("practical criterion")
        verbose_name_plural = _("practical criteria")
        ordering = ["test", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Attempt(models.Model):
    """One attempt at a test. A practice attempt never counts (`number` 0)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="test_attempts",
    )
    test = models.ForeignKey(
        Test, verbose_name=_("test"), on_delete=models.CASCADE, related_name="attempts"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="test_attempts"
    )
    assignment = models.ForeignKey(
        ProgrammeAssignment,
        verbose_name=_("programme assignment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="test_attempts",
    )
    is_practice = models.BooleanField(_("practice"), default=False)
    number = models.PositiveSmallIntegerField(_("attempt"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # {"<question id>": <choice id>} for questionnaires; {"<criterion id>": true} for practical.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    points = models.PositiveSmallIntegerField(_("points scored"), default=0)
    max_points = models.PositiveSmallIntegerField(_("points possible"), default=0)
    score_percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    observer = models.ForeignKey(
        Employee,
        verbose_name=_("observer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    observer_note = models.TextField(_("observer's note"), blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["test", "employee", "number"],
                condition=Q(is_practice=False),
                name="training_attempt_number_unique",
                violation_error_message=_("This attempt was already recorded."),
            ),
        ]
        indexes = [models.Index(fields=["employee", "test"], name="training_attempt_person")]

    def __str__(self) -> str:
        return f"{self.employee}: {self.test} #{self.number}"

    @property
    def scope_unit_path(self) -> str:
        unit = self.employee.unit
        return unit.path if unit is not None else ""


class EscalationDecision(models.TextChoices):
    EXTRA_ATTEMPT = "extra_attempt", _("Allow one more attempt")
    RETRAIN = "retrain", _("Repeat the training first, then one more attempt")
    STOP = "stop", _("Stop the programme")


class Escalation(models.Model):
    """After the last failed attempt the learner is blocked and HR decides (TEST-02)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="test_escalations",
    )
    test = models.ForeignKey(
        Test, verbose_name=_("test"), on_delete=models.CASCADE, related_name="escalations"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=EscalationDecision.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Attempts added on top of the test's maximum by this decision.
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)

    class Meta:
        verbose_name = _("test escalation")
        verbose_name_plural = _("test escalations")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["test", "employee"],
                condition=Q(decided_at__isnull=True),
                name="training_one_open_escalation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.test}"

    @property
    def scope_unit_path(self) -> str:
        unit = self.employee.unit
        return unit.path if unit is not None else ""
