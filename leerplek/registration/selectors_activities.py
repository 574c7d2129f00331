"""Reads of the activities area: the organisation's extra registration fields and its recent
imports, each in one query."""

from __future__ import annotations

from django.db.models import QuerySet

from leerplek.core.models import AuditEntry
from leerplek.people.models import Organisation
from leerplek.registration.models import ExtraField

IMPORTED = "registration.activities_imported"


def extra_field_list(*, organisation: Organisation) -> list[ExtraField]:
    """Every extra field of the organisation, those in use first, in form order (one query)."""
    return list(
        ExtraField.objects.filter(organisation=organisation).order_by("-active", "position", "id")
    )


def import_list(*, organisation: Organisation, limit: int = 10) -> QuerySet[AuditEntry]:
    """The last imports of registrations, from the audit log: who, when, which file, what was
    written (one query)."""
    return (
        AuditEntry.objects.filter(organisation_id=organisation.pk, action=IMPORTED)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
