"""Session scheduling (PLAN-02): rooms, people's shift patterns, time allowances and absences,
production peaks and staffing minima, and scheduling rounds with the sessions to place and the
computed result.

A slot is a day and a part of it (early, late, night). A person works the parts his shift pattern
gives for each weekday: his own pattern (`WorkProfile.pattern`), else the pattern of the nearest
shift unit (OrgUnit kind "shift") his unit lies in, else the day shift (early, Monday to Friday).
Peaks and minima belong to the organisation, not to a round: a round uses those that overlap
its period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.people.models import Employee, Organisation, OrgUnit, User
from leerplek.registration.models.activities import Activity

__all__ = [
    "Part",
    "ProductionPeak",
    "Room",
    "RoundStatus",
    "ScheduleRound",
    "ScheduleSession",
    "ScheduledSession",
    "ShiftPattern",
    "StaffingMinimum",
    "Unavailability",
    "WorkProfile",
    "default_week",
]


class Part(models.TextChoices):
    EARLY = "early", pgettext_lazy("shift part", "Early")
    LATE = "late", pgettext_lazy("shift part", "Late")
    NIGHT = "night", pgettext_lazy("shift part", "Night")


def default_week() -> list[list[str]]:
    """The day shift: early, Monday to Friday (a list per weekday, Monday first)."""
    return [["early"], ["early"], ["early"], ["early"], ["early"], [], []]


class Room(models.Model):
    """A training room and how many participants it seats."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("training room")
        verbose_name_plural = _("training rooms")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="registration_room_unique_name",
                violation_error_message=_("Another room has this name."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="registration_room_capacity_positive",
                violation_error_message=_("A room seats at least one person."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ShiftPattern(models.Model):
    """Which parts of the day are worked on which weekday. Linked to a shift unit, it is the
    pattern of everyone in that shift."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    shift = models.OneToOneField(
        OrgUnit,
        verbose_name=pgettext_lazy("unit kind", "Shift"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shift_pattern",
        help_text=_("The shift unit whose people work this pattern."),
    )
    week = models.JSONField(
        _("parts worked per weekday"),
        default=default_week,
        help_text=_("Seven lists, Monday first, of the parts worked: early, late, night."),
    )

    class Meta:
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def works(self) -> frozenset[tuple[int, str]]:
        """(weekday, part) pairs, Monday 0."""
        return works_of(self.week)

    def summary(self) -> str:
        """The week in words, runs of weekdays with the same parts together."""
        return week_summary(self.week)


def week_summary(week: Any) -> str:
    from django.utils.dates import WEEKDAYS_ABBR

    works = works_of(week)
    labels = dict(Part.choices)
    days = [tuple(part for part in Part.values if (day, part) in works) for day in range(7)]
    runs: list[tuple[int, int, tuple[str, ...]]] = []
    for day, parts in enumerate(days):
        if runs and runs[-1][2] == parts and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day, parts)
        else:
            runs.append((day, day, parts))
    texts = []
    for first, last, parts in runs:
        if not parts:
            continue
        span = str(WEEKDAYS_ABBR[first])
        if last > first:
            span += "–" + str(WEEKDAYS_ABBR[last])  # noqa: RUF001
        texts.append(f"{span}: " + ", ".join(str(labels[part]).lower() for part in parts))
    return " · ".join(texts) if texts else str(_("no parts worked"))


def works_of(week: Any) -> frozenset[tuple[int, str]]:
    pairs = set()
    if isinstance(week, list):
        for weekday, parts in enumerate(week[:7]):
            for part in parts or ():
                if part in Part.values:
                    pairs.add((weekday, part))
    return frozenset(pairs)


class WorkProfile(models.Model):
    """What the scheduler needs about one person beyond the register: an own shift pattern and
    the weekly hours of time allowances (peter/meter, community of practice) that are not
    available for training nor on the floor."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    employee = models.OneToOneField(
        Employee, verbose_name=_("person"), on_delete=models.CASCADE, related_name="work_profile"
    )
    pattern = models.ForeignKey(
        ShiftPattern,
        verbose_name=_("shift pattern"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to use the pattern of the person's shift, else the day shift."),
    )
    mentor_hours_per_week = models.DecimalField(
        _("peter/meter hours per week"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    community_hours_per_week = models.DecimalField(
        _("community of practice hours per week"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )

    class Meta:
        verbose_name = _("work profile")
        verbose_name_plural = _("work profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor_hours_per_week__gte=0) & Q(community_hours_per_week__gte=0),
                name="registration_workprofile_allowances_not_negative",
                violation_error_message=_("Time allowances cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return str(self.employee)

    @property
    def allowance_hours(self) -> Decimal:
        return self.mentor_hours_per_week + self.community_hours_per_week


class Unavailability(models.Model):
    """Days a trainer or participant cannot attend (leave, other commitments): his calendar."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="registration_unavailability_end_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.start} – {self.end}"  # noqa: RUF001


class ProductionPeak(models.Model):
    """A declared production peak: no training for the people of `unit` (and its sub-units)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("production peak")
        verbose_name_plural = _("production peaks")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="registration_peak_end_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.start} – {self.end}"  # noqa: RUF001


class StaffingMinimum(models.Model):
    """At least `minimum` people of `unit` (and its sub-units; only those of `shift` when given)
    stay on the floor in every slot of `part` (every part when empty): trainees away must not
    leave the line uncovered."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    shift = models.ForeignKey(
        OrgUnit,
        verbose_name=pgettext_lazy("unit kind", "Shift"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only the people of this shift count; empty: everyone of the unit."),
    )
    part = models.CharField(
        _("part of the day"),
        max_length=10,
        choices=Part.choices,
        blank=True,
        help_text=_("Empty: every part of the day."),
    )
    minimum = models.PositiveSmallIntegerField(_("minimum present"))

    class Meta:
        verbose_name = _("staffing minimum")
        verbose_name_plural = _("staffing minima")
        ordering = ["unit__name", "part", "id"]

    def __str__(self) -> str:
        return f"{self.unit} ≥ {self.minimum}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("schedule", "Draft")
    SOLVED = "solved", pgettext_lazy("schedule", "Computed")
    PUBLISHED = "published", pgettext_lazy("schedule", "Published")


class ScheduleRound(models.Model):
    """One scheduling exercise: the sessions to place in a period and the last computed result."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    solver_status = models.CharField(_("solver result"), max_length=20, blank=True)
    objective = models.IntegerField(_("disruption score"), null=True, blank=True)
    stats = models.JSONField(_("solver statistics"), default=dict, blank=True)
    findings = models.JSONField(_("why there is no schedule"), default=list, blank=True)
    solved_at = models.DateTimeField(_("computed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
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
        verbose_name = _("scheduling round")
        verbose_name_plural = _("scheduling rounds")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="registration_round_end_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ScheduleSession(models.Model):
    """A session of a planned formal activity to place: who, how long, where and within which
    days."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(
        ScheduleRound,
        verbose_name=_("scheduling round"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("learning activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The planned formal activity this session belongs to."),
    )
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("8"))],
    )
    trainer = models.ForeignKey(
        Employee,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for an outside trainer without a calendar here."),
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("required room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: any room with enough seats."),
    )
    participants = models.ManyToManyField(
        Employee, verbose_name=_("participants"), related_name="+", blank=True
    )
    earliest = models.DateField(_("earliest day"), null=True, blank=True)
    latest = models.DateField(_("latest day"), null=True, blank=True)

    class Meta:
        verbose_name = _("session to schedule")
        verbose_name_plural = _("sessions to schedule")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=8),
                name="registration_session_hours_in_slot",
                violation_error_message=_("A session lasts more than 0 and at most 8 hours."),
            ),
            models.CheckConstraint(
                condition=Q(earliest__isnull=True)
                | Q(latest__isnull=True)
                | Q(latest__gte=F("earliest")),
                name="registration_session_window",
                violation_error_message=_("The latest day cannot be before the earliest day."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ScheduledSession(models.Model):
    """Where and when the last computation placed a session."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    session = models.OneToOneField(
        ScheduleSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="placement",
    )
    day = models.DateField(_("day"))
    part = models.CharField(_("part of the day"), max_length=10, choices=Part.choices)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("scheduled session")
        verbose_name_plural = _("scheduled sessions")
        ordering = ["day", "part", "id"]
        # No unique (room, day, part): draft rounds may overlap; the solver keeps a round's
        # sessions out of the rooms and people that published rounds already hold.
        indexes = [models.Index(fields=["organisation", "day"])]

    def __str__(self) -> str:
        return f"{self.session}: {self.day} {self.part}"
