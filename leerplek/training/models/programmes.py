"""On-the-job programmes (OJT-01..03, OJT-18): a programme per function, task or machine, in
versions; each version holds ordered phases, each phase ordered modules.

An approved version never changes: editing one creates a draft of the next version (services).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.competences.models import Competence, Level
from leerplek.people.models import Job, JobTask, Organisation, User, Workstation


class VersionStatus(models.TextChoices):
    """The life of a version of a programme or a work instruction."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


# A version in one of these states may still be edited.
EDITABLE_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)


class Programme(models.Model):
    """A structured on-the-job programme for a function, a task or a machine (OJT-01)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    job = models.ForeignKey(
        Job,
        verbose_name=pgettext_lazy("job", "function"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    task = models.ForeignKey(
        JobTask,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation or machine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    # Who the programme is meant for (OJT-16): person types (people.PersonType) and "mover" for
    # an internal move; empty means everybody.
    audience = models.JSONField(_("meant for"), default=list, blank=True)
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_programmes",
    )
    co_authors = models.ManyToManyField(
        User, verbose_name=_("co-authors"), blank=True, related_name="coauthored_programmes"
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="training_programme_unique_code",
                violation_error_message=_("Another programme already has this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeVersion(models.Model):
    """One version of a programme. Only approved versions are assigned and signed."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_summary = models.TextField(
        _("what changed"),
        blank=True,
        help_text=_("Required from version 2 on: what is different from the previous version."),
    )
    # The action plan and the final evaluation the brochure asks of every workplace training
    # ("leerdoelen ... actieplan ... geëvalueerd").
    action_plan = models.TextField(_("action plan"), blank=True)
    evaluation = models.TextField(_("how the programme is evaluated"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted for approval"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="training_programme_version_unique"
            ),
            # One version at a time is being written.
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(status__in=["draft", "in_review"]),
                name="training_programme_one_draft",
                violation_error_message=_("This programme already has a draft version."),
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(status="approved"),
                name="training_programme_one_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Phase(models.Model):
    """An ordered phase of a programme version, e.g. "the first two shifts" (Raffinaderij X)."""

    version = models.ForeignKey(
        ProgrammeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="phases"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Time gate (OJT-01): the phase starts at the earliest this many days after the programme
    # starts, e.g. "after four months of practical experience".
    starts_after_days = models.PositiveSmallIntegerField(
        _("starts at the earliest after (days)"), null=True, blank=True
    )
    # An attest of the previous phase's test is needed before this phase starts (TEST-03).
    requires_attest = models.BooleanField(
        _("needs the attest of the previous phase"), default=False
    )
    # The phase of the previous version this one was copied from (a new draft copies them all).
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ModuleKind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    PRACTICAL = "practical", _("Practical (on the job)")
    SAFETY = "safety", _("Safety")
    SECTOR_SAFETY = "sector_safety", _("Mandatory sector safety")
    ELEARNING = "elearning", _("E-learning or multimedia")
    CLASSROOM = "classroom", _("Classroom")
    LEITTEXT = "leittext", _("Leittext (self-directed)")


class DurationUnit(models.TextChoices):
    SHIFTS = "shifts", _("shifts")
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


class Module(models.Model):
    """A module of a phase, in the 4-part structure of Staalproducent X (OJT-02): the workstation
    and its surroundings; the do-steps (the linked work instructions); quality care; faults."""

    version = models.ForeignKey(
        ProgrammeVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="modules",
    )
    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="modules"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ModuleKind.choices)
    duration = models.PositiveSmallIntegerField(_("planned duration"), default=1)
    duration_min = models.PositiveSmallIntegerField(_("shortest"), null=True, blank=True)
    duration_max = models.PositiveSmallIntegerField(_("longest"), null=True, blank=True)
    duration_unit = models.CharField(
        _("unit of duration"),
        max_length=10,
        choices=DurationUnit.choices,
        default=DurationUnit.DAYS,
    )
    # Part 1: the workstation and its surroundings.
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation or machine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="modules",
    )
    environment = models.TextField(_("workstation and surroundings"), blank=True)
    # Part 3: quality care.
    quality_care = models.TextField(_("quality care (product and process control)"), blank=True)
    # E-learning or multimedia (OJT-18): the package and whether completion must be declared.
    content_url = models.URLField(_("link to the e-learning or video"), blank=True)
    # A Leittext module starts from a problem (OJT-12).
    problem_statement = models.TextField(_("problem statement"), blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="unlocks",
    )
    # The module of the previous version this one was copied from: what a new version changed,
    # and which module of the new version continues an old one.
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["version", "phase__position", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_min__isnull=True) | Q(duration_min__lte=F("duration")),
                name="training_module_min_le_duration",
                violation_error_message=_("The shortest duration is longer than the planned one."),
            ),
            models.CheckConstraint(
                condition=Q(duration_max__isnull=True) | Q(duration_max__gte=F("duration")),
                name="training_module_max_ge_duration",
                violation_error_message=_("The longest duration is shorter than the planned one."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_practical(self) -> bool:
        return self.kind in (ModuleKind.PRACTICAL, ModuleKind.LEITTEXT)


class Objective(models.Model):
    """A measurable learning objective of a module (OJT-01): what the learner can do, and how it
    is checked."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="objectives"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("the learner can"), max_length=300)
    measure = models.CharField(_("checked by"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Fault(models.Model):
    """Part 4 of a module: a fault by symptom, cause and remedy."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="faults"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    symptom = models.CharField(_("symptom"), max_length=300)
    cause = models.CharField(_("cause"), max_length=300)
    remedy = models.CharField(_("remedy"), max_length=300)

    class Meta:
        verbose_name = _("fault")
        verbose_name_plural = _("faults")
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.symptom


class ModuleCompetence(models.Model):
    """A competence a module develops, and the level a confirmed sign-off records."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="competences"
    )
    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level reached"), on_delete=models.RESTRICT, related_name="+"
    )

    class Meta:
        verbose_name = _("competence developed")
        verbose_name_plural = _("competences developed")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "competence"],
                name="training_module_competence_unique",
                violation_error_message=_("The module already develops this competence."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module}: {self.competence}"


class ModuleInstruction(models.Model):
    """Part 2 of a module, the do-steps: the work instructions it teaches, in order."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="instruction_links"
    )
    instruction = models.ForeignKey(
        "training.WorkInstruction",
        verbose_name=_("work instruction"),
        on_delete=models.PROTECT,
        related_name="module_links",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("work instruction of a module")
        verbose_name_plural = _("work instructions of a module")
        ordering = ["module", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "instruction"],
                name="training_module_instruction_unique",
                violation_error_message=_("The module already teaches this instruction."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module}: {self.instruction}"


class ChecklistItem(models.Model):
    """An item of a module's sign-off checklist, in the order of execution (OJT-15)."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="checklist"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("item"), max_length=300)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.text


class RankingQuestion(models.TextChoices):
    """The four questions the sauce-kitchen production managers scored (OJT-09)."""

    PROBLEMS = "problems", _("Which problems occur at this machine? (error-prone)")
    SHARED_USE = "shared_use", _("Is it often operated by different people? (most used)")
    TRAINING_TIME = "training_time", _("How long does it take to train someone? (hardest)")
    DOWNTIME = "downtime", _("How long is it down after a breakdown? (most critical)")


class RankingRound(models.Model):
    """One round of scoring machines, to choose where instruction writing adds most (OJT-09)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="ranking_rounds",
    )
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to score machines of the whole organisation."),
    )
    # The sauce kitchen ranked machines; a round may also take every workstation of the unit.
    machines_only = models.BooleanField(
        _("machines only"),
        default=True,
        help_text=_("Untick to score every workstation of the unit, not only the machines."),
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("machine ranking")
        verbose_name_plural = _("machine rankings")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class MachineScore(models.Model):
    """One production manager's scores of one machine, 1 (low) to 5 (high) per question."""

    round = models.ForeignKey(
        RankingRound, verbose_name=_("ranking"), on_delete=models.CASCADE, related_name="scores"
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation or machine"),
        on_delete=models.CASCADE,
        related_name="ranking_scores",
    )
    scorer = models.ForeignKey(
        User, verbose_name=_("scored by"), on_delete=models.CASCADE, related_name="+"
    )
    problems = models.PositiveSmallIntegerField(_("problems"), validators=SCORE_VALIDATORS)
    shared_use = models.PositiveSmallIntegerField(_("shared use"), validators=SCORE_VALIDATORS)
    training_time = models.PositiveSmallIntegerField(
        _("training time"), validators=SCORE_VALIDATORS
    )
    downtime = models.PositiveSmallIntegerField(_("downtime"), validators=SCORE_VALIDATORS)
    note = models.CharField(_("note"), max_length=300, blank=True)
    scored_at = models.DateTimeField(_("scored"), auto_now=True)

    class Meta:
        verbose_name = _("machine score")
        verbose_name_plural = _("machine scores")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "workstation", "scorer"],
                name="training_machine_score_unique",
                violation_error_message=_("You already scored this machine in this ranking."),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5}),
                    name=f"training_machine_score_{name}_1_5",
                    violation_error_message=_("Scores run from 1 to 5."),
                )
                for name in ("problems", "shared_use", "training_time", "downtime")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.workstation}"
