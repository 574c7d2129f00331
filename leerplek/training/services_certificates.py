"""Writes of the certificate register (TEST-03, TEST-07; see docs/training-tests-certificates.md).

- `attest_issue`: the internal attest of a passed test, issued once, with its validity.
- `certificate_register`: an external certificate, diploma or ervaringsbewijs with its scan
  (a PDF or a photo, checked by its content and size) and validity.
- `certificate_revoke`: HR withdraws a certificate with a reason; the public page says so.
- `certificates_follow_up`: the daily expiry run (management command
  `training_expire_certificates`): warns CERTIFICATE_WARNING_DAYS ahead, marks an expired
  certificate once, and assigns the test's recertification programme once. Running it twice on
  one day changes nothing the second time.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.competences.evidence import check_upload, display_name
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.models import AuditEntry
from leerplek.people.models import Employee, Organisation, User
from leerplek.training.models import (
    AssignmentStatus,
    Attempt,
    Audience,
    Certificate,
    CertificateKind,
    ModulePlan,
    ProgrammeAssignment,
    ProgrammeVersion,
    VersionStatus,
)

# Suffix -> (kind, content type) of an uploaded certificate.
ACCEPTED: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "application/pdf"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".png": ("png", "image/png"),
    ".webp": ("webp", "image/webp"),
}
EXTERNAL_KINDS = (CertificateKind.CERTIFICATE, CertificateKind.DIPLOMA, CertificateKind.EXPERIENCE)
EXPIRED_ACTION = "training.certificate_expired"

ERRORS = {
    "file_type": _("Attach a PDF or a photo (JPG, PNG or WEBP); %(name)s is not one of these."),
    "file_content": _(
        "%(name)s is not a real %(kind)s file inside; attach the original PDF or photo."
    ),
    "file_size": _("%(name)s is %(size)s MB; attach a file of at most %(max)s MB."),
    "file_empty": _("%(name)s is empty; attach the file again."),
    "kind_external": _(
        "Choose an external certificate, a diploma or an ervaringsbewijs; internal attests are "
        "issued by passing a test."
    ),
    "title_required": _("Write the title as it is on the certificate, e.g. 'VCA basis'."),
    "title_too_long": _("Keep the title under 200 characters."),
    "issuer_too_long": _("Keep the issuer under 200 characters."),
    "issued_future": _("The issue date cannot be after today (%(today)s)."),
    "expiry_before_issue": _("The expiry date lies before the issue date (%(issued)s)."),
    "holder_other_organisation": _("Choose a person of this organisation."),
    "revoked": _("This certificate was already revoked on %(date)s."),
    "reason_required": _("Write why the certificate is revoked, e.g. 'issued by mistake'."),
    "reason_too_long": _("Keep the reason under 300 characters."),
}


def _error(field_name: str, code: str, **params: Any) -> ValidationError:
    return field_error(field_name, ERRORS[code], code=code, params=params or None)


def file_max_bytes() -> int:
    return int(settings.LEERPLEK.get("EVIDENCE_MAX_MB", 10)) * 1024 * 1024


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months (31 January + 1 month is the last day of February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@transaction.atomic
def attest_issue(*, attempt: Attempt, by: User | None) -> Certificate:
    """The internal attest of a passed, counted attempt; issuing twice returns the same
    attest. Valid for the test's attest_valid_months (no expiry when empty)."""
    existing = Certificate.objects.filter(attempt=attempt).first()
    if existing is not None:
        return existing
    test = attempt.test
    issued_on = (
        timezone.localdate(attempt.submitted_at) if attempt.submitted_at else timezone.localdate()
    )
    expires_on = (
        add_months(issued_on, test.attest_valid_months) if test.attest_valid_months else None
    )
    certificate = Certificate.objects.create(
        organisation_id=attempt.organisation_id,
        employee=attempt.employee,
        kind=CertificateKind.ATTEST,
        title=test.attest_title or test.title,
        issuer=test.organisation.name,
        issued_on=issued_on,
        expires_on=expires_on,
        test=test,
        attempt=attempt,
        assignment=attempt.assignment,
        created_by=by,
    )
    recorded = _record_in_matrix(certificate)
    audit.record(
        actor=by,
        action="training.attest_issued",
        obj=certificate,
        after={
            "employee": attempt.employee_id,
            "test": test.pk,
            "code": certificate.code,
            "expires_on": expires_on,
            "competences": recorded,
        },
    )
    return certificate


def _record_in_matrix(certificate: Certificate) -> int:
    """The competences the attest's module develops get an assessment valid until the attest
    expires (method "certificate"): on expiry the skills matrix shows the requirement as expired
    by itself, and a renewed attest records it again."""
    from leerplek.competences.models import Assessment, AssessmentMethod
    from leerplek.training.models import ModuleCompetence

    test = certificate.test
    if test is None or test.module_id is None:
        return 0
    rows = list(ModuleCompetence.objects.filter(module_id=test.module_id))
    Assessment.objects.bulk_create(
        Assessment(
            organisation_id=certificate.organisation_id,
            employee_id=certificate.employee_id,
            competence_id=row.competence_id,
            level_id=row.level_id,
            assessed_on=certificate.issued_on,
            valid_until=certificate.expires_on,
            recorded_by=certificate.created_by,
            method=AssessmentMethod.CERTIFICATE,
            note=str(_("Attest %(code)s: %(title)s"))
            % {"code": certificate.code, "title": certificate.title},
        )
        for row in rows
    )
    return len(rows)


@transaction.atomic
def certificate_register(
    *,
    organisation: Organisation,
    by: User,
    employee: Employee,
    kind: str,
    title: str,
    issued_on: datetime.date,
    issuer: str = "",
    expires_on: datetime.date | None = None,
    file: UploadedFile | None = None,
) -> Certificate:
    """Register an external certificate, diploma or ervaringsbewijs of `employee`. Rules: a
    person of this organisation within `by`'s scope; an external kind; issued not after today;
    expiry not before issue; a file is a PDF or photo by its content, at most EVIDENCE_MAX_MB.
    Raises ValidationError keyed by field."""
    if employee.organisation_id != organisation.pk:
        raise _error("employee", "holder_other_organisation")
    if not by.has_perm("training.register_certificates", employee):
        raise PermissionDenied
    if kind not in EXTERNAL_KINDS:
        raise _error("kind", "kind_external")
    title = (title or "").strip()
    if not title:
        raise _error("title", "title_required")
    if len(title) > 200:
        raise _error("title", "title_too_long")
    issuer = (issuer or "").strip()
    if len(issuer) > 200:
        raise _error("issuer", "issuer_too_long")
    today = timezone.localdate()
    if issued_on > today:
        raise _error("issued_on", "issued_future", today=today)
    if expires_on is not None and expires_on < issued_on:
        raise _error("expires_on", "expiry_before_issue", issued=issued_on)
    digest = ""
    if file is not None:
        try:
            check_upload(
                file, accepted=ACCEPTED, limit=file_max_bytes(), errors=ERRORS, prefix="file"
            )
        except ValidationError as problem:
            raise ValidationError({"file": problem}) from problem
        file.seek(0)
        digest = hashlib.sha256(file.read()).hexdigest()
        file.seek(0)
    certificate = Certificate(
        organisation=organisation,
        employee=employee,
        kind=kind,
        title=title,
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
        created_by=by,
        sha256=digest,
    )
    stored = ""
    if file is not None:
        certificate.file_name = display_name(file.name or "")
        certificate.file.save(certificate.file_name, file, save=False)
        stored = certificate.file.name
    try:
        certificate.save()
        audit.record(
            actor=by,
            action="training.certificate_registered",
            obj=certificate,
            after={
                "employee": employee.pk,
                "kind": kind,
                "title": title,
                "issued_on": issued_on,
                "expires_on": expires_on,
                "sha256": digest,
            },
        )
    except BaseException:
        # Nothing half-written: a refused row leaves no file behind.
        if stored:
            certificate.file.storage.delete(stored)
        raise
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Withdraw a certificate (issued by mistake, fraud); the verification page says it is
    revoked. Rules: once; a reason. Raises ValidationError on "reason"."""
    if not by.has_perm("training.register_certificates", certificate):
        raise PermissionDenied
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise _error("reason", "revoked", date=timezone.localdate(locked.revoked_at))
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", "reason_required")
    if len(reason) > 300:
        raise _error("reason", "reason_too_long")
    locked.revoked_at = timezone.now()
    locked.revoke_reason = reason
    locked.save(update_fields=["revoked_at", "revoke_reason"])
    audit.record(
        actor=by, action="training.certificate_revoked", obj=locked, after={"reason": reason}
    )
    return locked


# --- The daily expiry run -------------------------------------------------------------------------


@dataclass
class FollowUp:
    """What one run did (the command prints it)."""

    warned: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    recertifications: list[int] = field(default_factory=list)


def warning_days() -> int:
    return int(settings.LEERPLEK.get("CERTIFICATE_WARNING_DAYS", 60))


def _approved_version(programme_id: int) -> ProgrammeVersion | None:
    return (
        ProgrammeVersion.objects.filter(programme_id=programme_id, status=VersionStatus.APPROVED)
        .order_by("-number")
        .first()
    )


def _recertify(certificate: Certificate, today: datetime.date) -> ProgrammeAssignment | None:
    """Assign the recertification programme of the certificate's test, unless the holder
    already follows it (then that assignment is linked)."""
    test = certificate.test
    if test is None or test.recertification_programme_id is None:
        return None
    employee = certificate.employee
    if employee.exit_date is not None and employee.exit_date < today:
        return None
    version = _approved_version(test.recertification_programme_id)
    if version is None:
        return None
    current = ProgrammeAssignment.objects.filter(
        employee=employee,
        version__programme_id=test.recertification_programme_id,
        status=AssignmentStatus.ACTIVE,
    ).first()
    if current is not None:
        return current
    assignment = ProgrammeAssignment.objects.create(
        organisation_id=certificate.organisation_id,
        version=version,
        employee=employee,
        audience=Audience.REFRESHER,
        started_on=today,
    )
    from leerplek.training.models import Phase
    from leerplek.training.services_learning import first_plan

    modules = list(version.modules.order_by("phase__position", "position", "id"))
    dates = first_plan(modules, Phase.objects.filter(version=version), today)
    ModulePlan.objects.bulk_create(
        ModulePlan(
            assignment=assignment,
            module=module,
            planned_start=dates[module.pk][0],
            planned_end=dates[module.pk][1],
        )
        for module in modules
    )
    audit.record(
        actor=None,
        action="training.recertification_assigned",
        obj=assignment,
        after={"certificate": certificate.pk, "version": version.pk, "employee": employee.pk},
    )
    return assignment


def _warn(certificate: Certificate) -> None:
    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext

    email = certificate.employee.email
    if not email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Your certificate %(title)s expires on %(date)s") % {
            "title": certificate.title,
            "date": certificate.expires_on,
        }
        body = gettext(
            "Your certificate %(title)s is valid until %(date)s. Ask HR or your line manager "
            "how to renew it in time."
        ) % {"title": certificate.title, "date": certificate.expires_on}
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))


@transaction.atomic
def certificates_follow_up(*, today: datetime.date | None = None) -> FollowUp:
    """The daily expiry run, safe to repeat (cron). Rules: a valid certificate that expires
    within CERTIFICATE_WARNING_DAYS is warned once (`warned_on`, a mail to the holder); an
    expired one is marked once (an audit entry `training.certificate_expired`); when its test
    names a recertification programme with an approved version, that programme is assigned
    once (`recertification`). Revoked certificates are left alone."""
    today = today or timezone.localdate()
    done = FollowUp()
    horizon = today + datetime.timedelta(days=warning_days())
    # `of`: PostgreSQL locks no row of the nullable side of a join (select_related).
    soon = (
        Certificate.objects.select_for_update(of=("self",))
        .filter(
            revoked_at__isnull=True,
            warned_on__isnull=True,
            expires_on__gte=today,
            expires_on__lte=horizon,
        )
        .select_related("employee")
    )
    for certificate in soon:
        certificate.warned_on = today
        certificate.save(update_fields=["warned_on"])
        _warn(certificate)
        done.warned.append(certificate.pk)
    expired = list(
        Certificate.objects.select_for_update(of=("self",))
        .filter(revoked_at__isnull=True, expires_on__lt=today)
        .select_related("employee", "test")
    )
    marked = set(
        AuditEntry.objects.filter(
            action=EXPIRED_ACTION, object_id__in=[str(row.pk) for row in expired]
        ).values_list("object_id", flat=True)
    )
    for certificate in expired:
        if str(certificate.pk) not in marked:
            audit.record(
                actor=None,
                action=EXPIRED_ACTION,
                obj=certificate,
                after={"expires_on": certificate.expires_on},
            )
            done.expired.append(certificate.pk)
        if certificate.recertification_id is None and (
            certificate.test is not None and certificate.test.recertification_programme_id
        ):
            assignment = _recertify(certificate, today)
            if assignment is not None:
                certificate.recertification = assignment
                certificate.save(update_fields=["recertification"])
                done.recertifications.append(assignment.pk)
    return done
