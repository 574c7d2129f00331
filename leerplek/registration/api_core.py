"""The registration API's core: learning activities with their participants and cost lines
(docs/api.md, "Registration"; the social balance's figures are in `api_sb`).

The same services and selectors as the pages; amounts and hours are decimals sent and returned
as strings ("7.60"); another organisation's records do not exist here (404).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.api import ERROR_RESPONSES, Page, related, require
from leerplek.people.api_schemas import Id, Text
from leerplek.people.models import Employee
from leerplek.registration import services
from leerplek.registration.models import Activity, CostLine, Participation
from leerplek.registration.views import visible_activities

router = Router()
TAGS = ["registration"]


class ParticipationOut(Schema):
    id: int
    employee_id: int
    hours: Decimal
    status: str
    outside_working_hours: Decimal
    certificate_obtained: bool


class CostLineOut(Schema):
    id: int
    kind: str
    amount: Decimal
    currency: str
    description: str
    employee_id: int | None


class ActivityOut(Schema):
    id: int
    title: str
    category: str
    informal_kind: str
    organiser_kind: str
    organiser_name: str
    start_date: datetime.date
    end_date: datetime.date
    duration_hours: Decimal | None
    place: str
    exclusion: str
    exclusion_reason: str
    status: str
    source: str
    counts_for_right: bool
    is_educational_leave: bool
    participants: int = 0
    hours: Decimal = Decimal("0")


class ActivityDetailOut(ActivityOut):
    participations: list[ParticipationOut]
    cost_lines: list[CostLineOut]
    initial_flags: list[str]


class ActivityIn(Schema):
    title: Text = Field(max_length=200)
    category: Text = Field(description="formal, informal or initial")
    informal_kind: Text = ""
    organiser_kind: Text = "internal"
    organiser_name: Text = ""
    start_date: datetime.date
    end_date: datetime.date | None = None
    duration_hours: Decimal | None = None
    place: Text = "away"
    location: Text = ""
    description: Text = ""
    exclusion: Text = ""
    exclusion_note: Text = ""
    counts_for_right: bool = True
    is_educational_leave: bool = False
    leads_to_qualification: bool = False
    partly_on_shop_floor: bool = False
    qualification: Text = ""
    extra: dict[str, Any] = Field(default_factory=dict)


class ParticipationIn(Schema):
    employee: Id
    hours: Decimal
    status: Text = "completed"
    outside_working_hours: Decimal = Decimal("0")
    certificate_obtained: bool = False


class CostLineIn(Schema):
    kind: Text
    amount: Decimal
    currency: Text = "EUR"
    description: Text = ""
    employee: Id | None = None


class ActivityFilters(Schema):
    year: int | None = Field(None, ge=1990, le=2200, description="A financial year.")
    category: Text | None = None


class FigureOut(Schema):
    code: str
    value: str


def _listed(request: OrganisationHttpRequest) -> QuerySet[Activity]:
    return visible_activities(request).annotate(
        participants=Count("participations", distinct=True),
        hours=Coalesce(
            Sum("participations__hours"),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    )


def _out(activity: Activity) -> dict[str, Any]:
    fields = ActivityOut.model_fields
    out = {name: getattr(activity, name) for name in fields if hasattr(activity, name)}
    out["hours"] = Decimal(str(out.get("hours") or 0)).quantize(Decimal("0.01"))
    return out


@router.get(
    "/registration/activities", response={200: list[ActivityOut], **ERROR_RESPONSES}, tags=TAGS
)
@paginate(Page)
def activity_list(
    request: OrganisationHttpRequest, filters: Query[ActivityFilters]
) -> list[dict[str, Any]] | QuerySet[Activity]:
    """The activities the user may see, newest first; `year` is a financial year."""
    require(request, "registration.view_activities")
    activities = _listed(request)
    if filters.year:
        start, end = services.year_bounds(request.organisation, filters.year)
        activities = activities.filter(end_date__gte=start, end_date__lte=end)
    if filters.category:
        activities = activities.filter(category=filters.category)
    return activities.order_by("-end_date", "-id")


def _detail(activity: Activity) -> dict[str, Any]:
    return {
        **_out(activity),
        "participations": list(activity.participations.all()),
        "cost_lines": list(activity.cost_lines.all()),
        "initial_flags": services.initial_flags(activity),
    }


def _one(request: OrganisationHttpRequest, activity_id: int) -> Activity:
    return get_object_or_404(
        _listed(request).prefetch_related(
            Prefetch("participations", queryset=Participation.objects.order_by("id")),
            Prefetch("cost_lines", queryset=CostLine.objects.order_by("id")),
        ),
        pk=activity_id,
    )


@router.get(
    "/registration/activities/{activity_id}",
    response={200: ActivityDetailOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def activity_detail(request: OrganisationHttpRequest, activity_id: Id) -> dict[str, Any]:
    require(request, "registration.view_activities")
    return _detail(_one(request, activity_id))


@router.post(
    "/registration/activities",
    response={201: ActivityDetailOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def activity_create(request: OrganisationHttpRequest, payload: ActivityIn) -> Status[Any]:
    """Register an activity; the rules of the form apply, each refusal names its field."""
    require(request, "registration.manage_activities")
    data = payload.dict()
    extra = data.pop("extra")
    activity = services.activity_create(
        organisation=request.organisation, by=request.user, extra=extra, **data
    )
    return Status(201, _detail(_one(request, activity.pk)))


@router.post(
    "/registration/activities/{activity_id}/participants",
    response={201: ParticipationOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def participant_add(
    request: OrganisationHttpRequest, activity_id: Id, payload: ParticipationIn
) -> Status[Any]:
    require(request, "registration.manage_activities")
    activity = _one(request, activity_id)
    data = payload.dict()
    employee = related(
        Employee.objects.filter(organisation_id=request.organisation.pk),
        "employee",
        data.pop("employee"),
    )
    assert employee is not None
    return Status(
        201,
        services.participant_add(activity=activity, by=request.user, employee=employee, **data),
    )


@router.post(
    "/registration/activities/{activity_id}/costs",
    response={201: CostLineOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def cost_add(request: OrganisationHttpRequest, activity_id: Id, payload: CostLineIn) -> Status[Any]:
    require(request, "registration.manage_activities")
    activity = _one(request, activity_id)
    data = payload.dict()
    employee = related(
        Employee.objects.filter(organisation_id=request.organisation.pk),
        "employee",
        data.pop("employee"),
    )
    return Status(
        201, services.cost_line_add(activity=activity, by=request.user, employee=employee, **data)
    )
