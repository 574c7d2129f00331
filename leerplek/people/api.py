"""The people API: units, functions (jobs), workstations and people (docs/api.md).

Each endpoint checks the permission from `core/permissions.py`, then calls the same selector or
service as the web pages. Objects of another organisation do not exist here (404); unknown ids in
the input are refused on their field (422).
"""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from pydantic import Field

from leerplek.core.decorators import get_allowed
from leerplek.core.errors import field_error
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people import api_selectors as selectors
from leerplek.people import services
from leerplek.people.api_schemas import (
    MAX_ID,
    EmployeeIn,
    EmployeeOut,
    EmployeePatch,
    EmployeeStatus,
    ErrorOut,
    Id,
    JobIn,
    JobOut,
    JobPatch,
    Text,
    UnitIn,
    UnitOut,
    UnitPatch,
    ValidationErrorOut,
    WorkstationIn,
    WorkstationOut,
    WorkstationPatch,
)
from leerplek.people.models import Employee, Job, OrgUnit, PersonType, Workstation

M = TypeVar("M", bound=Model)

MAX_LIMIT = 200

ERRORS = {
    "unknown": _("There is no such record in this organisation (id %(id)s)."),
}

# The error answers every endpoint may give (see the handlers in leerplek/api.py).
ERROR_RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}

router = Router()


class Page(LimitOffsetPagination):
    """`limit` (1 to 200, default 50) and `offset`; the answer is `{"items": [...], "count": n}`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_ID)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def require(request: OrganisationHttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def related(queryset: QuerySet[M], field: str, pk: int | None) -> M | None:
    """The object of the current organisation with id `pk`, else a 422 on `field`.

    Another organisation's object gets the same answer as a missing one: its existence is not
    revealed.
    """
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise field_error(field, ERRORS["unknown"], code="does_not_exist", params={"id": pk})
    return obj


# --- Units -----------------------------------------------------------------------------------


@router.get("/units", response={200: list[UnitOut], **ERROR_RESPONSES}, tags=["units"])
@paginate(Page)
def unit_list(request: OrganisationHttpRequest, parent: Id | None = None) -> QuerySet[OrgUnit]:
    """Units you may view, in tree order. `parent`: only the direct children of that unit."""
    require(request, "people.view_unit")
    access = request.access
    parent_unit = related(selectors.units(access), "parent", parent)
    return selectors.unit_list(access=access, parent=parent_unit)


@router.get("/units/{unit_id}", response={200: UnitOut, **ERROR_RESPONSES}, tags=["units"])
def unit_detail(request: OrganisationHttpRequest, unit_id: Id) -> OrgUnit:
    return get_allowed(request, selectors.units(request.access), "people.view_unit", pk=unit_id)


def _unit_target(request: OrganisationHttpRequest, parent: OrgUnit | None) -> OrgUnit:
    """A stand-in for a unit placed under `parent`, to check the scope of the user's role."""
    return OrgUnit(organisation=request.organisation, path=parent.path if parent else "")


@router.post("/units", response={201: UnitOut, **ERROR_RESPONSES}, tags=["units"])
def unit_create(request: OrganisationHttpRequest, payload: UnitIn) -> Status[OrgUnit]:
    """Add a unit. Without `parent` it is a top-level unit."""
    require(request, "people.change_unit")
    access = request.access
    values = payload.dict()
    values["parent"] = related(selectors.units(access), "parent", payload.parent)
    values["leader"] = related(selectors.employees(access), "leader", payload.leader)
    require(request, "people.change_unit", _unit_target(request, values["parent"]))
    unit = services.unit_create(organisation=request.organisation, by=request.user, **values)
    return Status(201, selectors.units(access).get(pk=unit.pk))


@router.patch("/units/{unit_id}", response={200: UnitOut, **ERROR_RESPONSES}, tags=["units"])
def unit_update(request: OrganisationHttpRequest, unit_id: Id, payload: UnitPatch) -> OrgUnit:
    """Change a unit; a new `parent` moves it with all its sub-units."""
    access = request.access
    unit = get_allowed(request, selectors.units(access), "people.change_unit", pk=unit_id)
    values = payload.dict(exclude_unset=True)
    if "parent" in values:
        values["parent"] = related(selectors.units(access), "parent", values["parent"])
        require(request, "people.change_unit", _unit_target(request, values["parent"]))
    if "leader" in values:
        values["leader"] = related(selectors.employees(access), "leader", values["leader"])
    services.unit_update(unit=unit, by=request.user, **values)
    return selectors.units(access).get(pk=unit.pk)


# --- Functions (jobs) ------------------------------------------------------------------------


def _tasks(values: dict[str, Any]) -> list[services.TaskLine] | None:
    tasks = values.pop("tasks", None)
    if tasks is None:
        return None
    return [services.TaskLine(kind=task["kind"], description=task["description"]) for task in tasks]


@router.get("/functions", response={200: list[JobOut], **ERROR_RESPONSES}, tags=["functions"])
@paginate(Page)
def job_list(request: OrganisationHttpRequest) -> QuerySet[Job]:
    """The function catalogue (functies), by name, with each function's tasks."""
    require(request, "people.view_job")
    return selectors.job_list(access=request.access)


@router.get("/functions/{job_id}", response={200: JobOut, **ERROR_RESPONSES}, tags=["functions"])
def job_detail(request: OrganisationHttpRequest, job_id: Id) -> Job:
    return get_allowed(request, selectors.jobs(request.access), "people.view_job", pk=job_id)


@router.post("/functions", response={201: JobOut, **ERROR_RESPONSES}, tags=["functions"])
def job_create(request: OrganisationHttpRequest, payload: JobIn) -> Status[Job]:
    require(request, "people.change_job")
    values = payload.dict()
    tasks = _tasks(values)
    job = services.job_create(
        organisation=request.organisation, by=request.user, tasks=tasks, **values
    )
    return Status(201, selectors.jobs(request.access).get(pk=job.pk))


@router.patch("/functions/{job_id}", response={200: JobOut, **ERROR_RESPONSES}, tags=["functions"])
def job_update(request: OrganisationHttpRequest, job_id: Id, payload: JobPatch) -> Job:
    """Change a function; `tasks`, when given, replaces the whole task list."""
    access = request.access
    job = get_allowed(request, selectors.jobs(access), "people.change_job", pk=job_id)
    values = payload.dict(exclude_unset=True)
    tasks = _tasks(values)
    services.job_update(job=job, by=request.user, tasks=tasks, **values)
    return selectors.jobs(access).get(pk=job.pk)


# --- Workstations ----------------------------------------------------------------------------


def _workstation_target(request: OrganisationHttpRequest, unit: OrgUnit | None) -> Workstation:
    return Workstation(organisation=request.organisation, unit=unit)


@router.get(
    "/workstations", response={200: list[WorkstationOut], **ERROR_RESPONSES}, tags=["workstations"]
)
@paginate(Page)
def workstation_list(
    request: OrganisationHttpRequest, unit: Id | None = None
) -> QuerySet[Workstation]:
    """Workstations you may view, easiest first. `unit`: that unit and its sub-units."""
    require(request, "people.view_workstation")
    access = request.access
    unit_obj = related(selectors.units(access), "unit", unit)
    return selectors.workstation_list(access=access, unit=unit_obj)


@router.get(
    "/workstations/{workstation_id}",
    response={200: WorkstationOut, **ERROR_RESPONSES},
    tags=["workstations"],
)
def workstation_detail(request: OrganisationHttpRequest, workstation_id: Id) -> Workstation:
    return get_allowed(
        request,
        selectors.workstations(request.access),
        "people.view_workstation",
        pk=workstation_id,
    )


@router.post(
    "/workstations", response={201: WorkstationOut, **ERROR_RESPONSES}, tags=["workstations"]
)
def workstation_create(
    request: OrganisationHttpRequest, payload: WorkstationIn
) -> Status[Workstation]:
    require(request, "people.change_workstation")
    access = request.access
    values = payload.dict()
    values["unit"] = related(selectors.units(access), "unit", payload.unit)
    require(request, "people.change_workstation", _workstation_target(request, values["unit"]))
    workstation = services.workstation_create(
        organisation=request.organisation, by=request.user, **values
    )
    return Status(201, selectors.workstations(access).get(pk=workstation.pk))


@router.patch(
    "/workstations/{workstation_id}",
    response={200: WorkstationOut, **ERROR_RESPONSES},
    tags=["workstations"],
)
def workstation_update(
    request: OrganisationHttpRequest, workstation_id: Id, payload: WorkstationPatch
) -> Workstation:
    access = request.access
    workstation = get_allowed(
        request, selectors.workstations(access), "people.change_workstation", pk=workstation_id
    )
    values = payload.dict(exclude_unset=True)
    if "unit" in values:
        values["unit"] = related(selectors.units(access), "unit", values["unit"])
        target = _workstation_target(request, values["unit"])
        require(request, "people.change_workstation", target)
    services.workstation_update(workstation=workstation, by=request.user, **values)
    return selectors.workstations(access).get(pk=workstation.pk)


# --- People ----------------------------------------------------------------------------------


class PeopleFilters(Schema):
    q: Text | None = Field(
        None, max_length=100, description="Words to find in name, email or personnel number."
    )
    unit: Id | None = Field(None, description="A unit; its sub-units are included.")
    person_type: PersonType | None = None
    job: Id | None = Field(None, description="A function id.")
    status: EmployeeStatus | None = Field(
        None, description="`active`: not left today; `left`: exit date in the past."
    )


def _people_references(request: OrganisationHttpRequest, values: dict[str, Any]) -> None:
    """Turn the ids in `values` into this organisation's objects (422 on an unknown id)."""
    access = request.access
    sources: dict[str, QuerySet[Any]] = {
        "unit": selectors.units(access),
        "manager": selectors.employees(access),
        "workstation": selectors.workstations(access),
        "job": selectors.jobs(access).prefetch_related(None),
    }
    for field, queryset in sources.items():
        if field in values:
            values[field] = related(queryset, field, values[field])


def _employee_target(request: OrganisationHttpRequest, unit: OrgUnit | None) -> Employee:
    """A stand-in for a person in `unit`, to check the scope of the user's role."""
    return Employee(organisation=request.organisation, unit=unit)


@router.get("/people", response={200: list[EmployeeOut], **ERROR_RESPONSES}, tags=["people"])
@paginate(Page)
def employee_list(
    request: OrganisationHttpRequest, filters: Query[PeopleFilters]
) -> QuerySet[Employee]:
    """People you may open, by name."""
    require(request, "people.list_employees")
    access = request.access
    return selectors.employee_list(
        access=access,
        q=filters.q or "",
        unit=related(selectors.units(access), "unit", filters.unit),
        person_type=filters.person_type,
        job=related(selectors.jobs(access).prefetch_related(None), "job", filters.job),
        status=filters.status,
    )


@router.get(
    "/people/{employee_id}", response={200: EmployeeOut, **ERROR_RESPONSES}, tags=["people"]
)
def employee_detail(request: OrganisationHttpRequest, employee_id: Id) -> Employee:
    return get_allowed(
        request, selectors.employees(request.access), "people.view_employee", pk=employee_id
    )


@router.post("/people", response={201: EmployeeOut, **ERROR_RESPONSES}, tags=["people"])
def employee_create(request: OrganisationHttpRequest, payload: EmployeeIn) -> Status[Employee]:
    """Add a person. A `job` given here opens his function history from the hire date."""
    require(request, "people.change_employee")
    values = payload.dict()
    _people_references(request, values)
    require(request, "people.change_employee", _employee_target(request, values["unit"]))
    employee = services.employee_create(
        organisation=request.organisation, by=request.user, **values
    )
    return Status(201, selectors.employees(request.access).get(pk=employee.pk))


@router.patch(
    "/people/{employee_id}", response={200: EmployeeOut, **ERROR_RESPONSES}, tags=["people"]
)
def employee_update(
    request: OrganisationHttpRequest, employee_id: Id, payload: EmployeePatch
) -> Employee:
    """Change a person's record. The function changes through a function assignment, not here."""
    access = request.access
    employee = get_allowed(
        request, selectors.employees(access), "people.change_employee", pk=employee_id
    )
    values = payload.dict(exclude_unset=True)
    _people_references(request, values)
    if "unit" in values:
        require(request, "people.change_employee", _employee_target(request, values["unit"]))
    services.employee_update(employee=employee, by=request.user, **values)
    return selectors.employees(access).get(pk=employee.pk)
