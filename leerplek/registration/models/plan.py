"""The annual training plan (PLAN-01, PLAN-05): its lines, and the plan's consultation with the
works council, CPBW or union delegation (PLAN-03). The plan's realised column comes from the
activities linked to its lines (`Activity.plan_line`)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.people.models import Employee, Organisation, OrgUnit, User

__all__ = [
    "OFF_THE_JOB_FORMS",
    "ConsultationBody",
    "LearningForm",
    "NeedResolution",
    "PlanComment",
    "PlanLine",
    "PlanStatus",
    "SubmittedNeed",
    "SubmittedNeedSource",
    "TrainingPlan",
    "TransferFollowUp",
    "TransferStatus",
]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    IN_FORCE = "in_force", _("In force")
    FILED = "filed", _("Filed with FOD WASO")


class LearningForm(models.TextChoices):
    """How a need is met, or what a plan line is (PLAN-01, PLAN-06, PLAN-07): off the job
    (a course) or workplace learning."""

    EXTERNAL = "external", _("External training")
    INTERNAL = "internal", _("Internal course")
    ON_THE_JOB = "on_the_job", _("On-the-job training")
    MENTORING = "mentoring", pgettext_lazy("learning form", "Peter/meter guidance")
    NETWORK = "network", _("Learning network")
    COMMUNITY = "community", _("Community of practice")
    INTERVISION = "intervision", _("Intervision")


OFF_THE_JOB_FORMS = (LearningForm.EXTERNAL, LearningForm.INTERNAL)


class ConsultationBody(models.TextChoices):
    WORKS_COUNCIL = "works_council", _("Works council (OR)")
    CPBW = "cpbw", _("Committee for prevention and protection at work (CPBW)")
    UNION_DELEGATION = "union_delegation", _("Union delegation")
    WORKERS = "workers", _("The workers themselves (no body)")


class TrainingPlan(models.Model):
    """The training plan of one calendar year (belgian-rules.md §3.4) and its consultation:
    the draft goes to the body at least 15 days before the meeting, the body advises by 15 March,
    the plan is in force before 31 March and filed within a month (settings PLAN_*)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="training_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    body = models.CharField(
        _("consultation body"),
        max_length=20,
        choices=ConsultationBody.choices,
        default=ConsultationBody.WORKS_COUNCIL,
    )
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    shared_on = models.DateField(_("draft shared on"), null=True, blank=True)
    advice = models.TextField(_("the body's advice"), blank=True)
    advice_on = models.DateField(_("advice given on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="registration_one_plan_per_year",
                violation_error_message=_("This year already has a training plan."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Training plan %(year)s") % {"year": self.year})


class PlanLine(models.Model):
    """One training offered in the plan, with its target group and what is planned."""

    plan = models.ForeignKey(
        TrainingPlan,
        verbose_name=_("training plan"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    title = models.CharField(_("training"), max_length=200)
    category = models.CharField(
        _("category"),
        max_length=10,
        choices=[("formal", _("Formal")), ("informal", _("Less formal or informal"))],
    )
    target_group = models.CharField(_("target group"), max_length=300)
    planned_participants = models.PositiveIntegerField(_("planned participants"), default=0)
    planned_hours = models.DecimalField(
        _("planned hours"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    planned_cost = models.DecimalField(
        _("planned cost (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    learning_form = models.CharField(
        _("form of learning"),
        max_length=20,
        choices=LearningForm.choices,
        default=LearningForm.EXTERNAL,
    )
    # Codes of settings.LEERPLEK["PLAN_RISK_GROUPS"]; a list because a line may serve several.
    risk_groups = models.JSONField(_("risk groups"), default=list, blank=True)
    gender_note = models.CharField(_("attention to gender"), max_length=300, blank=True)
    counts_for_right = models.BooleanField(
        _("counts for the individual training right"), default=True
    )
    right_note = models.CharField(
        _("how it contributes to the training right"), max_length=300, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PlanComment(models.Model):
    """A comment of the consultation body (or HR) on the plan (PLAN-03)."""

    plan = models.ForeignKey(
        TrainingPlan,
        verbose_name=_("training plan"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        User, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on the plan")
        verbose_name_plural = _("comments on the plan")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class SubmittedNeedSource(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Line manager")
    REPRESENTATIVE = "representative", _("Employee representatives")
    GAP = "gap", _("Competence gap")
    HR = "hr", _("HR")


class SubmittedNeed(models.Model):
    """A training need put forward in words for the plan by an employee, a manager or the
    employee representatives (PLAN-01, PLAN-06). Needs computed from competence gaps are the
    competences app's `TrainingNeed` rows; both kinds get a `NeedResolution`."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="submitted_needs",
    )
    year = models.PositiveSmallIntegerField(_("for the plan of"))
    source = models.CharField(_("put forward by"), max_length=20, choices=SubmittedNeedSource)
    description = models.TextField(_("what should be learnt"))
    target_group = models.CharField(_("for whom"), max_length=300, blank=True)
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="submitted_needs",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_needs",
    )
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name=_("competence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_needs",
    )
    submitted_by = models.ForeignKey(
        User, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("put forward on"), auto_now_add=True)

    class Meta:
        verbose_name = _("submitted training need")
        verbose_name_plural = _("submitted training needs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return self.description[:60]


class NeedResolution(models.Model):
    """How one need is met (PLAN-07): by a course or by workplace learning, and the plan line
    that carries it. `suggested_form` keeps what the competence type suggested, so an override
    stays visible (S-46)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="need_resolutions",
    )
    training_need = models.OneToOneField(
        "competences.TrainingNeed",
        verbose_name=_("training need from a gap"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resolution",
    )
    submitted_need = models.OneToOneField(
        SubmittedNeed,
        verbose_name=_("submitted training need"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resolution",
    )
    learning_form = models.CharField(
        _("form of learning"), max_length=20, choices=LearningForm.choices
    )
    suggested_form = models.CharField(
        _("suggested form"), max_length=20, choices=LearningForm.choices, blank=True
    )
    plan_line = models.ForeignKey(
        PlanLine,
        verbose_name=_("plan line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolutions",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now=True)

    class Meta:
        verbose_name = _("resolution of a training need")
        verbose_name_plural = _("resolutions of training needs")
        constraints = [
            models.CheckConstraint(
                condition=(Q(training_need__isnull=False) & Q(submitted_need__isnull=True))
                | (Q(training_need__isnull=True) & Q(submitted_need__isnull=False)),
                name="registration_resolution_one_need",
                violation_error_message=_("A resolution belongs to exactly one need."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_learning_form_display()

    @property
    def overridden(self) -> bool:
        return bool(self.suggested_form) and self.suggested_form != self.learning_form


class TransferStatus(models.TextChoices):
    OPEN = "open", _("To follow up")
    APPLIED = "applied", _("Applied at work")
    PARTLY = "partly", _("Partly applied")
    NOT_APPLIED = "not_applied", _("Not applied")


class TransferFollowUp(models.Model):
    """After a formal course: is what was learnt applied at the workplace (PLAN-08)? One per
    completed participation in a formal activity, made by `registration_transfer_followups`."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="transfer_followups",
    )
    participation = models.OneToOneField(
        "registration.Participation",
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="transfer_followup",
    )
    due_on = models.DateField(_("follow up by"))
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.OPEN
    )
    employee_note = models.TextField(_("the employee: how I apply it"), blank=True)
    manager_note = models.TextField(_("the manager: what I see at work"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer follow-up")
        verbose_name_plural = _("transfer follow-ups")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return str(_("Follow-up due %(day)s") % {"day": self.due_on.isoformat()})

    @property
    def scope_unit_path(self) -> str:
        """The participant's unit, for the scoped permission (load it with select_related)."""
        unit = self.participation.employee.unit
        return unit.path if unit is not None else ""
