"""Learning activities and what the social balance counts of them (REG-01..07, REG-09, REG-10).

One `Activity` is a training, a course or a piece of workplace learning; its `Participation` rows
say who took part, for how many working hours and with what result; its `CostLine` rows say what
it cost and what came back (subsidies). Every legal figure (the 24 social-balance codes, the
training right, the plan's realised column) is computed from these rows, never typed twice.

Money is `Decimal` with two decimals, hours `Decimal` with two decimals. The rules that are not
verified in the law (belgian-rules.md, [U]) are settings in `settings.LEERPLEK`, never constants
here.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.competences.models import Competence, TrainingNeed
from leerplek.people.models import Employee, Organisation, User

__all__ = [
    "GROSS_COST_KINDS",
    "Activity",
    "ActivityStatus",
    "Category",
    "CompanyContribution",
    "CostKind",
    "CostLine",
    "Exclusion",
    "ExtraField",
    "ExtraFieldKind",
    "FinancialYear",
    "InformalKind",
    "OrganiserKind",
    "Participation",
    "ParticipationStatus",
    "Place",
    "Source",
    "YearStatus",
]


class Category(models.TextChoices):
    """The three categories of the social balance's training section (belgian-rules.md §1.3)."""

    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Less formal or informal")
    INITIAL = "initial", _("Initial")


class OrganiserKind(models.TextChoices):
    INTERNAL = "internal", _("Internal (designed and managed by the organisation)")
    EXTERNAL = "external", _("External (by an outside body)")


class InformalKind(models.TextChoices):
    """The less formal or informal ways of learning the brochure's box "Leren registreren" lists."""

    ON_THE_JOB = "on_the_job", _("On-the-job training")
    COACHING = "coaching", _("Coaching")
    KNOW_HOW = "know_how", _("Acquiring know-how")
    JOB_ROTATION = "job_rotation", _("Job rotation")
    STUDY_VISIT = "study_visit", _("Study visit")
    SELF_STUDY = "self_study", _("Self-study")
    DISTANCE = "distance", _("Distance learning (books, e-learning)")
    CONFERENCE = "conference", _("Conference")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    OTHER = "other", _("Other")


class Place(models.TextChoices):
    WORKPLACE = "workplace", _("At the workplace")
    AWAY = "away", _("Away from the workplace")


class Exclusion(models.TextChoices):
    """Why an activity does not count as training (REG-02, belgian-rules.md §1.5)."""

    COUNTED = "", _("Counts as training")
    BRAINSTORMING = "brainstorming", _("Brainstorming")
    POLICY_INFO = "policy_info", _("Information session on company policy")
    ONBOARDING_ONLY = "onboarding_only", _("Onboarding without follow-up training")
    MEETING = "meeting", _("Staff meeting or work consultation")
    OTHER = "other", _("Other reason (see the note)")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, to be confirmed by HR")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class Source(models.TextChoices):
    """Where a registration came from: typed, imported, or drafted from workplace learning
    (REG-08) or a quick log (REG-11)."""

    MANUAL = "manual", _("Typed in")
    IMPORT = "import", _("Imported")
    MODULE = "module", _("Confirmed programme module")
    PROGRAMME = "programme", _("Completed programme")
    GUIDANCE = "guidance", _("Peter/meter period or coaching")
    TEST = "test", _("Test")
    CERTIFICATE = "certificate", _("Certificate")
    QUICK_LOG = "quick_log", _("Quick log")
    COMMUNITY = "community", _("Community of practice, network or intervision")
    SCHEDULE = "schedule", _("Scheduled session")


class Activity(models.Model):
    """A learning activity (REG-01). Its category decides where it counts in the social balance;
    an excluded activity (REG-02) is kept, shown with its reason, and never counted."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="learning_activities",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    organiser_kind = models.CharField(
        _("organiser"), max_length=10, choices=OrganiserKind.choices, default=OrganiserKind.INTERNAL
    )
    organiser_name = models.CharField(
        _("organiser's name"),
        max_length=200,
        blank=True,
        help_text=_("The training provider, school or sector fund; empty for an internal one."),
    )
    informal_kind = models.CharField(
        _("kind of informal learning"), max_length=20, choices=InformalKind.choices, blank=True
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    duration_hours = models.DecimalField(
        _("duration in hours"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The most working hours one participant can spend on it."),
    )
    place = models.CharField(_("place"), max_length=10, choices=Place.choices, default=Place.AWAY)
    location = models.CharField(_("location"), max_length=200, blank=True)
    exclusion = models.CharField(
        _("counts as training?"), max_length=20, choices=Exclusion.choices, blank=True, default=""
    )
    exclusion_note = models.CharField(_("why it does not count"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.CONFIRMED,
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    # For drafts made from workplace learning: e.g. "signoff:123"; makes drafting idempotent.
    source_key = models.CharField(_("source key"), max_length=80, blank=True)
    counts_for_right = models.BooleanField(
        _("counts for the individual training right"),
        default=True,
        help_text=_("No for training that is not professional, or paid educational leave."),
    )
    is_educational_leave = models.BooleanField(
        _("paid educational leave (BEV)"),
        default=False,
        help_text=_("Followed under betaald educatief verlof / Vlaams opleidingsverlof."),
    )
    # Initial training (REG-10): at least six months, partly on the shop floor, towards a
    # recognised certificate or diploma.
    leads_to_qualification = models.BooleanField(
        _("leads to a recognised certificate or diploma"), default=False
    )
    partly_on_shop_floor = models.BooleanField(_("partly on the shop floor"), default=False)
    qualification = models.CharField(_("certificate or diploma"), max_length=200, blank=True)
    competences = models.ManyToManyField(
        Competence,
        verbose_name=_("competences"),
        blank=True,
        related_name="learning_activities",
    )
    need = models.ForeignKey(
        TrainingNeed,
        verbose_name=_("training need"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    plan_line = models.ForeignKey(
        "registration.PlanLine",
        verbose_name=_("line of the training plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    # Values of the organisation's extra fields (REG-07), keyed by `ExtraField.key`.
    extra = models.JSONField(_("extra fields"), default=dict, blank=True)
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
    confirmed_by = models.ForeignKey(
        User,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning activity")
        verbose_name_plural = _("learning activities")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "end_date"]),
            models.Index(fields=["organisation", "category", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="registration_activity_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(duration_hours__isnull=True) | Q(duration_hours__gte=0),
                name="registration_activity_duration_not_negative",
                violation_error_message=_("The duration cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "source_key"],
                condition=~Q(source_key=""),
                name="registration_activity_one_per_source",
                violation_error_message=_("This learning is already registered."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_excluded(self) -> bool:
        return bool(self.exclusion)

    @property
    def exclusion_reason(self) -> str:
        """The reason shown wherever an excluded record appears (REG-02)."""
        if not self.exclusion:
            return ""
        label = str(Exclusion(self.exclusion).label)
        return f"{label}: {self.exclusion_note}" if self.exclusion_note else label


class ParticipationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RESERVED = "reserved", _("Reserved")
    COMPLETED = "completed", _("Completed")
    NOT_FOLLOWED = "not_followed", _("Not followed")


class Participation(models.Model):
    """One person in one activity: his working hours spent on it (REG-04) and the result. Only
    completed participations count."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("learning activity"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="learning_participations",
    )
    hours = models.DecimalField(
        _("working hours"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.COMPLETED,
    )
    outside_working_hours = models.DecimalField(
        _("hours outside working time"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("For paid educational leave: the course hours followed outside working time."),
    )
    certificate_obtained = models.BooleanField(_("certificate obtained"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["employee__last_name", "employee__first_name", "id"]
        indexes = [models.Index(fields=["employee", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "employee"],
                name="registration_one_participation_per_person",
                violation_error_message=_("This person already takes part in this activity."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(outside_working_hours__gte=0),
                name="registration_participation_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.activity}"


class CostKind(models.TextChoices):
    """Cost lines of an activity (REG-05, belgian-rules.md §1.4). The gross cost is every kind
    except contributions and subsidies; net = gross + contributions - subsidies."""

    TRAINEE_PAY = "trainee_pay", _("Pay of the trainees during training")
    TRAINER_PAY = "trainer_pay", _("Pay of internal trainers (training hours only)")
    EXTERNAL = "external", _("External invoice or registration fee")
    RUNNING = "running", _("Share of running costs (rooms, equipment, materials)")
    TRAVEL = "travel", _("Travel and accommodation")
    CONTRIBUTION = "contribution", _("Contribution or payment to a collective fund")
    SUBSIDY = "subsidy", _("Subsidy or other financial benefit received")


GROSS_COST_KINDS = (
    CostKind.TRAINEE_PAY,
    CostKind.TRAINER_PAY,
    CostKind.EXTERNAL,
    CostKind.RUNNING,
    CostKind.TRAVEL,
)


class CostLine(models.Model):
    """One amount of an activity's cost, in euro. A line may name the participant it belongs to
    (the pay of one trainee); otherwise it is shared over the participants (settings
    `SB_COST_SPLIT`)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("learning activity"),
        on_delete=models.CASCADE,
        related_name="cost_lines",
    )
    kind = models.CharField(_("kind of cost"), max_length=20, choices=CostKind.choices)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.CharField(_("description"), max_length=200, blank=True)
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("for participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_cost_lines",
    )

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="registration_cost_not_negative",
                violation_error_message=_(
                    "An amount cannot be negative; a subsidy is its own kind."
                ),
            ),
            models.CheckConstraint(
                condition=Q(currency="EUR"),
                name="registration_cost_in_euro",
                violation_error_message=_("Amounts are in euro."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class CompanyContribution(models.Model):
    """A contribution to a collective (sector) fund paid at company level, not for one activity
    (58032/58132). The social balance splits it over men and women (settings
    `SB_CONTRIBUTION_SPLIT`, belgian-rules.md §1.5)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="fund_contributions",
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    fund = models.CharField(_("fund"), max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contribution to a collective fund")
        verbose_name_plural = _("contributions to collective funds")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="registration_contribution_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund}: {self.amount}"


class YearStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("financial year", "Open")
    CLOSED = "closed", pgettext_lazy("financial year", "Closed")


class FinancialYear(models.Model):
    """A financial year of the organisation for the social balance. Closing it freezes its 24
    figures (`figures`); a correction needs a reopening with a reason, kept in the audit log."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="financial_years",
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=10, choices=YearStatus.choices, default=YearStatus.OPEN
    )
    # Staff cost per gender (SB headings 10231/10232), when known: then the company-level fund
    # contributions are split pro rata to it; otherwise to the headcount at year end.
    staff_cost_men = models.DecimalField(
        _("staff cost of men (10231)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    staff_cost_women = models.DecimalField(
        _("staff cost of women (10232)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    figures = models.JSONField(_("frozen figures"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("financial year")
        verbose_name_plural = _("financial years")
        ordering = ["-end_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "end_date"],
                name="registration_one_year_per_end",
                violation_error_message=_("This financial year already exists."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="registration_year_end_after_start",
                violation_error_message=_("The last day must be after the first day."),
            ),
        ]

    def __str__(self) -> str:
        if self.start_date.year == self.end_date.year:
            return str(self.end_date.year)
        return f"{self.start_date.year}-{self.end_date.year}"

    @property
    def is_closed(self) -> bool:
        return self.status == YearStatus.CLOSED


class ExtraFieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice from a list")
    YES_NO = "yes_no", _("Yes or no")


class ExtraField(models.Model):
    """A field the organisation adds to its registration form (REG-07): "the model can easily be
    adapted to the company's situation"."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="registration_fields",
    )
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ExtraFieldKind.choices, default=ExtraFieldKind.TEXT
    )
    choices = models.TextField(_("choices"), blank=True, help_text=_("One choice per line."))
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("extra registration field")
        verbose_name_plural = _("extra registration fields")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="registration_extra_field_unique_key",
                violation_error_message=_("Another field has this key."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
