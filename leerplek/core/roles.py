"""The roles a user can hold in an organisation, each granted on a scope (a unit and below)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MENTOR = "mentor", pgettext_lazy("guide role", "Mentor")
    COACH = "coach", _("Coach")
    INSTRUCTOR = "instructor", _("Instructor")
    MANAGER = "manager", _("Line manager")
    HR = "hr", _("HR / training coordinator")
    KNOWLEDGE_MANAGER = "knowledge_manager", _("Knowledge manager")
    PREVENTION_ADVISER = "prevention_adviser", _("Prevention adviser")
    CONSULTATION = "consultation", _("Consultation-body member")
    ADMIN = "admin", _("Administrator")


ALL_ROLES = frozenset(Role)
