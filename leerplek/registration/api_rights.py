"""The registration API: the rights area (docs/api.md, "Registration").

- `GET /registration/rights`: every worker in scope with his training right for a year
  (paginated, by name); the same figures as the rights page (`selectors_rights`).
- `GET /registration/rights/{employee_id}`: one worker's years up to `year`; a worker may read
  his own.

Another organisation's person does not exist here (404); one out of scope is refused (403).
"""

from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.api import ERROR_RESPONSES, Page, require
from leerplek.people.api_schemas import Id
from leerplek.people.models import Employee, OrgUnit
from leerplek.registration import selectors_rights

router = Router(tags=["registration"])
Year = Field(None, ge=2000, le=2100, description="A calendar year; default the current one.")


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str


class SettingOut(Schema):
    year: int
    fte: Decimal = Field(description="Company size in FTE of the reference period.")
    fte_estimated: bool = Field(description="True: estimated from the register, not entered.")
    size_class: str = Field(description="under_10, 10_to_19 or 20_plus.")
    rule: str | None = Field(description="The sector rule in use; null: the legal days.")
    days: Decimal = Field(description="Days for a full-timer employed the whole year.")


class RightOut(Schema):
    employee: PersonOut
    year: int
    regime: Decimal = Field(description="Work regime as a fraction of full-time.")
    entitled: Decimal = Field(description="Days of right this year, pro rata.")
    carried: Decimal = Field(description="Days carried over from earlier years.")
    hours: Decimal = Field(description="Hours followed that count for the right.")
    followed: Decimal = Field(description="Days followed (hours / hours per day).")
    balance: Decimal = Field(description="Days left (never below 0).")
    below: bool = Field(description="Fewer days followed than the right.")


class RightYearOut(Schema):
    year: int
    regime: Decimal
    entitled: Decimal
    carried: Decimal
    hours: Decimal
    followed: Decimal
    balance: Decimal
    setting: SettingOut


class RightDetailOut(Schema):
    employee: PersonOut
    years: list[RightYearOut]


class RightFilters(Schema):
    year: int | None = Year
    unit: Id | None = Field(None, description="Only the workers of this unit and its sub-units.")
    below: bool = Field(False, description="Only the workers below their right.")


def setting_out(setting: selectors_rights.YearSetting) -> dict[str, Any]:
    return {
        "year": setting.year,
        "fte": setting.fte,
        "fte_estimated": setting.fte_estimated,
        "size_class": setting.size_class,
        "rule": setting.rule.name if setting.rule is not None else None,
        "days": setting.days,
    }


def _person(employee: Employee) -> dict[str, Any]:
    return {"id": employee.pk, "first_name": employee.first_name, "last_name": employee.last_name}


def right_out(right: selectors_rights.WorkerRight) -> dict[str, Any]:
    row = right.current
    return {
        "employee": _person(right.employee),
        "year": row.year,
        "regime": row.regime,
        "entitled": row.entitled,
        "carried": row.carried,
        "hours": row.hours,
        "followed": row.followed,
        "balance": row.balance,
        "below": row.below,
    }


@router.get("/registration/rights", response={200: list[RightOut], **ERROR_RESPONSES})
@paginate(Page)
def right_list(
    request: OrganisationHttpRequest, filters: Query[RightFilters]
) -> list[dict[str, Any]]:
    """The training right of every worker in scope for `year`, by name."""
    require(request, "registration.view_rights")
    unit_path = ""
    if filters.unit is not None:
        unit = get_object_or_404(OrgUnit, organisation_id=request.organisation.pk, pk=filters.unit)
        unit_path = unit.path
    listing = selectors_rights.right_list(
        access=request.access,
        organisation=request.organisation,
        year=filters.year or timezone.localdate().year,
        unit_path=unit_path,
        below_only=filters.below,
    )
    return [right_out(row) for row in listing.rows]


class DetailFilters(Schema):
    year: int | None = Year


@router.get("/registration/rights/{employee_id}", response={200: RightDetailOut, **ERROR_RESPONSES})
def right_detail(
    request: OrganisationHttpRequest, employee_id: Id, filters: Query[DetailFilters]
) -> dict[str, Any]:
    """One worker's right per year, newest first, up to `year`."""
    employee = get_object_or_404(
        Employee.objects.select_related("unit"),
        organisation_id=request.organisation.pk,
        pk=employee_id,
    )
    if employee.pk == request.access.employee_id:
        require(request, "registration.view_own_right")
    else:
        require(request, "registration.view_rights", employee)
    year = max(filters.year or timezone.localdate().year, employee.hire_date.year)
    detail = selectors_rights.right_detail(
        organisation=request.organisation, employee=employee, year=min(year, 2100)
    )
    return {
        "employee": _person(employee),
        "years": [
            {
                "year": row.year,
                "regime": row.regime,
                "entitled": row.entitled,
                "carried": row.carried,
                "hours": row.hours,
                "followed": row.followed,
                "balance": row.balance,
                "setting": setting_out(row.setting),
            }
            for row in detail.years
        ],
    }
