"""Reads of the certificate register (TEST-03, TEST-07): the register a user may see with its
filters, the "expires soon" list, one certificate, and the public verification of a code. Each
function runs a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from leerplek.core.access import Access
from leerplek.core.roles import Role
from leerplek.training.models import Certificate, Phase

VIEW_ROLES = (Role.HR, Role.ADMIN, Role.MANAGER, Role.PREVENTION_ADVISER)
VALID, EXPIRING, EXPIRED, REVOKED = "valid", "expiring", "expired", "revoked"


def warning_days() -> int:
    return int(settings.LEERPLEK.get("CERTIFICATE_WARNING_DAYS", 60))


def valid_on(day: datetime.date) -> Q:
    return Q(revoked_at__isnull=True, issued_on__lte=day) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=day)
    )


def state_q(state: str, day: datetime.date) -> Q:
    """The filter of a register state on `day`."""
    soon = day + datetime.timedelta(days=warning_days())
    if state == REVOKED:
        return Q(revoked_at__isnull=False)
    if state == EXPIRED:
        return Q(revoked_at__isnull=True, expires_on__lt=day)
    if state == EXPIRING:
        return Q(revoked_at__isnull=True, expires_on__gte=day, expires_on__lte=soon)
    if state == VALID:
        return valid_on(day)
    return Q()


def state_of(certificate: Certificate, day: datetime.date | None = None) -> str:
    """valid, expiring (within CERTIFICATE_WARNING_DAYS), expired or revoked."""
    day = day or timezone.localdate()
    if certificate.revoked_at is not None:
        return REVOKED
    if certificate.expires_on is not None and certificate.expires_on < day:
        return EXPIRED
    if certificate.expires_on is not None and certificate.expires_on <= day + datetime.timedelta(
        days=warning_days()
    ):
        return EXPIRING
    return VALID


def visible_certificates(*, access: Access) -> QuerySet[Certificate]:
    """The certificates of the people within the user's viewing scope, and his own (mirrors
    training.view_certificates)."""
    return Certificate.objects.filter(
        access.employee_scope_q(VIEW_ROLES, prefix="employee__"),
        organisation_id=access.organisation_id or 0,
    ).select_related("employee", "employee__unit", "test")


@dataclass
class Row:
    certificate: Certificate
    state: str


def certificate_list(
    *,
    access: Access,
    query: str = "",
    kind: str = "",
    state: str = "",
    unit_path: str = "",
    day: datetime.date | None = None,
) -> QuerySet[Certificate]:
    """The register, newest first, filtered (one query per page, plus the count)."""
    day = day or timezone.localdate()
    rows = visible_certificates(access=access)
    if query:
        rows = rows.filter(
            Q(title__icontains=query)
            | Q(issuer__icontains=query)
            | Q(employee__first_name__icontains=query)
            | Q(employee__last_name__icontains=query)
            | Q(code__iexact=query.strip())
        )
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state_q(state, day))
    if unit_path:
        rows = rows.filter(employee__unit__path__startswith=unit_path)
    return rows.order_by("-issued_on", "-id")


def rows_of(certificates: Any, day: datetime.date | None = None) -> list[Row]:
    day = day or timezone.localdate()
    return [Row(certificate, state_of(certificate, day)) for certificate in certificates]


EXPIRING_SHOWN = 20


def expiring_soon(*, access: Access, day: datetime.date | None = None) -> list[Certificate]:
    """The valid certificates that expire within CERTIFICATE_WARNING_DAYS, soonest first (one
    query)."""
    day = day or timezone.localdate()
    return list(
        visible_certificates(access=access)
        .filter(state_q(EXPIRING, day))
        .order_by("expires_on", "id")[:EXPIRING_SHOWN]
    )


def own_expiring(*, employee_id: int, day: datetime.date | None = None) -> list[Certificate]:
    """The person's own certificates that expire soon or have expired without being renewed
    (one query)."""
    day = day or timezone.localdate()
    soon = day + datetime.timedelta(days=warning_days())
    return list(
        Certificate.objects.filter(
            employee_id=employee_id, revoked_at__isnull=True, expires_on__lte=soon
        )
        .filter(expires_on__gte=day - datetime.timedelta(days=warning_days()))
        .order_by("expires_on", "id")
    )


def has_valid_attest(employee_id: int, phase: Phase, day: datetime.date | None = None) -> bool:
    """Whether the person holds a valid attest of a test of `phase` (a gate to the next phase)."""
    day = day or timezone.localdate()
    return Certificate.objects.filter(
        valid_on(day), Q(test__phase=phase) | Q(test__module__phase=phase), employee_id=employee_id
    ).exists()


@dataclass(frozen=True)
class Verification:
    """The five facts the public page shows; nothing else leaves the register."""

    name: str
    title: str
    issued_on: datetime.date
    expires_on: datetime.date | None
    state: str


def public_verification(code: str, day: datetime.date | None = None) -> Verification | None:
    """The verification of `code` (spaces and case ignored), or None when unknown. One query
    that reads only the five facts."""
    clean = "".join(code.split()).upper()
    # Codes are letters and digits; anything else (a NUL byte PostgreSQL refuses) is unknown.
    if not clean or len(clean) > 16 or not (clean.isascii() and clean.isalnum()):
        return None
    certificate = (
        Certificate.objects.filter(code=clean)
        .select_related("employee")
        .only(
            "title",
            "issued_on",
            "expires_on",
            "revoked_at",
            "employee__first_name",
            "employee__last_name",
        )
        .first()
    )
    if certificate is None:
        return None
    state = state_of(certificate, day)
    return Verification(
        name=f"{certificate.employee.first_name} {certificate.employee.last_name}".strip(),
        title=certificate.title,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        state=EXPIRED if state == EXPIRED else REVOKED if state == REVOKED else VALID,
    )
