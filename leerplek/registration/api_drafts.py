"""The registration API: the drafts area (docs/api.md, "Registration").

- `GET /registration/drafts`: drafts waiting for HR (filters `source`, `year`).
- `POST /registration/drafts/decide`: confirm (with corrected hours) or reject drafts in bulk.
- `POST /registration/quick-logs`: log your own informal learning.
- `GET /registration/quick-logs/mine`: your logs, newest first.
- `POST /registration/quick-logs/decide`: a manager confirms or rejects logs of his units.

The same permissions, services and selectors as the pages; hours are decimals sent and
returned as strings ("7.60").
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.api import ERROR_RESPONSES, Page, require
from leerplek.people.api_schemas import Id, Text
from leerplek.people.models import Employee
from leerplek.registration import selectors_drafts, services_drafts
from leerplek.registration.models import Activity, Participation, QuickLog

router = Router()
TAGS = ["registration"]


class DraftOut(Schema):
    id: int
    title: str
    description: str
    source: str
    source_key: str
    informal_kind: str
    start_date: datetime.date
    end_date: datetime.date
    employee_id: int | None
    employee_name: str
    hours: Decimal

    # A draft has one participant (prefetched by the selector): no query per row.
    @staticmethod
    def resolve_employee_id(obj: Activity) -> int | None:
        first = _first(obj)
        return first.employee_id if first else None

    @staticmethod
    def resolve_employee_name(obj: Activity) -> str:
        first = _first(obj)
        return str(first.employee) if first else ""

    @staticmethod
    def resolve_hours(obj: Activity) -> Decimal:
        first = _first(obj)
        return first.hours if first else Decimal("0")


def _first(activity: Activity) -> Participation | None:
    participations = list(activity.participations.all())
    return participations[0] if participations else None


class DraftFilters(Schema):
    source: Text = Field(
        "", max_length=20, description="module, programme, guidance, test, certificate"
    )
    year: int | None = Field(None, ge=1990, le=2200, description="The financial year it ends in")


class DecideIn(Schema):
    ids: list[Id] = Field(max_length=5000)
    decision: Text = Field(description="confirm or reject", max_length=10)
    hours: dict[str, str] = Field(
        default_factory=dict,
        description='Corrected hours per draft id on confirming, e.g. {"12": "7.5"}',
    )


class DecidedOut(Schema):
    count: int
    hours: Decimal


class QuickLogIn(Schema):
    how: Text = Field(description="asked, watched, tried, read or searched", max_length=20)
    topic: Text = Field(max_length=200)
    minutes: int = Field(ge=-100000, le=100000, description="1 to 480")
    date: datetime.date | None = None


class QuickLogOut(Schema):
    id: int
    date: datetime.date
    how: str
    topic: str
    minutes: int
    status: str
    activity_id: int | None


class LogDecideIn(Schema):
    ids: list[Id] = Field(max_length=5000)
    decision: Text = Field(description="confirm or reject", max_length=10)


@router.get("/registration/drafts", response={200: list[DraftOut], **ERROR_RESPONSES}, tags=TAGS)
@paginate(Page)
def draft_list(
    request: OrganisationHttpRequest, filters: Query[DraftFilters]
) -> QuerySet[Activity]:
    """Drafts from workplace learning waiting for HR, by source then newest first."""
    require(request, services_drafts.CONFIRM_DRAFTS)
    return selectors_drafts.drafts(
        organisation=request.organisation, year=filters.year, source=filters.source
    )


@router.post(
    "/registration/drafts/decide", response={200: DecidedOut, **ERROR_RESPONSES}, tags=TAGS
)
def drafts_decide(request: OrganisationHttpRequest, payload: DecideIn) -> Any:
    """Confirm or reject drafts in one go; on confirming, `hours` corrects rows first. All or
    nothing: a refusal (422) names the field, e.g. `hours_12`."""
    require(request, services_drafts.CONFIRM_DRAFTS)
    return services_drafts.drafts_decide(
        organisation=request.organisation,
        ids=payload.ids,
        decision=payload.decision,
        by=request.user,
        hours=payload.hours,
    )


def _me(request: OrganisationHttpRequest) -> Employee:
    person = get_object_or_404(
        Employee.objects.select_related("organisation"),
        organisation_id=request.organisation.pk,
        pk=request.access.employee_id or 0,
    )
    require(request, services_drafts.LOG_OWN, person)
    return person


@router.post("/registration/quick-logs", response={201: QuickLogOut, **ERROR_RESPONSES}, tags=TAGS)
def quick_log_create(request: OrganisationHttpRequest, payload: QuickLogIn) -> Status[Any]:
    """Log a piece of your own informal learning (default today); your manager confirms it."""
    person = _me(request)
    log = services_drafts.quick_log_create(
        employee=person,
        by=request.user,
        how=payload.how,
        topic=payload.topic,
        minutes=payload.minutes,
        date=payload.date,
    )
    return Status(201, log)


@router.get(
    "/registration/quick-logs/mine", response={200: list[QuickLogOut], **ERROR_RESPONSES}, tags=TAGS
)
@paginate(Page)
def quick_log_mine(request: OrganisationHttpRequest) -> QuerySet[QuickLog]:
    """Your logs, newest first, with their status."""
    person = _me(request)
    return QuickLog.objects.filter(employee_id=person.pk).order_by("-date", "-id")


@router.post(
    "/registration/quick-logs/decide", response={200: DecidedOut, **ERROR_RESPONSES}, tags=TAGS
)
def quick_logs_decide(request: OrganisationHttpRequest, payload: LogDecideIn) -> Any:
    """A manager (or HR) confirms or rejects pending logs of his units; never his own."""
    require(request, services_drafts.CONFIRM_LOGS)
    return services_drafts.quick_logs_decide(
        organisation=request.organisation,
        ids=payload.ids,
        decision=payload.decision,
        by=request.user,
    )
