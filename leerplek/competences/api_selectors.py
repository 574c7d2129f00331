"""Reads for the competences API, scoped like the permission rules, in a fixed number of queries.

The matrix, the gaps and the retention risks come from the selectors the pages use; this module
holds the querysets behind the lists and details, so every API answer reads the same columns.
"""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from leerplek.competences import services
from leerplek.competences.models import (
    Assessment,
    Competence,
    CompetenceGroup,
    Level,
    LevelScale,
    Requirement,
)
from leerplek.competences.selectors import MATRIX_ROLES
from leerplek.core.access import Access
from leerplek.people.models import Employee, EmployeeQuerySet, Job, Workstation


def _default_scale(organisation_field: str) -> QuerySet[LevelScale]:
    return LevelScale.objects.filter(
        organisation=OuterRef(organisation_field), is_default=True
    ).order_by()


def competences(access: Access) -> QuerySet[Competence]:
    """The current organisation's competences, each with the scale it is measured on
    (`scale_pk`, `scale_name`: its group's scale, else the default scale). One query.

    Callers that may meet an organisation without a default scale yet call
    `ensure_default_scale` first.
    """
    if access.organisation is None:
        return Competence.objects.none()
    default = _default_scale("organisation_id")
    return (
        Competence.objects.filter(organisation=access.organisation)
        .select_related("group", "group__scale", "organisation")
        .annotate(
            scale_pk=Coalesce(F("group__scale_id"), Subquery(default.values("pk")[:1])),
            scale_name=Coalesce(F("group__scale__name"), Subquery(default.values("name")[:1])),
        )
    )


def ensure_default_scale(access: Access) -> None:
    """The organisation's default (ILUO) scale is made on first use, as the pages do."""
    if access.organisation is not None:
        services.default_scale(access.organisation)


def competence_list(
    *,
    access: Access,
    q: str = "",
    kind: str | None = None,
    group: CompetenceGroup | None = None,
    active: bool | None = None,
) -> QuerySet[Competence]:
    """The catalogue, by code. `q` matches every word against code, name or description."""
    result = competences(access)
    for word in q.split():
        result = result.filter(
            Q(code__icontains=word) | Q(name__icontains=word) | Q(description__icontains=word)
        )
    if kind:
        result = result.filter(kind=kind)
    if group is not None:
        result = result.filter(group=group)
    if active is not None:
        result = result.filter(is_active=active)
    return result.order_by("code", "pk")


def groups(access: Access) -> QuerySet[CompetenceGroup]:
    if access.organisation is None:
        return CompetenceGroup.objects.none()
    return CompetenceGroup.objects.filter(organisation=access.organisation).select_related("scale")


def group_list(*, access: Access) -> QuerySet[CompetenceGroup]:
    return groups(access).order_by("name", "pk")


def scale_list(*, access: Access) -> QuerySet[LevelScale]:
    """The organisation's scales, default first, each with its levels by rank (two queries)."""
    if access.organisation is None:
        return LevelScale.objects.none()
    return (
        LevelScale.objects.filter(organisation=access.organisation)
        .prefetch_related("levels")
        .order_by("-is_default", "name", "pk")
    )


def levels(access: Access) -> QuerySet[Level]:
    """Levels of every scale of the current organisation."""
    if access.organisation is None:
        return Level.objects.none()
    return Level.objects.filter(scale__organisation=access.organisation)


def requirements(access: Access) -> QuerySet[Requirement]:
    if access.organisation is None:
        return Requirement.objects.none()
    return Requirement.objects.filter(organisation=access.organisation).select_related(
        "competence", "job", "workstation", "level"
    )


def requirement_list(
    *,
    access: Access,
    competence: Competence | None = None,
    job: Job | None = None,
    workstation: Workstation | None = None,
) -> QuerySet[Requirement]:
    """Requirements by competence code, then function and workstation name. One query a page."""
    result = requirements(access)
    if competence is not None:
        result = result.filter(competence=competence)
    if job is not None:
        result = result.filter(job=job)
    if workstation is not None:
        result = result.filter(workstation=workstation)
    return result.order_by("competence__code", "job__name", "workstation__name", "pk")


def employees(access: Access) -> EmployeeQuerySet:
    """The current organisation's people, with the unit the permission rules look at."""
    if access.organisation is None:
        return Employee.objects.none()
    return Employee.objects.filter(organisation=access.organisation).select_related("unit")


def assessments(access: Access) -> QuerySet[Assessment]:
    if access.organisation is None:
        return Assessment.objects.none()
    return Assessment.objects.filter(organisation=access.organisation).select_related(
        "employee", "competence", "level", "assessor"
    )


def assessment_list(
    *,
    access: Access,
    employee: Employee | None = None,
    competence: Competence | None = None,
    is_self: bool | None = None,
    assessed_from: datetime.date | None = None,
    assessed_to: datetime.date | None = None,
) -> QuerySet[Assessment]:
    """Assessments of the people in the viewer's matrix scope and his own, newest first.

    The same people as the skills matrix and a person's competence page show: those the roles
    of `competences.view_matrix` reach, and always the viewer's own record (My competences).
    One query a page.
    """
    result = assessments(access).filter(access.employee_scope_q(MATRIX_ROLES, prefix="employee__"))
    if employee is not None:
        result = result.filter(employee=employee)
    if competence is not None:
        result = result.filter(competence=competence)
    if is_self is not None:
        result = result.filter(is_self=is_self)
    if assessed_from is not None:
        result = result.filter(assessed_on__gte=assessed_from)
    if assessed_to is not None:
        result = result.filter(assessed_on__lte=assessed_to)
    return result.order_by("-assessed_on", "-created_at", "-pk")
