"""Onboarding templates and plans, their dated tasks, and guidance relationships (peter/meter).

The legal frame is the KB of 25 April 2007, now Codex welzijn op het werk art. I.2-11: every
newcomer is welcomed by a member of the hierarchical line and accompanied by an experienced worker.
"""

from __future__ import annotations

from typing import ClassVar

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


class GuidanceQuerySet(models.QuerySet["Guidance"]):
    def current(self, on: object = None) -> GuidanceQuerySet:
        """Relationships not ended before `on` (default today); future starts count: a peter
        is designated before the newcomer's first day."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


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
