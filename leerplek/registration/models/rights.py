"""The individual training right (belgian-rules.md §3.2, §3.3): the sector (joint-committee) rules
an organisation follows, its size in FTE per year, and each worker's work regime.

The right itself (days per worker per year, followed, carried over, balance) is never stored: it
is computed from these rows and the registrations (`selectors_rights`). People records have no
work-regime field, so part-time periods live here (`EmployeeRegime`); without one a worker is
full-time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from leerplek.people.models import Employee, Organisation

__all__ = ["EmployeeRegime", "OrganisationRightYear", "SectorRightRule"]

DAYS: dict[str, Any] = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("365"))],
}


class SectorRightRule(models.Model):
    """A joint committee's rule for the individual right, overriding the legal days by company
    size (a sector CAO may, e.g. the PC 200 growth path: 3 days in 2024-25, 4 in 2026-27, 5 from
    2028 for companies of 20 FTE or more; unused days carry over and reset to 0 after each
    five-year period).

    `year_steps` maps a year to the days for companies of 20 FTE or more from that year on
    ({"2024": "3", "2026": "4", "2028": "5"}); without a step for a year, `days_20_plus` applies.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="sector_right_rules",
    )
    name = models.CharField(_("name"), max_length=200)
    joint_committee = models.CharField(
        _("joint committee (PC/PSC)"), max_length=20, help_text=_("For example 200.")
    )
    cao_number = models.CharField(
        _("registration number of the CAO"),
        max_length=40,
        blank=True,
        help_text=_("The collective agreement the right is based on (a field of the FLA)."),
    )
    valid_from_year = models.PositiveSmallIntegerField(_("valid from year"))
    days_under_10 = models.DecimalField(
        _("days per FTE, under 10 FTE"), default=Decimal("0"), **DAYS
    )
    days_10_to_19 = models.DecimalField(
        _("days per FTE, 10 to 19 FTE"), default=Decimal("1"), **DAYS
    )
    days_20_plus = models.DecimalField(
        _("days per FTE, 20 FTE or more"), default=Decimal("5"), **DAYS
    )
    year_steps = models.JSONField(
        _("days from a year on (20 FTE or more)"), default=dict, blank=True
    )
    carries_over = models.BooleanField(_("unused days carry over"), default=False)
    reset_years = models.PositiveSmallIntegerField(
        _("reset period (years)"),
        null=True,
        blank=True,
        help_text=_("The balance goes back to 0 after each period of this many years."),
    )
    reset_start_year = models.PositiveSmallIntegerField(
        _("first year of the first period"), null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sector rule for the training right")
        verbose_name_plural = _("sector rules for the training right")
        ordering = ["joint_committee", "valid_from_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="registration_right_rule_unique_name",
                violation_error_message=_("Another sector rule has this name."),
            ),
            models.CheckConstraint(
                condition=Q(reset_years__isnull=True) | Q(reset_start_year__isnull=False),
                name="registration_right_rule_reset_has_start",
                violation_error_message=_("A reset period needs the first year of its period."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationRightYear(models.Model):
    """For one calendar year: the organisation's FTE over the reference period (it decides the
    size class; HR enters it from the RSZ/ONSS declarations, otherwise it is estimated from the
    register) and the sector rule in use (none: the legal days)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="right_years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    fte = models.DecimalField(
        _("FTE in the reference period"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The average FTE declared to the RSZ/ONSS; leave empty to estimate it."),
    )
    rule = models.ForeignKey(
        SectorRightRule,
        verbose_name=_("sector rule in use"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="years",
    )

    class Meta:
        verbose_name = _("training-right year")
        verbose_name_plural = _("training-right years")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="registration_right_one_record_per_year",
                violation_error_message=_("This year already has its settings."),
            ),
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gte=0),
                name="registration_right_fte_not_negative",
                violation_error_message=_("The FTE cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class EmployeeRegime(models.Model):
    """A period in which a worker works part-time: `fraction` of a full-time job (0.5 for
    half-time, 0.8 for four days a week). Outside every period he is full-time."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="work_regimes",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="work_regimes",
    )
    fraction = models.DecimalField(
        _("work regime (fraction of full-time)"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("work regime")
        verbose_name_plural = _("work regimes")
        ordering = ["employee_id", "start", "id"]
        indexes = [models.Index(fields=["organisation", "employee", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(fraction__gt=0) & Q(fraction__lte=1),
                name="registration_regime_fraction_range",
                violation_error_message=_("The work regime lies between 0 and 1 (full-time)."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="registration_regime_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.fraction}"
