"""A learner's programme (OJT-04, OJT-16): the assignment of an approved programme version, the
dated plan of its modules, TWI teaching sessions (OJT-14), two-party sign-offs (OJT-05, OJT-15,
X-02) and Leittext work (OJT-12)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.people.models import Employee, Organisation, User
from leerplek.training.models.instructions import WorkInstruction
from leerplek.training.models.programmes import Module, ProgrammeVersion


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class Audience(models.TextChoices):
    """Why the learner follows the programme (OJT-16, usage statistics)."""

    NEWCOMER = "newcomer", _("Newcomer")
    MOVER = "mover", _("Internal move")
    INTERN = "intern", _("Intern")
    IBO = "ibo", _("IBO trainee")
    EXTERNAL = "external", _("External trainee")
    REFRESHER = "refresher", _("Refresher or recertification")
    OTHER = "other", _("Other")


class AssignmentQuerySet(models.QuerySet["ProgrammeAssignment"]):
    def active(self) -> AssignmentQuerySet:
        return self.filter(status=AssignmentStatus.ACTIVE)


class ProgrammeAssignment(models.Model):
    """A learner follows one approved version of a programme, guided by a peter or instructor."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="programme_assignments",
    )
    version = models.ForeignKey(
        ProgrammeVersion,
        verbose_name=_("programme version"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="programme_assignments",
    )
    guide = models.ForeignKey(
        Employee,
        verbose_name=_("peter/meter or instructor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes_guided",
    )
    onboarding = models.ForeignKey(
        "onboarding.Onboarding",
        verbose_name=_("onboarding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_assignments",
    )
    audience = models.CharField(
        _("followed as"), max_length=20, choices=Audience.choices, default=Audience.NEWCOMER
    )
    started_on = models.DateField(_("starts on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ACTIVE,
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        User, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects: ClassVar[AssignmentQuerySet] = AssignmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("programme assignment")
        verbose_name_plural = _("programme assignments")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "version"],
                condition=Q(status="active"),
                name="training_one_active_assignment",
                violation_error_message=_("This person already follows this programme."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="training_assignment_completed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="training_assignment_status"),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.version}"

    @property
    def scope_unit_path(self) -> str:
        """The learner's unit scopes the assignment (core.rules.unit_path_of)."""
        unit = self.employee.unit
        return unit.path if unit is not None else ""


class ModulePlan(models.Model):
    """When the guide plans a module of the learner's programme, and when it really happened."""

    assignment = models.ForeignKey(
        ProgrammeAssignment,
        verbose_name=_("programme assignment"),
        on_delete=models.CASCADE,
        related_name="module_plans",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="plans"
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("started on"), null=True, blank=True)
    # Set by the confirmed sign-off (and cleared when it is revoked).
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("module plan")
        verbose_name_plural = _("module plans")
        ordering = ["assignment", "module__phase__position", "module__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "module"], name="training_module_plan_unique"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="training_module_plan_end_after_start",
                violation_error_message=_("The planned end lies before the planned start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.module}"


class TeachingSession(models.Model):
    """A TWI Job Instruction session (OJT-14): prepare the worker; present each step, again with
    the key points, again with the reasons; let him try out and explain; follow up with a named
    go-to person and tapering checks."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        ProgrammeAssignment,
        verbose_name=_("programme assignment"),
        on_delete=models.CASCADE,
        related_name="teaching_sessions",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="+"
    )
    instruction = models.ForeignKey(
        WorkInstruction,
        verbose_name=_("work instruction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_on = models.DateField(_("held on"))
    instructor = models.ForeignKey(
        Employee, verbose_name=_("taught by"), on_delete=models.PROTECT, related_name="+"
    )
    # Step 1: prepare the worker (put at ease, what he knows already, interest, right position).
    prepared = models.BooleanField(_("1. worker prepared"), default=False)
    preparation_note = models.TextField(_("what he already knew"), blank=True)
    # Step 2: present the operation three times.
    presented_steps = models.BooleanField(_("2a. showed the important steps"), default=False)
    presented_key_points = models.BooleanField(_("2b. again, with the key points"), default=False)
    presented_reasons = models.BooleanField(_("2c. again, with the reasons"), default=False)
    # Step 3: try-out; the learner does it and explains.
    tried_steps = models.BooleanField(_("3a. did it, naming the steps"), default=False)
    tried_key_points = models.BooleanField(_("3b. again, naming the key points"), default=False)
    tried_reasons = models.BooleanField(_("3c. again, naming the reasons"), default=False)
    tryout_note = models.TextField(_("what was corrected"), blank=True)
    # Step 4: follow-up.
    go_to_person = models.ForeignKey(
        Employee,
        verbose_name=_("go-to person for questions"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("teaching session")
        verbose_name_plural = _("teaching sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment.employee}: {self.module} ({self.held_on})"


class FollowUpCheck(models.Model):
    """A tapering check after a teaching session: often at first, then less."""

    session = models.ForeignKey(
        TeachingSession,
        verbose_name=_("teaching session"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    due_on = models.DateField(_("check on"))
    done_on = models.DateField(_("checked on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.session}: {self.due_on}"


class SignoffCapacity(models.TextChoices):
    """In what capacity the second party confirms."""

    MENTOR = "mentor", pgettext_lazy("guide role", "Mentor")
    INSTRUCTOR = "instructor", _("Instructor")
    MANAGER = "manager", _("Line manager")
    HR = "hr", _("HR / training coordinator")


class SignoffQuerySet(models.QuerySet["Signoff"]):
    def valid(self) -> SignoffQuerySet:
        return self.filter(revoked_at__isnull=True)

    def confirmed(self) -> SignoffQuerySet:
        return self.filter(revoked_at__isnull=True, confirmed_at__isnull=False)


class Signoff(models.Model):
    """The two-party sign-off of a module (OJT-05): the learner declares it done, the peter or
    instructor confirms (never the learner himself). Immutable once confirmed; revocable only
    with a reason, which the audit log keeps."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="signoffs",
    )
    assignment = models.ForeignKey(
        ProgrammeAssignment,
        verbose_name=_("programme assignment"),
        on_delete=models.CASCADE,
        related_name="signoffs",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="signoffs"
    )
    # The version signed, kept as a number too: it is what the signature is about.
    version_number = models.PositiveSmallIntegerField(_("programme version"))
    declared_at = models.DateTimeField(_("declared done"))
    declared_by = models.ForeignKey(
        User, verbose_name=_("declared by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    learner_note = models.TextField(_("learner's note"), blank=True)
    # The checklist as both ticked it: [{"item": id, "text": "...", "learner": true,
    # "confirmer": true}], in the order of execution.
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmer = models.ForeignKey(
        Employee,
        verbose_name=_("confirmed by (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signoffs_confirmed",
    )
    capacity = models.CharField(
        _("capacity"), max_length=20, choices=SignoffCapacity.choices, blank=True
    )
    confirmer_note = models.TextField(_("confirmer's note"), blank=True)
    # SHA-256 of the signed content (learner, module, version, checklist, both signatures).
    content_hash = models.CharField(_("SHA-256"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    objects: ClassVar[SignoffQuerySet] = SignoffQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("module sign-off")
        verbose_name_plural = _("module sign-offs")
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "module"],
                condition=Q(revoked_at__isnull=True),
                name="training_one_valid_signoff",
                violation_error_message=_("This module is already signed off."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                name="training_signoff_revoke_has_reason",
                violation_error_message=_("Give the reason for revoking the sign-off."),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "confirmed_at"], name="training_signoff_conf"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.employee}: {self.module}"

    @property
    def scope_unit_path(self) -> str:
        return self.assignment.scope_unit_path


class LeittextQuestionKind(models.TextChoices):
    """The question types of a Leittext (Restaurantketen X)."""

    GUIDING = "guiding", _("Guiding question")
    PLANNING = "planning", _("Planning question (the order of the tasks)")
    STEERING = "steering", _("Steering question (insight and understanding)")
    CONTROL = "control", _("Control question")


class LeittextPhase(models.TextChoices):
    """The six phases of complete action a Leittext learner goes through."""

    INFORM = "inform", _("Inform")
    PLAN = "plan", _("Plan")
    DECIDE = "decide", _("Decide")
    EXECUTE = "execute", _("Execute")
    CHECK = "check", _("Check")
    EVALUATE = "evaluate", _("Evaluate")


class LeittextQuestion(models.Model):
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="leittext_questions",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=LeittextQuestionKind.choices)
    phase = models.CharField(
        _("phase"), max_length=20, choices=LeittextPhase.choices, default=LeittextPhase.INFORM
    )
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("Leittext question")
        verbose_name_plural = _("Leittext questions")
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class LeittextCriterion(models.Model):
    """A criterion of the control sheet that learner and coach both score."""

    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="leittext_criteria",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("criterion"), max_length=300)

    class Meta:
        verbose_name = _("control criterion")
        verbose_name_plural = _("control criteria")
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.text


class LeittextWork(models.Model):
    """A learner's work on a Leittext module: answers, the work plan approved in an expert talk
    before execution, the control sheet scored by learner then coach, and the evaluation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        ProgrammeAssignment,
        verbose_name=_("programme assignment"),
        on_delete=models.CASCADE,
        related_name="leittext_work",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="+"
    )
    # {"<question id>": "answer"}.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    work_plan = models.TextField(_("work plan"), blank=True)
    expert_talk_on = models.DateField(_("expert talk on"), null=True, blank=True)
    plan_approved_at = models.DateTimeField(_("work plan approved"), null=True, blank=True)
    plan_approved_by = models.ForeignKey(
        User,
        verbose_name=_("work plan approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the coach and the learner agreed in the expert talk (or what must change first).
    talk_note = models.TextField(_("agreed in the expert talk"), blank=True)
    # {"<criterion id>": score 1..5}; the coach scores after the learner.
    learner_scores = models.JSONField(_("learner's control scores"), default=dict, blank=True)
    learner_scored_at = models.DateTimeField(_("learner scored"), null=True, blank=True)
    coach_scores = models.JSONField(_("coach's control scores"), default=dict, blank=True)
    coach_scored_at = models.DateTimeField(_("coach scored"), null=True, blank=True)
    # "Correct errors, and find and remove their cause" (Restaurantketen X): the learner's log,
    # [{"error": "...", "cause": "...", "remedy": "...", "at": "<ISO timestamp>"}].
    error_log = models.JSONField(_("errors, causes and remedies"), default=list, blank=True)
    evaluation_note = models.TextField(_("evaluation"), blank=True)
    # The evaluation closes the work: nobody changes it afterwards.
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        User,
        verbose_name=_("evaluated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Authoring effort is tracked on the module's side; this is the learner's time (OJT-12).
    minutes_spent = models.PositiveIntegerField(_("minutes spent"), default=0)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("Leittext work")
        verbose_name_plural = _("Leittext work")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "module"], name="training_leittext_work_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.employee}: {self.module}"


class LeittextEffort(models.Model):
    """Time an author spent writing a Leittext module (OJT-12). The method's drawback is its
    long, and possibly expensive, development time (Restaurantketen X): this makes it visible."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="leittext_efforts",
    )
    author = models.ForeignKey(
        User,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    worked_on = models.DateField(_("worked on"))
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("what was done"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        verbose_name = _("Leittext authoring time")
        verbose_name_plural = _("Leittext authoring time")
        ordering = ["-worked_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0),
                name="training_leittext_effort_minutes_positive",
                violation_error_message=_("Enter more than zero minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module}: {self.minutes} min"
