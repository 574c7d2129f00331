"""Work instructions as TWI Job Instruction breakdowns (OJT-06, OJT-07): important steps (what),
each with key points (how: quality, safety or knack) and the reason of each key point (why), a
photo per step. Texts carry translations: a dict of language code to text, the organisation's
source language (Dutch) always filled. Versions are approved; a new version asks everyone who
holds the instruction to read and confirm what changed (OJT-08). QR codes at the workstation
(X-06) and the conflicting-practice signal (OJT-13) live here too.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.people.models import Employee, Job, Organisation, User, Workstation
from leerplek.training.models.programmes import VersionStatus

SOURCE_LANGUAGE = "nl"


def step_photo_path(step: InstructionStep, filename: str) -> str:
    return f"training/{step.version.organisation_id}/steps/{uuid.uuid4().hex}-{filename[-60:]}"


class ContentLanguage(models.Model):
    """A language the organisation translates work instructions into, beyond the source language
    (e.g. Polish, Romanian, Turkish, Arabic). `is_rtl` lays the text out right to left."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="content_languages",
    )
    code = models.CharField(
        _("language code"), max_length=10, help_text=_("The ISO 639-1 code, e.g. pl, ro, tr, ar.")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("As the worker writes it."))
    is_rtl = models.BooleanField(_("written right to left"), default=False)

    class Meta:
        verbose_name = _("instruction language")
        verbose_name_plural = _("instruction languages")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="training_content_language_unique",
                violation_error_message=_("This language is already on the list."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkInstruction(models.Model):
    """A work instruction (werkinstructie, fiche) for a workstation, machine or function."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="work_instructions",
    )
    code = models.CharField(_("code"), max_length=40)
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation or machine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_instructions",
    )
    job = models.ForeignKey(
        Job,
        verbose_name=pgettext_lazy("job", "function"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_instructions",
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_instructions",
        help_text=_("Keeps the instruction up to date and answers signals about it."),
    )
    authors = models.ManyToManyField(
        Employee,
        verbose_name=_("written with"),
        blank=True,
        related_name="instructions_written",
        help_text=_("The colleagues who helped capture it (credited on the instruction)."),
    )
    # The QR code on the instruction's print-out opens it by this token.
    token = models.UUIDField(_("QR token"), default=uuid.uuid4, unique=True, editable=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("work instruction")
        verbose_name_plural = _("work instructions")
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="training_instruction_unique_code",
                violation_error_message=_("Another work instruction already has this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class InstructionVersion(models.Model):
    """One version of a work instruction; approved versions never change."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    instruction = models.ForeignKey(
        WorkInstruction,
        verbose_name=_("work instruction"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    # {"nl": "Saus afvullen", "pl": "..."}: the source language always present.
    title = models.JSONField(_("title"), default=dict)
    quality_norm = models.JSONField(_("quality norm"), default=dict, blank=True)
    change_summary = models.JSONField(
        _("what changed"),
        default=dict,
        blank=True,
        help_text=_("Required from version 2 on; everyone who holds the instruction reads it."),
    )
    # How long holders have to read and confirm this version's changes (OJT-08).
    confirm_within_days = models.PositiveSmallIntegerField(
        _("days to read and confirm"), default=14
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
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
        verbose_name = _("work instruction version")
        verbose_name_plural = _("work instruction versions")
        ordering = ["instruction", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instruction", "number"], name="training_instruction_version_unique"
            ),
            models.UniqueConstraint(
                fields=["instruction"],
                condition=Q(status__in=["draft", "in_review"]),
                name="training_instruction_one_draft",
                violation_error_message=_("This instruction already has a draft version."),
            ),
            models.UniqueConstraint(
                fields=["instruction"],
                condition=Q(status="approved"),
                name="training_instruction_one_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instruction} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)


class InstructionStep(models.Model):
    """An important step: what to do, short and verb first, with a photo or a short video."""

    version = models.ForeignKey(
        InstructionVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.JSONField(_("important step"), default=dict)
    photo = models.ImageField(_("photo"), upload_to=step_photo_path, blank=True, max_length=255)
    video_url = models.URLField(_("short video"), blank=True)

    class Meta:
        verbose_name = _("important step")
        verbose_name_plural = _("important steps")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return str(self.text.get(SOURCE_LANGUAGE, ""))


class KeyPointKind(models.TextChoices):
    SAFETY = "safety", _("Safety")
    QUALITY = "quality", _("Quality")
    KNACK = "knack", _("Knack (makes it easier)")


class KeyPoint(models.Model):
    """How a step is done well, and why: the key point and its reason."""

    step = models.ForeignKey(
        InstructionStep,
        verbose_name=_("important step"),
        on_delete=models.CASCADE,
        related_name="key_points",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=KeyPointKind.choices)
    text = models.JSONField(_("key point"), default=dict)
    reason = models.JSONField(_("reason"), default=dict)

    class Meta:
        verbose_name = _("key point")
        verbose_name_plural = _("key points")
        ordering = ["step", "position", "id"]

    def __str__(self) -> str:
        return str(self.text.get(SOURCE_LANGUAGE, ""))


class InstructionHolder(models.Model):
    """Who is qualified on an instruction, and on which version (OJT-08).

    Written when a module that teaches the instruction is signed off, or when a holder confirms
    he read a new version. A new version keeps the row (and the person's level) meanwhile.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    instruction = models.ForeignKey(
        WorkInstruction,
        verbose_name=_("work instruction"),
        on_delete=models.CASCADE,
        related_name="holders",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="instructions_held",
    )
    version = models.ForeignKey(
        InstructionVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="holders",
    )
    since = models.DateField(_("qualified since"))

    class Meta:
        verbose_name = _("qualified person")
        verbose_name_plural = _("qualified people")
        constraints = [
            models.UniqueConstraint(
                fields=["instruction", "employee"], name="training_instruction_holder_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.instruction}"


class ReadRequest(models.Model):
    """A holder of an instruction is asked to read and confirm a new version by a date."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        InstructionVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="read_requests",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="read_requests",
    )
    due_on = models.DateField(_("confirm by"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("request to read a new version")
        verbose_name_plural = _("requests to read a new version")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "employee"], name="training_read_request_unique"
            ),
        ]
        indexes = [models.Index(fields=["employee", "confirmed_at"], name="training_read_open")]

    def __str__(self) -> str:
        return f"{self.employee}: {self.version}"


class StationCode(models.Model):
    """The QR code stuck at a workstation (X-06). It outlives the workstation, so that scanning
    the code of a removed workstation says so instead of failing."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    workstation = models.OneToOneField(
        Workstation,
        verbose_name=_("workstation or machine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="station_code",
    )
    label = models.CharField(_("workstation name"), max_length=200)
    token = models.UUIDField(_("QR token"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workstation QR code")
        verbose_name_plural = _("workstation QR codes")

    def __str__(self) -> str:
        return self.label


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ROUND_TABLE = "round_table", _("Round table planned")
    NO_CHANGE = "no_change", _("Closed without change")
    NEW_VERSION = "new_version", _("Led to a new version")


class PracticeSignal(models.Model):
    """A learner heard "two versions" of how a step is done (OJT-13). The instruction's owner
    holds a round table; the outcome may be a new version with a change note."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="practice_signals",
    )
    instruction = models.ForeignKey(
        WorkInstruction,
        verbose_name=_("work instruction"),
        on_delete=models.CASCADE,
        related_name="signals",
    )
    version = models.ForeignKey(
        InstructionVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="signals",
    )
    step = models.ForeignKey(
        InstructionStep,
        verbose_name=_("important step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
    )
    raised_by = models.ForeignKey(
        Employee,
        verbose_name=_("raised by"),
        on_delete=models.CASCADE,
        related_name="practice_signals",
    )
    description = models.TextField(
        _("the two versions"), help_text=_("What you were shown, by whom, and how it differs.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    round_table_on = models.DateField(_("round table on"), null=True, blank=True)
    participants = models.CharField(_("who takes part"), max_length=300, blank=True)
    outcome = models.TextField(_("what was agreed"), blank=True)
    resulting_version = models.ForeignKey(
        InstructionVersion,
        verbose_name=_("new version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolved_signals",
    )
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-versions signal")
        verbose_name_plural = _("two-versions signals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instruction}: {self.description[:40]}"
