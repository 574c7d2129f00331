"""Reads for the people API: lists scoped like the permission rules, in a fixed number of queries.

Each list mirrors its rule in `core/permissions.py` (the same roles, the same unit scope), so an
object appears in a list exactly when `has_perm` lets the user open it; `tests/api/test_tenancy.py`
checks that they agree for every role.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.people.models import Employee, EmployeeQuerySet, Job, OrgUnit, Workstation

NOTHING = Q(pk__in=[])


def unit_scope_q(access: Access, perm: str, path_field: str) -> Q:
    """The rows under a unit that `perm` lets `access` reach: the rule's roles on their scopes."""
    rule = PERMISSIONS[perm]
    roles = rule.roles
    if access.organisation is None or not access.has_role(*roles):
        return NOTHING
    if not rule.scoped:
        return Q()
    paths = access.scope_paths(roles)
    if paths is None:
        return Q()
    reach = NOTHING
    for path in paths:
        reach |= Q(**{f"{path_field}__startswith": path})
    return reach


def units(access: Access) -> QuerySet[OrgUnit]:
    """The current organisation's units with what their representation shows (one query)."""
    if access.organisation is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(organisation=access.organisation).select_related(
        "parent", "leader"
    )


def jobs(access: Access) -> QuerySet[Job]:
    """The current organisation's functions with their tasks (two queries)."""
    if access.organisation is None:
        return Job.objects.none()
    return Job.objects.filter(organisation=access.organisation).prefetch_related("tasks")


def workstations(access: Access) -> QuerySet[Workstation]:
    if access.organisation is None:
        return Workstation.objects.none()
    return Workstation.objects.filter(organisation=access.organisation).select_related("unit")


def employees(access: Access) -> EmployeeQuerySet:
    if access.organisation is None:
        return Employee.objects.none()
    return Employee.objects.filter(organisation=access.organisation).select_related(
        "unit", "manager", "job", "workstation"
    )


def unit_list(*, access: Access, parent: OrgUnit | None = None) -> QuerySet[OrgUnit]:
    """Units `access` may view, in tree order; with `parent`, only its direct children."""
    result = units(access).filter(unit_scope_q(access, "people.view_unit", "path"))
    if parent is not None:
        result = result.filter(parent=parent)
    return result.order_by("path", "pk")


def job_list(*, access: Access) -> QuerySet[Job]:
    """Functions are organisation-wide: every member who may view functions sees them all."""
    if not PERMISSIONS["people.view_job"].roles & access.roles:
        return jobs(access).none()
    return jobs(access).order_by("name", "pk")


def workstation_list(*, access: Access, unit: OrgUnit | None = None) -> QuerySet[Workstation]:
    """Workstations `access` may view; with `unit`, those of that unit and its sub-units."""
    result = workstations(access).filter(
        unit_scope_q(access, "people.view_workstation", "unit__path")
    )
    if unit is not None:
        result = result.filter(unit__path__startswith=unit.path)
    return result.order_by("difficulty_rank", "name", "pk")


def employee_list(
    *,
    access: Access,
    q: str = "",
    unit: OrgUnit | None = None,
    person_type: str | None = None,
    job: Job | None = None,
    status: str | None = None,
) -> EmployeeQuerySet:
    """People `access` may open, filtered.

    `q` matches every word against first name, last name, email or personnel number; `unit`
    includes its sub-units; `status` is "active" (not left today) or "left".
    """
    result = employees(access).filter(access.employee_scope_q())
    for word in q.split():
        result = result.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(employee_number__icontains=word)
        )
    if unit is not None:
        result = result.filter(unit__path__startswith=unit.path)
    if person_type:
        result = result.filter(person_type=person_type)
    if job is not None:
        result = result.filter(job=job)
    if status == "active":
        result = result.active()
    elif status == "left":
        result = result.filter(exit_date__lt=timezone.localdate())
    return result.order_by("last_name", "first_name", "pk")
