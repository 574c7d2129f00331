"""The competences API: catalogue, scales, requirements, assessments, matrix, gaps and knowledge
at risk (docs/api.md, "Competences").

Each endpoint checks the permission from `core/permissions.py` as the page does, then calls the
same selector or service. Records of another organisation do not exist here (404 on the path,
422 on an input field); people out of the role's scope are refused (403).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from leerplek.competences import api_selectors as selectors
from leerplek.competences import gap_selectors, services
from leerplek.competences import selectors as page_selectors
from leerplek.competences.api_schemas import (
    AssessmentIn,
    AssessmentOut,
    CompetenceIn,
    CompetenceOut,
    CompetencePatch,
    GapOut,
    GroupOut,
    MatrixOut,
    RequirementIn,
    RequirementOut,
    RetentionRiskOut,
    ScaleOut,
)
from leerplek.competences.models import (
    Assessment,
    AssessmentMethod,
    Competence,
    CompetenceGroup,
    CompetenceKind,
    Level,
    LevelScale,
    Requirement,
)
from leerplek.core.decorators import get_allowed
from leerplek.core.errors import field_error
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people import api_selectors as people_selectors
from leerplek.people.api import ERROR_RESPONSES, Page, related, require
from leerplek.people.api_schemas import Id, Text
from leerplek.people.models import Employee, OrgUnit

ERRORS = {
    "level_missing": _("Give the level by its code (level) or by its id (level_id)."),
    "level_twice": _("Give the level by its code (level) or by its id (level_id), not both."),
    "inactive": _("This competence is no longer active; reactivate it in the catalogue first."),
    "self_assessor": _("A self-assessment has no other assessor: leave the assessor out."),
    "range": _("The end of the date range lies before its start."),
}

router = Router()


def _competence_ref(competence: Competence) -> dict[str, Any]:
    return {"id": competence.pk, "code": competence.code, "name": competence.name}


def _level(
    request: OrganisationHttpRequest, competence: Competence, code: str | None, level_id: int | None
) -> Level:
    """The level given by `code` on the competence's scale, or by `level_id`; 422 on the field
    that was sent when it is not a level of that scale."""
    if code is None and level_id is None:
        raise field_error("level", ERRORS["level_missing"], code="missing")
    if code is not None and level_id is not None:
        raise field_error("level_id", ERRORS["level_twice"], code="level_twice")
    scale = services.scale_for(competence)
    if code is not None:
        level = Level.objects.filter(scale=scale, code=code).first()
        field = "level"
    else:
        level = related(selectors.levels(request.access), "level_id", level_id)
        field = "level_id"
    if level is None or level.scale_id != scale.pk:
        message = services.ERRORS["level_scale"]
        raise field_error(field, message, code="level_scale", params={"scale": scale.name})
    return level


# --- Catalogue -------------------------------------------------------------------------------


class CompetenceFilters(Schema):
    q: Text | None = Field(
        None, max_length=100, description="Words to find in code, name or description."
    )
    kind: CompetenceKind | None = None
    group: Id | None = Field(None, description="A competence group id.")
    active: bool | None = Field(None, description="true: active only; false: inactive only.")


def _competence_values(request: OrganisationHttpRequest, values: dict[str, Any]) -> None:
    if "group" in values:
        values["group"] = related(selectors.groups(request.access), "group", values["group"])


@contextmanager
def _level_text_fields() -> Iterator[None]:
    """The service names a too-long level text `level_text_<code>`; the API field is
    `level_texts.<code>`, as ninja names a field inside an object."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        prefix = "level_text_"
        renamed = {
            f"level_texts.{field.removeprefix(prefix)}"
            if field.startswith(prefix)
            else field: items
            for field, items in error.error_dict.items()
        }
        raise DjangoValidationError(renamed) from error


def _competence(request: OrganisationHttpRequest, pk: int) -> Competence:
    return selectors.competences(request.access).get(pk=pk)


@router.get(
    "/competences", response={200: list[CompetenceOut], **ERROR_RESPONSES}, tags=["competences"]
)
@paginate(Page)
def competence_list(
    request: OrganisationHttpRequest, filters: Query[CompetenceFilters]
) -> QuerySet[Competence]:
    """The competence catalogue, by code."""
    require(request, "competences.view_catalogue")
    access = request.access
    selectors.ensure_default_scale(access)
    return selectors.competence_list(
        access=access,
        q=filters.q or "",
        kind=filters.kind,
        group=related(selectors.groups(access), "group", filters.group),
        active=filters.active,
    )


@router.get(
    "/competences/{competence_id}",
    response={200: CompetenceOut, **ERROR_RESPONSES},
    tags=["competences"],
)
def competence_detail(request: OrganisationHttpRequest, competence_id: Id) -> Competence:
    selectors.ensure_default_scale(request.access)
    return get_allowed(
        request,
        selectors.competences(request.access),
        "competences.view_catalogue",
        pk=competence_id,
    )


@router.post("/competences", response={201: CompetenceOut, **ERROR_RESPONSES}, tags=["competences"])
def competence_create(
    request: OrganisationHttpRequest, payload: CompetenceIn
) -> Status[Competence]:
    """Add a competence to the catalogue."""
    require(request, "competences.change_catalogue")
    values = payload.dict()
    _competence_values(request, values)
    selectors.ensure_default_scale(request.access)
    with _level_text_fields():
        competence = services.competence_create(
            organisation=request.organisation, by=request.user, **values
        )
    return Status(201, _competence(request, competence.pk))


@router.patch(
    "/competences/{competence_id}",
    response={200: CompetenceOut, **ERROR_RESPONSES},
    tags=["competences"],
)
def competence_update(
    request: OrganisationHttpRequest, competence_id: Id, payload: CompetencePatch
) -> Competence:
    """Change a competence; only the fields sent change."""
    selectors.ensure_default_scale(request.access)
    competence = get_allowed(
        request,
        selectors.competences(request.access),
        "competences.change_catalogue",
        pk=competence_id,
    )
    values = payload.dict(exclude_unset=True)
    _competence_values(request, values)
    with _level_text_fields():
        services.competence_update(competence=competence, by=request.user, **values)
    return _competence(request, competence.pk)


@router.get(
    "/competence-groups",
    response={200: list[GroupOut], **ERROR_RESPONSES},
    tags=["competences"],
)
@paginate(Page)
def group_list(request: OrganisationHttpRequest) -> QuerySet[CompetenceGroup]:
    """The groups of the catalogue, by name, with their own scale if they have one."""
    require(request, "competences.view_catalogue")
    return selectors.group_list(access=request.access)


@router.get("/scales", response={200: list[ScaleOut], **ERROR_RESPONSES}, tags=["competences"])
@paginate(Page)
def scale_list(request: OrganisationHttpRequest) -> QuerySet[LevelScale]:
    """The level scales with their levels by rank, the default scale (ILUO) first."""
    require(request, "competences.view_catalogue")
    selectors.ensure_default_scale(request.access)
    return selectors.scale_list(access=request.access)


# --- Requirements ----------------------------------------------------------------------------


class RequirementFilters(Schema):
    competence: Id | None = Field(None, description="A competence id.")
    job: Id | None = Field(None, description="A function id.")
    workstation: Id | None = Field(None, description="A workstation id.")


@router.get(
    "/requirements", response={200: list[RequirementOut], **ERROR_RESPONSES}, tags=["requirements"]
)
@paginate(Page)
def requirement_list(
    request: OrganisationHttpRequest, filters: Query[RequirementFilters]
) -> QuerySet[Requirement]:
    """What each function and workstation requires, by competence code."""
    require(request, "competences.view_catalogue")
    access = request.access
    return selectors.requirement_list(
        access=access,
        competence=related(selectors.competences(access), "competence", filters.competence),
        job=related(people_selectors.jobs(access).prefetch_related(None), "job", filters.job),
        workstation=related(
            people_selectors.workstations(access), "workstation", filters.workstation
        ),
    )


@router.get(
    "/requirements/{requirement_id}",
    response={200: RequirementOut, **ERROR_RESPONSES},
    tags=["requirements"],
)
def requirement_detail(request: OrganisationHttpRequest, requirement_id: Id) -> Requirement:
    return get_allowed(
        request,
        selectors.requirements(request.access),
        "competences.view_catalogue",
        pk=requirement_id,
    )


@router.put(
    "/requirements",
    response={200: RequirementOut, 201: RequirementOut, **ERROR_RESPONSES},
    tags=["requirements"],
)
def requirement_set(
    request: OrganisationHttpRequest, payload: RequirementIn
) -> Status[Requirement]:
    """Set what a function or a workstation requires of a competence: adds the requirement
    (201) or changes the one for that pair (200)."""
    require(request, "competences.change_catalogue")
    access = request.access
    competence = related(selectors.competences(access), "competence", payload.competence)
    assert competence is not None
    job = related(people_selectors.jobs(access).prefetch_related(None), "job", payload.job)
    workstation = related(people_selectors.workstations(access), "workstation", payload.workstation)
    level = _level(request, competence, payload.level, payload.level_id)
    target: dict[str, Any] = {"job": job} if job is not None else {"workstation": workstation}
    existed = Requirement.objects.filter(competence=competence, **target).exists()
    requirement = services.requirement_set(
        competence=competence,
        by=request.user,
        level=level,
        job=job,
        workstation=workstation,
        mandatory=payload.mandatory,
        validity_months=payload.validity_months,
        ideal_count=payload.ideal_count,
        ideal_trainers=payload.ideal_trainers,
    )
    return Status(200 if existed else 201, selectors.requirements(access).get(pk=requirement.pk))


@router.delete(
    "/requirements/{requirement_id}",
    response={204: None, **ERROR_RESPONSES},
    tags=["requirements"],
)
def requirement_remove(request: OrganisationHttpRequest, requirement_id: Id) -> Status[None]:
    """Remove a requirement; the competence and its assessments stay."""
    requirement = get_allowed(
        request,
        selectors.requirements(request.access),
        "competences.change_catalogue",
        pk=requirement_id,
    )
    services.requirement_remove(requirement=requirement, by=request.user)
    return Status(204, None)


# --- Assessments -----------------------------------------------------------------------------


class AssessmentFilters(Schema):
    employee: Id | None = Field(None, description="A person id.")
    competence: Id | None = Field(None, description="A competence id.")
    is_self: bool | None = Field(
        None, description="true: self-assessments only; false: official assessments only."
    )
    assessed_from: datetime.date | None = Field(None, description="Assessed on or after.")
    assessed_to: datetime.date | None = Field(None, description="Assessed on or before.")


def _may_see_assessments(
    request: OrganisationHttpRequest, employee: Employee | None = None
) -> bool:
    """The matrix roles within their scope, and everyone for his own record."""
    user = request.user
    return user.has_perm("competences.view_matrix", employee) or user.has_perm(
        "competences.self_assess", employee
    )


@router.get(
    "/assessments", response={200: list[AssessmentOut], **ERROR_RESPONSES}, tags=["assessments"]
)
@paginate(Page)
def assessment_list(
    request: OrganisationHttpRequest, filters: Query[AssessmentFilters]
) -> QuerySet[Assessment]:
    """Assessments of the people you may see in the skills matrix, and your own; newest first.
    Every assessment is kept: the newest official one is a person's current level."""
    if not _may_see_assessments(request):
        require(request, "competences.view_matrix")
    access = request.access
    employee = related(selectors.employees(access), "employee", filters.employee)
    if employee is not None and not _may_see_assessments(request, employee):
        require(request, "competences.view_matrix", employee)
    start, end = filters.assessed_from, filters.assessed_to
    if start is not None and end is not None and end < start:
        raise field_error("assessed_to", ERRORS["range"], code="range")
    return selectors.assessment_list(
        access=access,
        employee=employee,
        competence=related(selectors.competences(access), "competence", filters.competence),
        is_self=filters.is_self,
        assessed_from=start,
        assessed_to=end,
    )


@router.post("/assessments", response={201: AssessmentOut, **ERROR_RESPONSES}, tags=["assessments"])
def assessment_create(
    request: OrganisationHttpRequest, payload: AssessmentIn
) -> Status[Assessment]:
    """Record an assessment; earlier ones stay as history. An official one needs a role with
    scope over the person (nobody assesses himself); `self_assessment` is for your own record."""
    is_self = payload.method == AssessmentMethod.SELF_ASSESSMENT
    perm = "competences.self_assess" if is_self else "competences.assess_employee"
    require(request, perm)
    access = request.access
    employee = related(selectors.employees(access), "employee", payload.employee)
    require(request, perm, employee)
    assert employee is not None
    competence = related(selectors.competences(access), "competence", payload.competence)
    assert competence is not None
    if not competence.is_active:
        raise field_error("competence", ERRORS["inactive"], code="inactive")
    level = _level(request, competence, payload.level, payload.level_id)
    assessors = selectors.employees(access).active()
    assessor = related(assessors, "assessor", payload.assessor)
    if is_self:
        if assessor is not None and assessor.pk != employee.pk:
            raise field_error("assessor", ERRORS["self_assessor"], code="self_assessor")
    elif assessor is None and access.employee_id is not None:
        assessor = assessors.filter(pk=access.employee_id).first()
    assessment = services.assessment_record(
        employee=employee,
        competence=competence,
        level=level,
        assessed_on=payload.assessed_on or timezone.localdate(),
        by=request.user,
        method=payload.method,
        assessor=assessor,
        note=payload.note,
        valid_until=payload.valid_until,
    )
    return Status(201, selectors.assessments(access).get(pk=assessment.pk))


# --- Matrix, gaps, knowledge at risk ---------------------------------------------------------


class UnitFilter(Schema):
    unit: Id = Field(description="A unit; its sub-units are included.")


class MatrixFilter(UnitFilter):
    workstation: Id | None = Field(
        None,
        description="A workstation: its competences as columns, for every person of the unit.",
    )
    group: Id | None = Field(None, description="Only the competences of this group.")
    required_only: bool = Field(False, description="Only mandatory requirements.")


def _unit(request: OrganisationHttpRequest, perm: str, unit_id: int) -> OrgUnit:
    """The unit of this organisation (422 on `unit` otherwise) on which the user holds `perm`."""
    unit = related(people_selectors.units(request.access), "unit", unit_id)
    assert unit is not None
    require(request, perm, unit)
    return unit


@router.get("/matrix", response={200: MatrixOut, **ERROR_RESPONSES}, tags=["matrix"])
def matrix(request: OrganisationHttpRequest, filters: Query[MatrixFilter]) -> dict[str, Any]:
    """The skills matrix of a unit and its sub-units: the active people you may see by the
    competences their functions and workstations require, with the current official level per
    cell, coverage against the ideal number per competence and polyvalence per person."""
    require(request, "competences.view_matrix")
    access = request.access
    unit = _unit(request, "competences.view_matrix", filters.unit)
    workstation = related(people_selectors.workstations(access), "workstation", filters.workstation)
    group = related(selectors.groups(access), "group", filters.group)
    found = page_selectors.matrix_for_unit(
        unit=unit,
        access=access,
        filters=page_selectors.MatrixFilters(
            workstation=workstation,
            group_id=group.pk if group is not None else None,
            required_only=filters.required_only,
        ),
    )
    return {
        "unit": found.unit,
        "competences": [
            {
                "competence": _competence_ref(column.competence),
                "coverage": column.coverage,
                "ideal": column.ideal,
                "short": column.short,
                "trainers": column.trainers,
                "ideal_trainers": column.ideal_trainers,
            }
            for column in found.columns
        ],
        "people": [
            {
                "employee": row.employee,
                "unit": row.employee.unit,
                "job": row.employee.job,
                "workstation": row.employee.workstation,
                "polyvalence": row.polyvalence,
                "not_released": row.not_released,
                "cells": [
                    {
                        "competence": cell.competence_id,
                        "level": cell.code or None,
                        "required": cell.required or None,
                        "mandatory": bool(cell.required) and cell.mandatory,
                        "meets": cell.meets,
                        "covers": cell.covers,
                        "not_released": cell.not_released,
                        "assessed_on": cell.assessed_on,
                        "expires_on": cell.expires_on,
                        "expired": cell.expired,
                        "expiring": cell.expiring,
                    }
                    for cell in row.cells
                ],
            }
            for row in found.rows
        ],
    }


@router.get("/gaps", response={200: list[GapOut], **ERROR_RESPONSES}, tags=["matrix"])
@paginate(Page)
def gap_list(
    request: OrganisationHttpRequest,
    filters: Query[UnitFilter],
) -> list[dict[str, Any]]:
    """Required competences that active people of a unit do not hold at the required level
    (below it or never assessed), by person and competence code."""
    require(request, "competences.view_gaps")
    found = gap_selectors.gaps_for_unit(
        unit=_unit(request, "competences.view_gaps", filters.unit), access=request.access
    )
    return [
        {
            "employee": gap.employee,
            "unit": gap.employee.unit,
            "competence": _competence_ref(gap.competence),
            "required_level": gap.required,
            "current_level": {"code": gap.actual_code, "name": gap.actual_name}
            if gap.actual_code
            else None,
            "assessed_on": gap.assessed_on,
            "since": gap.since,
            "mandatory": gap.mandatory,
            "has_open_need": gap.has_open_need,
        }
        for gap in found
    ]


@router.get(
    "/retention", response={200: list[RetentionRiskOut], **ERROR_RESPONSES}, tags=["matrix"]
)
@paginate(Page)
def retention(request: OrganisationHttpRequest) -> list[dict[str, Any]]:
    """Required competences whose knowledge is at risk, highest score first: held by fewer
    people than the ideal number, or mostly by people who leave or retire within the horizon.
    Holders' names only for HR and administrators."""
    require(request, "competences.view_retention")
    risks = gap_selectors.retention_risks(
        organisation=request.organisation,
        horizon_months=settings.LEERPLEK["RETENTION_HORIZON_MONTHS"],
        retirement_age=settings.LEERPLEK["RETIREMENT_AGE"],
    )
    names = request.user.has_perm("competences.view_retention_names")
    return [
        {
            "competence": _competence_ref(risk.competence),
            "ideal": risk.ideal,
            "holder_count": risk.holder_count,
            "leaving_count": risk.leaving_count,
            "months_to_independence": risk.months_to_independence,
            "score": risk.score,
            "short": risk.short,
            "mostly_leaving": risk.mostly_leaving,
            "holders": [
                {
                    "employee": holder.employee_id,
                    "name": holder.name,
                    "leaves_on": holder.leaves_on,
                    "retires": holder.retires,
                }
                for holder in risk.holders
            ]
            if names
            else None,
        }
        for risk in risks
    ]
