"""Reads for account pages: roles, the own-data export and the audit log."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from leerplek.core.access import Access
from leerplek.core.models import ApiToken, AuditEntry, RoleGrant
from leerplek.core.roles import Role
from leerplek.core.xlsx import Sheet
from leerplek.people.models import Employee, JobAssignment, Organisation


def roles_of(*, access: Access) -> list[dict[str, str]]:
    """The user's roles with their scope, in a fixed order (no query: read from `access`)."""
    from leerplek.people.models import OrgUnit

    unit_names = dict(
        OrgUnit.objects.filter(pk__in=[g.unit_id for g in access.grants if g.unit_id]).values_list(
            "pk", "name"
        )
    )
    rows = [
        {
            "role": str(Role(g.role).label),
            "scope": unit_names.get(g.unit_id, "") if g.unit_id else "",
        }
        for g in sorted(access.grants, key=lambda g: list(Role).index(g.role))
    ]
    if access.employee_id is not None and not any(g.role == Role.EMPLOYEE for g in access.grants):
        rows.insert(0, {"role": str(Role.EMPLOYEE.label), "scope": ""})
    return rows


def own_data(*, access: Access) -> dict[str, Any]:
    """Everything Leerplek keeps about the person behind `access`, in the current organisation."""
    employee_id = access.employee_id or 0
    person = (
        Employee.objects.select_related("unit", "job", "manager", "workstation", "user")
        .filter(pk=employee_id)
        .first()
    )
    assignments = JobAssignment.objects.filter(employee_id=employee_id).select_related(
        "job", "unit"
    )
    user = person.user if person and person.user else None
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "organisation": access.organisation.name if access.organisation else "",
        "account": {
            "email": user.email if user else "",
            "first_name": user.first_name if user else "",
            "last_name": user.last_name if user else "",
            "language": user.language if user else "",
        },
        "roles": [{"role": g.role.value, "unit_id": g.unit_id} for g in access.grants],
        "person": {},
        "function_history": [],
        "api_tokens": [],
    }
    if person is not None:
        data["person"] = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "employee_number": person.employee_number,
            "email": person.email,
            "phone": person.phone,
            "person_type": person.person_type,
            "gender": person.gender,
            "birth_date": _iso(person.birth_date),
            "hire_date": _iso(person.hire_date),
            "exit_date": _iso(person.exit_date),
            "exit_reason": person.exit_reason,
            "planned_exit_date": _iso(person.planned_exit_date),
            "experience_years": str(person.experience_years),
            "languages": person.languages,
            "dutch_level": person.dutch_level,
            "education_level": person.education_level,
            "unit": person.unit.name if person.unit else "",
            "function": person.job.name if person.job else "",
            "manager": str(person.manager) if person.manager else "",
            "workstation": person.workstation.name if person.workstation else "",
            "career_note": person.career_note,
        }
        data["function_history"] = [
            {
                "function": row.job.name,
                "unit": row.unit.name if row.unit else "",
                "from": _iso(row.start_date),
                "until": _iso(row.end_date),
                "reason": row.reason,
                "note": row.note,
            }
            for row in assignments
        ]
    if user is not None:
        data["api_tokens"] = [
            {"name": t.name, "created": t.created_at.isoformat(), "revoked": bool(t.revoked_at)}
            for t in ApiToken.objects.filter(user=user, organisation_id=access.organisation_id or 0)
        ]
    return data


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def own_data_sheets(data: dict[str, Any]) -> list[Sheet]:
    person = data["person"]
    account = data["account"]
    return [
        Sheet("Person", ["field", "value"], [*account.items(), *person.items()]),
        Sheet(
            "Function history",
            ["function", "unit", "from", "until", "reason", "note"],
            [list(row.values()) for row in data["function_history"]],
        ),
        Sheet("Roles", ["role", "unit_id"], [[r["role"], r["unit_id"]] for r in data["roles"]]),
    ]


def audit_list(
    *,
    organisation: Organisation,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries of one organisation, newest first, filtered (a lazy queryset for paging)."""
    entries = AuditEntry.objects.filter(organisation=organisation)
    if action:
        entries = entries.filter(action__icontains=action)
    if actor:
        entries = entries.filter(Q(actor_label__icontains=actor) | Q(actor__email__icontains=actor))
    if object_type:
        entries = entries.filter(
            Q(object_type__icontains=object_type) | Q(object_repr__icontains=object_type)
        )
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries.order_by("-at", "-id")


def grants_in(*, organisation: Organisation) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(organisation=organisation).select_related("user", "unit")
