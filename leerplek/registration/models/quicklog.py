"""The quick log of informal learning (REG-11): "learned today" in three fields on a phone.

The ways of learning are those of the brochure's employee statements and of SME practice
(werken-en-leren.txt L374-384, L2038-2044): asking an experienced colleague, watching how someone
else does the work ("stelen met de ogen"), trying it out (trial and error), reading, searching it
out oneself. The line manager confirms a log; only then does it become a confirmed informal
learning activity (`Activity`, source "quick_log") that the social balance counts.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerplek.people.models import Employee, Organisation, User
from leerplek.registration.models.activities import Activity, InformalKind

__all__ = [
    "QUICK_LOG_KINDS",
    "QUICK_LOG_MAX_MINUTES",
    "QuickLog",
    "QuickLogHow",
    "QuickLogStatus",
]

# A quick log covers part of one working day: at most eight hours.
QUICK_LOG_MAX_MINUTES = 480


class QuickLogHow(models.TextChoices):
    """How the worker learned, in his own words (brochure L374-384)."""

    ASKED = "asked", _("Asked a colleague")
    WATCHED = "watched", _("Watched someone")
    TRIED = "tried", _("Tried it out")
    READ = "read", _("Read")
    SEARCHED = "searched", _("Searched")


# The kind of informal learning each way becomes in the registration: advice of an experienced
# colleague is coaching; watching and trying out at the workplace are on-the-job learning;
# reading is self-study; searching out a problem oneself is acquiring know-how.
QUICK_LOG_KINDS: dict[str, str] = {
    QuickLogHow.ASKED: InformalKind.COACHING,
    QuickLogHow.WATCHED: InformalKind.ON_THE_JOB,
    QuickLogHow.TRIED: InformalKind.ON_THE_JOB,
    QuickLogHow.READ: InformalKind.SELF_STUDY,
    QuickLogHow.SEARCHED: InformalKind.KNOW_HOW,
}


class QuickLogStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the manager")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


class QuickLog(models.Model):
    """One piece of informal learning a worker logged himself."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="quick_logs",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="quick_logs",
    )
    date = models.DateField(_("date"))
    how = models.CharField(_("how did you learn?"), max_length=20, choices=QuickLogHow.choices)
    topic = models.CharField(_("what did you learn?"), max_length=200)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(QUICK_LOG_MAX_MINUTES)],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=QuickLogStatus.choices,
        default=QuickLogStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The confirmed informal activity this log became (source "quick_log", "quicklog:<id>").
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("learning activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quick_log",
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        verbose_name = _("quick log")
        verbose_name_plural = _("quick logs")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "date"], name="registration_qlog_state"),
            models.Index(fields=["employee", "date"], name="registration_qlog_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=QUICK_LOG_MAX_MINUTES),
                name="registration_quick_log_minutes_1_480",
                violation_error_message=_("Enter from 1 to 480 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.topic} ({self.minutes} min)"
