"""The registration API: the volume area (docs/api.md, "Registration").

`GET /registration/volume`: the training volume of a financial year or a period, with the same
figures, scope and suppression as the volume page (`selectors_volume`): a consultation-body
member gets the aggregates with small groups hidden (null), a line manager his units.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from leerplek.core.errors import field_error
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.api import ERROR_RESPONSES, require
from leerplek.people.api_schemas import Id
from leerplek.people.models import OrgUnit
from leerplek.registration import selectors_volume
from leerplek.registration.forms_volume import ERRORS, MAX_DAYS
from leerplek.registration.services import year_bounds, year_of

router = Router(tags=["registration"])


class VolumeFilters(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="A financial year, named by the year it ends in."
    )
    start: datetime.date | None = Field(None, description="First day of a period (with end).")
    end: datetime.date | None = Field(None, description="Last day of a period (with start).")
    unit: Id | None = Field(None, description="Only the people of this unit and its sub-units.")


class GroupOut(Schema):
    key: str
    label: str
    participants: int | None = Field(description="Distinct people; null: hidden small group.")
    hours: Decimal | None
    net: Decimal | None


class BreakdownOut(Schema):
    key: str = Field(description="unit, gender, age, person_type or category.")
    groups: list[GroupOut]


class MonthOut(Schema):
    month: datetime.date
    hours: Decimal


class VolumeOut(Schema):
    start: datetime.date
    end: datetime.date
    aggregates_only: bool
    participants: int | None
    hours: Decimal | None
    gross: Decimal | None
    contributions: Decimal | None
    subsidies: Decimal | None
    net: Decimal | None
    staff_headcount: int
    staff_fte: Decimal
    hours_per_employee: Decimal | None
    cost_per_employee: Decimal | None
    days_per_fte: Decimal | None
    target: Decimal
    breakdowns: list[BreakdownOut]
    months: list[MonthOut]


@router.get("/registration/volume", response={200: VolumeOut, **ERROR_RESPONSES})
def volume(request: OrganisationHttpRequest, filters: Query[VolumeFilters]) -> dict[str, Any]:
    """Hours, participants and net cost by unit, gender, age band, person type and category;
    per employee; days per FTE against the target; hours per month."""
    require(request, "registration.view_volume")
    if bool(filters.start) != bool(filters.end):
        raise field_error("end" if filters.start else "start", ERRORS["both_dates"], code="both")
    if filters.start and filters.end:
        if filters.end < filters.start:
            raise field_error("end", ERRORS["end_before_start"], code="end_before_start")
        if (filters.end - filters.start).days > MAX_DAYS:
            raise field_error("end", ERRORS["too_long"], code="too_long")
        period = selectors_volume.Period(start=filters.start, end=filters.end)
    else:
        year = filters.year or year_of(request.organisation, timezone.localdate())
        start, end = year_bounds(request.organisation, year)
        period = selectors_volume.Period(start=start, end=end, year=year)
    unit_path = ""
    if filters.unit is not None:
        unit_path = get_object_or_404(
            OrgUnit, organisation_id=request.organisation.pk, pk=filters.unit
        ).path
    figures = selectors_volume.volume(
        access=request.access,
        organisation=request.organisation,
        period=period,
        unit_path=unit_path,
    )
    return {
        "start": period.start,
        "end": period.end,
        **{
            name: getattr(figures, name)
            for name in (
                "aggregates_only",
                "participants",
                "hours",
                "gross",
                "contributions",
                "subsidies",
                "net",
                "staff_headcount",
                "staff_fte",
                "hours_per_employee",
                "cost_per_employee",
                "days_per_fte",
                "target",
            )
        },
        "breakdowns": [
            {
                "key": item.key,
                "groups": [
                    {
                        "key": row.key,
                        "label": str(row.label),
                        "participants": row.participants,
                        "hours": row.hours,
                        "net": row.net,
                    }
                    for row in item.rows
                ],
            }
            for item in figures.breakdowns
        ],
        "months": [{"month": month.month, "hours": month.hours} for month in figures.months],
    }
