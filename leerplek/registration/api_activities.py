"""The registration API's activities area (docs/api.md, "Registration"): the participants and
cost lines of an activity as lists of their own, changing and removing them, and the
organisation's extra registration fields.

Creating an activity and adding a participant or a cost line are the core's
(`api_core.py`: POST /registration/activities, .../{activity_id}/participants, .../costs).
Lists here are filtered by `activity` instead of nesting under those paths, because two routers
cannot share one path. The same services and the same visibility as the pages; another
organisation's records, and activities outside a manager's units, do not exist here (404).
"""

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
from leerplek.registration import selectors_activities, services_activities
from leerplek.registration.api_core import CostLineOut, ParticipationOut
from leerplek.registration.models import CostLine, ExtraField, Participation
from leerplek.registration.views import visible_activities

router = Router()
TAGS = ["registration"]
VIEW = "registration.view_activities"
MANAGE = "registration.manage_activities"


class ActivityQuery(Schema):
    activity: Id = Field(description="The activity whose rows are listed.")


class ParticipationPatch(Schema):
    # The shape of the column (7 digits, 2 decimals), like the page's form field.
    hours: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=2)
    status: Text | None = Field(None, max_length=20)
    outside_working_hours: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=2)
    certificate_obtained: bool | None = None
    note: Text | None = Field(None, max_length=300)


class ExtraFieldOut(Schema):
    id: int
    key: str
    label: str
    kind: str
    choices: list[str]
    required: bool
    position: int
    active: bool


def _activity_id(request: OrganisationHttpRequest, activity_id: int) -> int:
    """The id of a visible activity, else 404."""
    return get_object_or_404(visible_activities(request).only("pk"), pk=activity_id).pk


def _participation(request: OrganisationHttpRequest, participation_id: int) -> Participation:
    return get_object_or_404(
        Participation.objects.select_related("activity__organisation", "employee").filter(
            activity__in=visible_activities(request)
        ),
        pk=participation_id,
    )


@router.get(
    "/registration/participations",
    response={200: list[ParticipationOut], **ERROR_RESPONSES},
    tags=TAGS,
)
@paginate(Page)
def participation_list(
    request: OrganisationHttpRequest, filters: Query[ActivityQuery]
) -> QuerySet[Participation]:
    """The participants of one activity, by name."""
    require(request, VIEW)
    activity_id = _activity_id(request, filters.activity)
    return Participation.objects.filter(activity_id=activity_id).order_by(
        "employee__last_name", "employee__first_name", "id"
    )


@router.patch(
    "/registration/participations/{participation_id}",
    response={200: ParticipationOut, **ERROR_RESPONSES},
    tags=TAGS,
)
def participation_update(
    request: OrganisationHttpRequest, participation_id: Id, payload: ParticipationPatch
) -> Participation:
    """Change a participant's hours, status or certificate; the rules of the page apply (hours
    within the activity's duration, a closed year refuses)."""
    require(request, MANAGE)
    participation = _participation(request, participation_id)
    values = payload.dict(exclude_unset=True, exclude_none=True)
    return services_activities.participant_update(
        participation=participation, by=request.user, **values
    )


@router.delete(
    "/registration/participations/{participation_id}",
    response={204: None, **ERROR_RESPONSES},
    tags=TAGS,
)
def participation_delete(request: OrganisationHttpRequest, participation_id: Id) -> Status[None]:
    require(request, MANAGE)
    participation = _participation(request, participation_id)
    services_activities.participant_remove(participation=participation, by=request.user)
    return Status(204, None)


@router.get(
    "/registration/cost-lines",
    response={200: list[CostLineOut], **ERROR_RESPONSES},
    tags=TAGS,
)
@paginate(Page)
def cost_line_list(
    request: OrganisationHttpRequest, filters: Query[ActivityQuery]
) -> QuerySet[CostLine]:
    """The cost lines of one activity (amounts as decimal strings, in euro)."""
    require(request, VIEW)
    activity_id = _activity_id(request, filters.activity)
    return CostLine.objects.filter(activity_id=activity_id).order_by("kind", "id")


@router.delete(
    "/registration/cost-lines/{line_id}",
    response={204: None, **ERROR_RESPONSES},
    tags=TAGS,
)
def cost_line_delete(request: OrganisationHttpRequest, line_id: Id) -> Status[None]:
    require(request, MANAGE)
    line = get_object_or_404(
        CostLine.objects.select_related("activity__organisation").filter(
            activity__in=visible_activities(request)
        ),
        pk=line_id,
    )
    services_activities.cost_line_remove(line=line, by=request.user)
    return Status(204, None)


def _field_out(field: ExtraField) -> dict[str, Any]:
    return {
        "id": field.pk,
        "key": field.key,
        "label": field.label,
        "kind": field.kind,
        "choices": field.choice_list,
        "required": field.required,
        "position": field.position,
        "active": field.active,
    }


@router.get(
    "/registration/extra-fields",
    response={200: list[ExtraFieldOut], **ERROR_RESPONSES},
    tags=TAGS,
)
def extra_field_list(request: OrganisationHttpRequest) -> list[dict[str, Any]]:
    """The organisation's extra registration fields: the keys of an activity's `extra`."""
    require(request, VIEW)
    return [
        _field_out(field)
        for field in selectors_activities.extra_field_list(organisation=request.organisation)
    ]
