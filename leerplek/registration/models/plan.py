"""The annual training plan (PLAN-01, PLAN-05): its lines, and the plan's consultation with the
works council, CPBW or union delegation (PLAN-03). The plan's realised column comes from the
activities linked to its lines (`Activity.plan_line`)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leerplek.people.models import Organisation, User

__all__ = ["PlanLine", "PlanStatus", "TrainingPlan"]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    IN_FORCE = "in_force", _("In force")
    FILED = "filed", _("Filed with FOD WASO")


class TrainingPlan(models.Model):
    """The training plan of one calendar year (belgian-rules.md §3.4)."""

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
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title
