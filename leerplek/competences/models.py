"""Competences, level scales, requirements per function or workstation, assessments and releases.

An assessment is never changed: each one is a new row, so the history stays. A person's current
level on a competence is his latest official (not self-) assessment by (assessed_on, created_at).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.people.models import Employee, Job, Organisation, User, Workstation


class LevelScale(models.Model):
    """A scale of levels, such as ILUO; each organisation gets the ILUO scale on first use."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="level_scales",
    )
    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default scale"), default=False)

    class Meta:
        verbose_name = _("level scale")
        verbose_name_plural = _("level scales")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_default=True),
                name="competences_one_default_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    scale = models.ForeignKey(
        LevelScale, verbose_name=_("scale"), on_delete=models.CASCADE, related_name="levels"
    )
    code = models.CharField(_("code"), max_length=5)
    rank = models.PositiveSmallIntegerField(_("rank"))
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    counts_for_coverage = models.BooleanField(
        _("counts for coverage"),
        default=False,
        help_text=_("People at this level count as covering the competence (U and O on ILUO)."),
    )
    may_train = models.BooleanField(_("may train others"), default=False)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["scale", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="competences_level_unique_code"),
            models.UniqueConstraint(fields=["scale", "rank"], name="competences_level_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"


class CompetenceKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical or job-specific")
    GENERAL = "general", _("General")
    ATTITUDE = "attitude", _("Attitude")


class CompetenceGroup(models.Model):
    """A group of competences in the catalogue (for example "Hygiene" or "Maintenance").

    A group may measure its competences on its own scale (say a numeric 1-5 scale); without one
    they use the organisation's default scale.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="competence_groups",
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    scale = models.ForeignKey(
        LevelScale,
        verbose_name=_("level scale"),
        null=True,
        blank=True,
        # RESTRICT: a scale in use stays, unless its organisation goes with everything in it.
        on_delete=models.RESTRICT,
        related_name="groups",
        help_text=_("Leave empty to use the organisation's default scale."),
    )

    class Meta:
        verbose_name = _("competence group")
        verbose_name_plural = _("competence groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="competences_group_unique_name",
                violation_error_message=_("Another group in this organisation has this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="competences",
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CompetenceKind.choices, default=CompetenceKind.TECHNICAL
    )
    description = models.TextField(_("description"), blank=True)
    group = models.ForeignKey(
        CompetenceGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competences",
    )
    level_texts = models.JSONField(
        _("text per level"),
        default=dict,
        blank=True,
        help_text=_("What each level means for this competence, keyed by level code."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="competences_competence_unique_code",
                violation_error_message=_("Another competence in this organisation has this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Requirement(models.Model):
    """A competence a function or a workstation needs, at a level, with the ideal number of
    people at a level that counts for coverage and of people who may teach it (the TWI training
    timetable)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="competence_requirements",
    )
    competence = models.ForeignKey(
        Competence,
        verbose_name=_("competence"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    job = models.ForeignKey(
        Job,
        verbose_name=pgettext_lazy("job", "function"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="competence_requirements",
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="competence_requirements",
    )
    level = models.ForeignKey(
        Level, verbose_name=_("required level"), on_delete=models.RESTRICT, related_name="+"
    )
    mandatory = models.BooleanField(_("mandatory"), default=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the competence does not need re-qualification."),
    )
    ideal_count = models.PositiveSmallIntegerField(
        _("ideal number of people at U or higher"), default=0
    )
    ideal_trainers = models.PositiveSmallIntegerField(
        _("ideal number of people who can teach it (O)"), default=0
    )

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["competence__code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(job__isnull=False) & Q(workstation__isnull=True))
                | (Q(job__isnull=True) & Q(workstation__isnull=False)),
                name="competences_requirement_job_xor_workstation",
                violation_error_message=_("Choose either a function or a workstation, not both."),
            ),
            models.UniqueConstraint(
                fields=["competence", "job"],
                condition=Q(job__isnull=False),
                name="competences_requirement_unique_job",
            ),
            models.UniqueConstraint(
                fields=["competence", "workstation"],
                condition=Q(workstation__isnull=False),
                name="competences_requirement_unique_workstation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence} ({self.job or self.workstation})"


def evidence_path(instance: Assessment, filename: str) -> str:
    """Evidence is stored under a random name per organisation; the original name is kept apart."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"evidence/{instance.organisation_id}/{uuid.uuid4().hex}{suffix}"


class AssessmentMethod(models.TextChoices):
    OBSERVATION = "observation", _("Observation at work")
    TEST = "test", _("Test")
    MODULE_SIGNOFF = "module_signoff", _("Module sign-off")
    CERTIFICATE = "certificate", _("Certificate")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    INFORMAL_LEARNING = "informal_learning", _("Declared informal learning")


class Assessment(models.Model):
    """One judgement of a person's level on a competence; a new row every time."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("person"), on_delete=models.CASCADE, related_name="assessments"
    )
    competence = models.ForeignKey(
        Competence,
        verbose_name=_("competence"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.RESTRICT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        Employee,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments_given",
    )
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=20, choices=AssessmentMethod.choices)
    note = models.TextField(_("note"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=evidence_path,
        blank=True,
        max_length=255,
        help_text=_("A file or photo that shows the level: a certificate, a test, a photo."),
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    is_self = models.BooleanField(_("self-assessment"), default=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["employee", "competence", "is_self", "assessed_on", "created_at"],
                name="competences_assessment_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.competence.code} {self.level.code} ({self.assessed_on})"


class WorkRelease(models.Model):
    """The dated decision of a line manager that a person may work alone at a workstation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="work_releases",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("person"), on_delete=models.CASCADE, related_name="work_releases"
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.CASCADE,
        related_name="work_releases",
    )
    released_on = models.DateField(_("released on"))
    released_by = models.ForeignKey(
        User,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("release to work alone")
        verbose_name_plural = _("releases to work alone")
        ordering = ["-released_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "workstation"],
                condition=Q(revoked_on__isnull=True),
                name="competences_one_open_release",
                violation_error_message=_("This person is already released at this workstation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} @ {self.workstation}"


class NeedSource(models.TextChoices):
    GAP = "gap", _("Gap against a requirement")
    MANAGER = "manager", _("Line manager")
    EMPLOYEE = "employee", _("Employee")
    CONSULTATION_BODY = "consultation_body", _("Consultation body")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PLANNED = "planned", _("Planned")
    MET = "met", _("Met")
    DROPPED = "dropped", _("Dropped")


class TrainingNeed(models.Model):
    """A need to learn a competence, for a person or a group (a unit), to be planned later by the
    training plan (COMP-05). A person has at most one open need per competence.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="training_needs",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_needs",
    )
    unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_needs",
        help_text=_("For a group need: the unit whose people need it."),
    )
    competence = models.ForeignKey(
        Competence,
        verbose_name=_("competence"),
        on_delete=models.CASCADE,
        related_name="training_needs",
    )
    required_level = models.ForeignKey(
        Level,
        verbose_name=_("required level"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=20, choices=NeedSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
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
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "competence"],
                condition=Q(status="open", employee__isnull=False),
                name="competences_one_open_need_per_person",
                violation_error_message=_("This person already has an open need for it."),
            ),
            models.CheckConstraint(
                condition=Q(employee__isnull=False) | Q(unit__isnull=False),
                name="competences_need_person_or_unit",
                violation_error_message=_("Choose a person or a unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee or self.unit}: {self.competence.code}"


class TransferMethod(models.TextChoices):
    INSTRUCTION = "instruction", _("Write down a work instruction")
    TANDEM = "tandem", _("Train a successor in tandem")
    OTHER = "other", _("Other")


class TransferStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class TransferPlan(models.Model):
    """A plan to keep a competence at risk in the organisation (COMP-06, KNOW-12): write an
    instruction, or let an experienced holder train a named successor in tandem, by a date."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="transfer_plans",
    )
    competence = models.ForeignKey(
        Competence,
        verbose_name=_("competence"),
        on_delete=models.CASCADE,
        related_name="transfer_plans",
    )
    method = models.CharField(_("method"), max_length=20, choices=TransferMethod.choices)
    holder = models.ForeignKey(
        Employee,
        verbose_name=_("experienced holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfer_plans_as_holder",
    )
    successor = models.ForeignKey(
        Employee,
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="transfer_plans_as_successor",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.PLANNED
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("transfer plan")
        verbose_name_plural = _("transfer plans")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="tandem") | Q(successor__isnull=False),
                name="competences_tandem_has_successor",
                violation_error_message=_("A tandem needs a named successor."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence.code}: {self.get_method_display()} ({self.due_on})"
