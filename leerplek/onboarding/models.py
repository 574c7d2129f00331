"""Onboarding templates and plans, their dated tasks, and guidance relationships (peter/meter).

The legal frame is the KB of 25 April 2007, now Codex welzijn op het werk art. I.2-11: every
newcomer is welcomed by a member of the hierarchical line and accompanied by an experienced worker.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.people.models import Employee, Job, Organisation, User


class Section(models.TextChoices):
    """The four parts of an onboarding that the brochure (chapter 2.1) names."""

    COMPANY = "company", _("Company information")
    FUNCTION = "function", _("Function and task content")
    COMPETENCE_CHECK = "competence_check", _("Competence check")
    TRAINING_PLAN = "training_plan", _("Personal training plan")


class TaskOwner(models.TextChoices):
    """Who carries out a task."""

    HR = "hr", _("HR")
    MANAGER = "manager", _("Line manager")
    MENTOR = "mentor", pgettext_lazy("guide role", "Mentor")
    NEWCOMER = "newcomer", _("Newcomer")
    PREVENTION_ADVISER = "prevention_adviser", _("Prevention adviser")


class OnboardingTemplate(models.Model):
    """A reusable plan: company-wide when `job` is empty, else for one function."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="onboarding_templates",
    )
    name = models.CharField(_("name"), max_length=200)
    job = models.ForeignKey(
        Job,
        verbose_name=pgettext_lazy("job", "function"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onboarding_templates",
        help_text=_("Leave empty for the company-wide part that every new hire follows."),
    )
    description = models.TextField(_("description"), blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("onboarding template")
        verbose_name_plural = _("onboarding templates")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "job"],
                condition=Q(is_active=True, job__isnull=False),
                name="onboarding_template_one_active_per_job",
                violation_error_message=_("This function already has an active template."),
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_active=True, job__isnull=True),
                name="onboarding_template_one_active_company_wide",
                violation_error_message=_("There is already an active company-wide template."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateTask(models.Model):
    """One step of a template: what, by whom, when (days from the start) and how."""

    template = models.ForeignKey(
        OnboardingTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    title = models.CharField(_("task"), max_length=200)
    owner = models.CharField(_("who"), max_length=20, choices=TaskOwner.choices)
    offset_days = models.SmallIntegerField(
        _("when (days from the start)"),
        default=0,
        validators=[MinValueValidator(-60), MaxValueValidator(1100)],
        help_text=_("0 is the first day; a negative number is before the start."),
    )
    how = models.TextField(_("how"), blank=True)
    duration_days = models.PositiveSmallIntegerField(
        _("duration (days)"), default=1, validators=[MinValueValidator(1)]
    )
    on_work_floor = models.BooleanField(
        _("on the work floor"),
        default=False,
        help_text=_("Work-floor tasks start only once a peter/meter is designated (Codex I.2-11)."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("template task")
        verbose_name_plural = _("template tasks")
        ordering = ["offset_days", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ConsultationBody(models.TextChoices):
    WORKS_COUNCIL = "works_council", _("Works council")
    PREVENTION_COMMITTEE = (
        "prevention_committee",
        _("Committee for prevention and protection at work (CPBW)"),
    )
    UNION_DELEGATION = "union_delegation", _("Union delegation")


class ConsultationApproval(models.Model):
    """A consultation body's approval of the onboarding procedure (CAO nr. 22)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="onboarding_approvals",
    )
    body = models.CharField(_("consultation body"), max_length=30, choices=ConsultationBody.choices)
    meeting_date = models.DateField(_("meeting date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval of the onboarding procedure")
        verbose_name_plural = _("approvals of the onboarding procedure")
        ordering = ["-meeting_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.meeting_date}"


class OnboardingReason(models.TextChoices):
    """Why someone is onboarded: Codex art. I.2-21 names hiring, transfer, new equipment and
    new technology."""

    NEW_HIRE = "new_hire", _("New hire")
    INTERNAL_MOVE = "internal_move", _("Internal move")
    REORGANISATION = "reorganisation", _("Reorganisation")
    NEW_EQUIPMENT = "new_equipment", _("New work equipment")
    NEW_TECHNOLOGY = "new_technology", _("New technology")


class OnboardingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Onboarding(models.Model):
    """One person's onboarding plan, started from the templates."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="onboardings",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("newcomer"),
        on_delete=models.CASCADE,
        related_name="onboardings",
    )
    job = models.ForeignKey(
        Job,
        verbose_name=pgettext_lazy("job", "function"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=OnboardingReason.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("planned end"))
    organiser = models.ForeignKey(
        Employee,
        verbose_name=_("organiser of the welcome"),
        on_delete=models.PROTECT,
        related_name="organised_onboardings",
        help_text=_("A member of the hierarchical line who organises the welcome."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OnboardingStatus.choices,
        default=OnboardingStatus.ACTIVE,
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    review_interval_days = models.PositiveSmallIntegerField(
        _("days between progress reviews"), default=30, validators=[MinValueValidator(7)]
    )
    prevention_proposals = models.TextField(
        _("proposals of the prevention service"),
        blank=True,
        help_text=_("Printed on the onthaal document when it is signed."),
    )
    independent_on = models.DateField(
        _("works independently since"),
        null=True,
        blank=True,
        help_text=_("The day the last release to work alone closed the plan's work-floor tasks."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_note = models.TextField(_("why it ended"), blank=True)

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "-start_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(status="active"),
                name="onboarding_one_active_per_employee",
                violation_error_message=_("This person already has an active onboarding."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="onboarding_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.start_date})"

    @property
    def scope_unit_path(self) -> str:
        """The unit that scopes permissions: the newcomer's (callers select_related it)."""
        unit = self.employee.unit
        return unit.path if unit is not None else ""


class OnboardingTask(models.Model):
    """A dated task of one onboarding, copied from a template task or from a competence gap."""

    onboarding = models.ForeignKey(
        Onboarding, verbose_name=_("onboarding"), on_delete=models.CASCADE, related_name="tasks"
    )
    template_task = models.ForeignKey(
        TemplateTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    title = models.CharField(_("task"), max_length=200)
    owner = models.CharField(_("who"), max_length=20, choices=TaskOwner.choices)
    how = models.TextField(_("how"), blank=True)
    due_on = models.DateField(_("due on"))
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), default=1)
    on_work_floor = models.BooleanField(_("on the work floor"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # A competence-check task names the competence the newcomer lacks and the level he needs.
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name=_("competence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    required_level = models.ForeignKey(
        "competences.Level",
        verbose_name=_("required level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actual_level_code = models.CharField(_("level at the start"), max_length=5, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        User,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    blocked_reason = models.CharField(_("blocked because"), max_length=300, blank=True)
    # A task about one workstation is closed by the manager's release to work alone there.
    workstation = models.ForeignKey(
        "people.Workstation",
        verbose_name=_("workstation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    release = models.ForeignKey(
        "competences.WorkRelease",
        verbose_name=_("release to work alone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("onboarding task")
        verbose_name_plural = _("onboarding tasks")
        ordering = ["due_on", "position", "id"]
        indexes = [models.Index(fields=["onboarding", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class GuidanceKind(models.TextChoices):
    """Forms of guidance the brochure distinguishes; `mentor` is the peter/meter."""

    MENTOR = "mentor", pgettext_lazy("guide role", "Mentor")
    LONG_TERM_GUIDE = "long_term_guide", _("Mentorship (long-term guide)")
    COACH = "coach", _("Coach")
    INSTRUCTOR = "instructor", _("Instructor")


# The forms of guidance as the brochure names them (the kinds' labels name the guide's role).
GUIDANCE_FORMS: dict[str, Any] = {
    GuidanceKind.MENTOR: pgettext_lazy("form of guidance", "Peter/meter"),
    GuidanceKind.LONG_TERM_GUIDE: pgettext_lazy("form of guidance", "Mentorship"),
    GuidanceKind.COACH: pgettext_lazy("form of guidance", "Coaching"),
    GuidanceKind.INSTRUCTOR: pgettext_lazy("form of guidance", "Instruction"),
}


class GuidanceStatus(models.TextChoices):
    """Where a relationship stands: a coaching request waits for the coach to accept it."""

    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


class GuidanceQuerySet(models.QuerySet["Guidance"]):
    def current(self, on: object = None) -> GuidanceQuerySet:
        """Relationships not ended before `on` (default today); future starts count: a peter
        is designated before the newcomer's first day."""
        from django.utils import timezone

        day = on or timezone.localdate()
        # A coaching request not (yet) accepted, or declined, guides nobody.
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day)).exclude(
            status__in=[GuidanceStatus.REQUESTED, GuidanceStatus.DECLINED]
        )


class Guidance(models.Model):
    """A guide designated for a learner: the peter/meter of a newcomer, or a long-term guide,
    coach or instructor."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="guidances",
    )
    kind = models.CharField(
        _("kind of guidance"),
        max_length=20,
        choices=GuidanceKind.choices,
        default=GuidanceKind.MENTOR,
    )
    guide = models.ForeignKey(
        Employee, verbose_name=_("guide"), on_delete=models.PROTECT, related_name="guiding"
    )
    learner = models.ForeignKey(
        Employee, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="guided_by"
    )
    is_backup = models.BooleanField(_("backup"), default=False)
    onboarding = models.ForeignKey(
        Onboarding,
        verbose_name=_("onboarding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guidances",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    designated_by = models.ForeignKey(
        User,
        verbose_name=_("designated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GuidanceStatus.choices,
        default=GuidanceStatus.ACTIVE,
    )
    target_result = models.TextField(
        _("observable target result"),
        blank=True,
        help_text=_("What the learner can do at the end, so that anyone can see it."),
    )
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    programme = models.ForeignKey(
        "MentorProgramme",
        verbose_name=_("mentor programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guidances",
    )
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    target_reached = models.BooleanField(_("target reached"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)

    objects: ClassVar[GuidanceQuerySet] = GuidanceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidances")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(guide=F("learner")),
                name="onboarding_guidance_not_own_guide",
                violation_error_message=_("Nobody guides himself."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="onboarding_guidance_end_after_start",
            ),
            # Two open primary peters for one learner is the race the service's lock prevents.
            models.UniqueConstraint(
                fields=["learner", "kind"],
                condition=Q(ends_on__isnull=True, is_backup=False),
                name="onboarding_guidance_one_open_primary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guide} → {self.learner}"

    @property
    def form_label(self) -> str:
        """The form of guidance as the brochure names it (the kind's label names the guide)."""
        return str(GUIDANCE_FORMS.get(self.kind, self.get_kind_display()))

    @property
    def scope_unit_path(self) -> str:
        """The learner's unit scopes permissions (callers select_related learner__unit)."""
        unit = self.learner.unit
        return unit.path if unit is not None else ""


# --- Guidance relationships (MEN-01, MEN-08..11, MEN-15) ---------------------------------------


class MentorProgramme(models.Model):
    """A formal mentor programme (MEN-10): goals, expectations and agreements, with a sponsor."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="mentor_programmes",
    )
    name = models.CharField(_("name"), max_length=200)
    goals = models.TextField(_("goals"))
    expectations = models.TextField(_("expectations"), blank=True)
    agreements = models.TextField(
        _("agreements"),
        blank=True,
        help_text=_("How often mentor and mentee meet, confidentiality, how it ends."),
    )
    sponsor = models.ForeignKey(
        Employee,
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_programmes",
        help_text=_("The senior manager who backs the programme."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor programme")
        verbose_name_plural = _("mentor programmes")
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="onboarding_programme_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SelectionOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    SELECTED = "selected", _("Selected")
    NOT_RETAINED = "not_retained", _("Not retained")


class InstructorSelection(models.Model):
    """The record of choosing an instructor (MEN-15): profile, assessment, peer feedback, outcome,
    and the feedback conversation with a candidate who is not retained."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="instructor_selections",
    )
    candidate = models.ForeignKey(
        Employee,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="instructor_selections",
    )
    workstation = models.ForeignKey(
        "people.Workstation",
        verbose_name=_("workstation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name=_("competence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    profile_match = models.TextField(
        _("profile"), blank=True, help_text=_("How the candidate fits the instructor profile.")
    )
    assessment = models.TextField(_("assessment"), blank=True)
    peer_feedback = models.TextField(_("feedback from colleagues"), blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=SelectionOutcome.choices,
        default=SelectionOutcome.PENDING,
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    feedback_conversation_on = models.DateField(
        _("feedback conversation on"), null=True, blank=True
    )
    feedback_note = models.TextField(_("feedback given"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("instructor selection")
        verbose_name_plural = _("instructor selections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.candidate)

    @property
    def scope_unit_path(self) -> str:
        unit = self.candidate.unit
        return unit.path if unit is not None else ""


# --- The peter/meter pool (MEN-02..06, MEN-13, MEN-14) -----------------------------------------


class CriterionKind(models.TextChoices):
    NUMERIC = "numeric", _("Numeric")
    QUALITATIVE = "qualitative", _("Qualitative")


class NumericMeasure(models.TextChoices):
    """What a numeric criterion measures, read from the person's record."""

    EXPERIENCE_YEARS = "experience_years", _("Years of experience")
    SENIORITY_YEARS = "seniority_years", _("Years of seniority")
    EVALUATION_SCORE = "evaluation_score", _("Last evaluation score")


class EligibilityCriterion(models.Model):
    """One condition a peter/meter meets: a minimum on a measure, or a quality a manager confirms.

    The brochure's example: at least 10 years of experience and 5 of seniority; communication,
    patience, passion for the job, trustworthiness, motivation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="eligibility_criteria",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CriterionKind.choices)
    measure = models.CharField(
        _("measure"), max_length=20, choices=NumericMeasure.choices, blank=True
    )
    minimum = models.DecimalField(
        _("minimum"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("A candidate who misses a required criterion needs an override with a reason."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("eligibility criterion")
        verbose_name_plural = _("eligibility criteria")
        ordering = ["kind", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="qualitative", measure="")
                | Q(kind="numeric", minimum__isnull=False) & ~Q(measure=""),
                name="onboarding_criterion_numeric_has_measure",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GuideOrigin(models.TextChoices):
    VOLUNTEERED = "volunteered", _("Volunteered")
    PROPOSED = "proposed", _("Proposed")


class GuideStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    APPROVED = "approved", _("In the pool")
    DECLINED = "declined", _("Not retained")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GuideProfile(models.Model):
    """A person in the peter/meter pool, or a candidate for it."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="guide_profiles",
    )
    employee = models.OneToOneField(
        Employee,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="guide_profile",
    )
    origin = models.CharField(_("how"), max_length=20, choices=GuideOrigin.choices)
    proposed_by = models.ForeignKey(
        User,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    motivation = models.TextField(_("motivation"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GuideStatus.choices, default=GuideStatus.CANDIDATE
    )
    shift = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=pgettext_lazy("unit kind", "Shift"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The shift this person works, when it is not his unit."),
    )
    evaluation_score = models.DecimalField(
        _("last evaluation score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    max_mentees = models.PositiveSmallIntegerField(
        _("most newcomers at a time"), default=2, validators=[MinValueValidator(1)]
    )
    load_unit = models.CharField(
        _("production load measured in"),
        max_length=40,
        blank=True,
        help_text=_("For example: lines, orders, rounds."),
    )
    normal_load = models.PositiveSmallIntegerField(_("normal load"), null=True, blank=True)
    reduced_load = models.PositiveSmallIntegerField(_("load while guiding"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="guides/", blank=True)
    override_reason = models.TextField(
        _("reason for the exception"),
        blank=True,
        help_text=_("Why this person is in the pool although a required criterion is not met."),
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("peter/meter profile")
        verbose_name_plural = _("peter/meter pool")
        ordering = ["employee__last_name", "employee__first_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reduced_load__isnull=True)
                | Q(normal_load__isnull=True)
                | Q(reduced_load__lte=F("normal_load")),
                name="onboarding_guide_reduced_load_not_more",
            ),
        ]

    def __str__(self) -> str:
        return str(self.employee)

    @property
    def scope_unit_path(self) -> str:
        unit = self.employee.unit
        return unit.path if unit is not None else ""


class QualityConfirmation(models.Model):
    """A manager's judgement of one qualitative criterion for one candidate."""

    profile = models.ForeignKey(
        GuideProfile,
        verbose_name=_("peter/meter profile"),
        on_delete=models.CASCADE,
        related_name="qualities",
    )
    criterion = models.ForeignKey(
        EligibilityCriterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    is_met = models.BooleanField(_("met"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        User,
        verbose_name=_("confirmed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_on = models.DateField(_("confirmed on"))

    class Meta:
        verbose_name = _("confirmed quality")
        verbose_name_plural = _("confirmed qualities")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "criterion"], name="onboarding_quality_once_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} · {self.criterion}"


class GuideTrainingKind(models.TextChoices):
    INITIAL = "initial", _("Initial training")
    REFRESHER = "refresher", _("Refresher")


class GuideTraining(models.Model):
    """A peter/meter training followed (MEN-06): initial or refresher, with its topics."""

    profile = models.ForeignKey(
        GuideProfile,
        verbose_name=_("peter/meter profile"),
        on_delete=models.CASCADE,
        related_name="trainings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GuideTrainingKind.choices)
    completed_on = models.DateField(_("followed on"))
    topics = models.TextField(
        _("topics"), help_text=_("For example: how adults learn, giving feedback, the TWI method.")
    )
    provider = models.CharField(_("given by"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("peter/meter training")
        verbose_name_plural = _("peter/meter trainings")
        ordering = ["-completed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.completed_on}"


class MatchDecision(models.Model):
    """HR's decision on a proposed peter/meter: the proposal with its score and reasons, and the
    guide chosen (a different one needs a reason)."""

    onboarding = models.ForeignKey(
        Onboarding,
        verbose_name=_("onboarding"),
        on_delete=models.CASCADE,
        related_name="match_decisions",
    )
    proposed = models.ForeignKey(
        Employee,
        verbose_name=_("proposed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    reasons = models.JSONField(_("why"), default=list, blank=True)
    chosen = models.ForeignKey(
        Employee, verbose_name=_("chosen"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason for another choice"), blank=True)
    guidance = models.ForeignKey(
        Guidance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("matching decision")
        verbose_name_plural = _("matching decisions")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.onboarding} → {self.chosen}"


# --- The legal onthaal record (ONB-04, X-03; Codex I.2-11 and I.2-21) -------------------------


class InstructionTopic(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    WELL_BEING = "well_being", _("Psychosocial well-being")
    EMERGENCY = "emergency", _("Emergency and first aid")
    PPE = "ppe", _("Personal protective equipment")
    EQUIPMENT = "equipment", _("Work equipment")
    HYGIENE = "hygiene", _("Hygiene")


class SafetyInstruction(models.Model):
    """A safety or well-being instruction a newcomer receives: for everybody, a function or a
    workstation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="safety_instructions",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=InstructionTopic.choices)
    title = models.CharField(_("instruction"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    job = models.ForeignKey(
        Job,
        verbose_name=pgettext_lazy("job", "function"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave function and workstation empty for an instruction everybody receives."),
    )
    workstation = models.ForeignKey(
        "people.Workstation",
        verbose_name=_("workstation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("safety instruction")
        verbose_name_plural = _("safety instructions")
        ordering = ["topic", "position", "title", "id"]

    def __str__(self) -> str:
        return self.title


class GivenInstruction(models.Model):
    """An instruction given to a newcomer, and that he and his guide confirm it was understood."""

    onboarding = models.ForeignKey(
        Onboarding,
        verbose_name=_("onboarding"),
        on_delete=models.CASCADE,
        related_name="instructions",
    )
    instruction = models.ForeignKey(
        SafetyInstruction,
        verbose_name=_("safety instruction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="given",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=InstructionTopic.choices)
    title = models.CharField(_("instruction"), max_length=200)
    given_on = models.DateField(_("given on"), null=True, blank=True)
    given_by = models.ForeignKey(
        Employee,
        verbose_name=_("given by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    newcomer_confirmed_at = models.DateTimeField(
        _("understood, says the newcomer"), null=True, blank=True
    )
    guide_confirmed_at = models.DateTimeField(
        _("understood, says the guide"), null=True, blank=True
    )
    guide_confirmed_by = models.ForeignKey(
        User,
        verbose_name=_("confirmed by the guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("instruction given")
        verbose_name_plural = _("instructions given")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["onboarding", "instruction"],
                condition=Q(instruction__isnull=False),
                name="onboarding_instruction_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_confirmed(self) -> bool:
        return self.newcomer_confirmed_at is not None and self.guide_confirmed_at is not None


class OnthaalDocument(models.Model):
    """The signed onthaal document: a PDF that never changes once stored. A correction is a new
    version that keeps the old one (`supersedes`)."""

    onboarding = models.ForeignKey(
        Onboarding,
        verbose_name=_("onboarding"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    version = models.PositiveSmallIntegerField(_("version"))
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction = models.TextField(_("what was corrected"), blank=True)
    content = models.JSONField(_("content"), default=dict, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="onthaal/", editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    prevention_proposals = models.TextField(_("proposals of the prevention service"), blank=True)
    signed_by = models.ForeignKey(
        User, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_capacity = models.CharField(_("in the capacity of"), max_length=100)
    signed_at = models.DateTimeField(_("signed"))

    class Meta:
        verbose_name = _("onthaal document")
        verbose_name_plural = _("onthaal documents")
        ordering = ["onboarding", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["onboarding", "version"], name="onboarding_document_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.onboarding} v{self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        # A signed document is written once. Corrections are new versions.
        if not self._state.adding:
            raise ValueError("A signed onthaal document never changes; add a new version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def scope_unit_path(self) -> str:
        return self.onboarding.scope_unit_path


# --- Monthly reviews, notebook, observations, pulse (ONB-06..08, ONB-10, MEN-12) ----------------


class ProgressReview(models.Model):
    """A progress review of peter, manager and newcomer, planned per interval (default monthly)."""

    onboarding = models.ForeignKey(
        Onboarding, verbose_name=_("onboarding"), on_delete=models.CASCADE, related_name="reviews"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    planned_on = models.DateField(_("planned on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    practised = models.TextField(_("what was practised"), blank=True)
    independent = models.TextField(_("what the newcomer does independently"), blank=True)
    open_tasks = models.TextField(_("open tasks"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("what to learn next"), blank=True)
    mentor = models.ForeignKey(
        Employee,
        verbose_name=_("peter/meter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    manager = models.ForeignKey(
        Employee,
        verbose_name=_("line manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When it was written down: its recorder may correct it on that same day only.
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress review")
        verbose_name_plural = _("progress reviews")
        ordering = ["planned_on", "number", "id"]
        indexes = [models.Index(fields=["held_on", "planned_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["onboarding", "number"], name="onboarding_review_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.onboarding} #{self.number}"

    @property
    def scope_unit_path(self) -> str:
        return self.onboarding.scope_unit_path


class NotebookEntry(models.Model):
    """A tip the newcomer keeps (ONB-07), in text or as a photo, maybe about one task."""

    onboarding = models.ForeignKey(
        Onboarding, verbose_name=_("onboarding"), on_delete=models.CASCADE, related_name="notes"
    )
    task = models.ForeignKey(
        OnboardingTask,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
    )
    text = models.TextField(_("tip"), blank=True)
    photo = models.FileField(_("photo"), upload_to="notebook/", blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("notebook entry")
        verbose_name_plural = _("notebook entries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class Observation(models.Model):
    """A short interim observation by an experienced colleague (ONB-08), with the feedback given."""

    onboarding = models.ForeignKey(
        Onboarding,
        verbose_name=_("onboarding"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    observer = models.ForeignKey(
        Employee, verbose_name=_("observer"), on_delete=models.PROTECT, related_name="+"
    )
    observed_on = models.DateField(_("observed on"))
    task = models.ForeignKey(
        OnboardingTask,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )
    went_well = models.TextField(_("what went well"), blank=True)
    to_improve = models.TextField(_("what can be better"), blank=True)
    feedback_given = models.TextField(_("feedback given"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.onboarding} {self.observed_on}"


class PulseRespondent(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer")
    GUIDE = "guide", _("Peter/meter")


class PulseResponse(models.Model):
    """A short satisfaction pulse (MEN-12): a score of 1 to 5 and an optional comment."""

    onboarding = models.ForeignKey(
        Onboarding,
        verbose_name=_("onboarding"),
        on_delete=models.CASCADE,
        related_name="pulses",
    )
    respondent = models.CharField(_("who"), max_length=20, choices=PulseRespondent.choices)
    moment = models.PositiveSmallIntegerField(
        _("week"), help_text=_("The week of the onboarding this answer is about.")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("pulse answer")
        verbose_name_plural = _("pulse answers")
        ordering = ["moment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["onboarding", "respondent", "moment"], name="onboarding_pulse_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="onboarding_pulse_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.onboarding} {self.respondent} w{self.moment}: {self.score}"
