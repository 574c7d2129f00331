"""The certificate register (TEST-03, TEST-07): internal attests issued on passing a test, and
external certificates, diplomas and ervaringsbewijzen uploaded with their validity. Each has a
verification code; a public page shows only name, title, issue and expiry date and validity."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from leerplek.competences.models import Competence, Level
from leerplek.people.models import Employee, Organisation, User
from leerplek.training.models.assignments import ProgrammeAssignment
from leerplek.training.models.testing import Attempt, Test

# Unambiguous characters for codes read aloud or typed from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def certificate_file_path(certificate: Certificate, filename: str) -> str:
    return (
        f"training/{certificate.organisation_id}/certificates/{uuid.uuid4().hex}-{filename[-60:]}"
    )


class CertificateKind(models.TextChoices):
    ATTEST = "attest", _("Internal attest")
    CERTIFICATE = "certificate", _("External certificate")
    DIPLOMA = "diploma", _("Diploma")
    EXPERIENCE = "experience", _("Ervaringsbewijs (proof of experience)")


class Certificate(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("holder"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code
    )
    # Where an internal attest comes from.
    test = models.ForeignKey(
        Test,
        verbose_name=_("test"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    attempt = models.OneToOneField(
        Attempt,
        verbose_name=_("test attempt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate",
    )
    assignment = models.ForeignKey(
        ProgrammeAssignment,
        verbose_name=_("programme assignment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    # The competence it proves; its expiry shows in the skills matrix.
    competence = models.ForeignKey(
        Competence,
        verbose_name=_("competence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    level = models.ForeignKey(
        Level,
        verbose_name=_("level"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The uploaded scan (external) or the generated PDF (internal attest).
    file = models.FileField(_("file"), upload_to=certificate_file_path, blank=True, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # Expiry follow-up (the idempotent command): when the holder was warned, and the
    # recertification assigned on expiry.
    warned_on = models.DateField(_("expiry warning sent"), null=True, blank=True)
    recertification = models.ForeignKey(
        ProgrammeAssignment,
        verbose_name=_("recertification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recertifies",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="training_certificate_expiry_after_issue",
                violation_error_message=_("The expiry date lies before the issue date."),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "expires_on"], name="training_cert_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employee})"

    @property
    def scope_unit_path(self) -> str:
        unit = self.employee.unit
        return unit.path if unit is not None else ""
