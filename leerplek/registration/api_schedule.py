"""The registration API: the schedule area (docs/api.md, "Registration").

- `GET /registration/schedule/rounds`: the organisation's scheduling rounds (paginated, newest
  first) with their session and placement counts.
- `GET /registration/schedule/rounds/{round_id}`: one round with its sessions, where and when each
  was placed, and why there is no schedule when there is none.

Both need `registration.schedule_sessions`; another organisation's round does not exist here.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.api import ERROR_RESPONSES, Page, require
from leerplek.people.api_schemas import Id
from leerplek.registration import scheduler, selectors_schedule
from leerplek.registration.models import ScheduledSession, ScheduleRound

router = Router(tags=["registration"])
PERM = "registration.schedule_sessions"


class RoundOut(Schema):
    id: int
    title: str
    start: datetime.date
    end: datetime.date
    status: str = Field(description="draft, solved or published.")
    solver_status: str = Field(description="optimal, feasible, infeasible, unknown or empty.")
    objective: int | None = Field(description="Disruption score of the schedule; lower is better.")
    sessions: int
    placed: int


class PlacementOut(Schema):
    day: datetime.date
    part: str = Field(description="early, late or night.")
    room_id: int
    room: str


class SessionOut(Schema):
    id: int
    title: str
    activity_id: int | None
    hours: Decimal
    trainer_id: int | None
    room_id: int | None = Field(description="The room the session requires, if any.")
    earliest: datetime.date | None
    latest: datetime.date | None
    participants: int
    placement: PlacementOut | None


class FindingOut(Schema):
    code: str
    message: str
    session_id: int | None


class RoundDetailOut(RoundOut):
    stats: dict[str, Any]
    findings: list[FindingOut]
    schedule: list[SessionOut]


def _round(row: ScheduleRound, sessions: int, placed: int) -> dict[str, Any]:
    return {
        "id": row.pk,
        "title": row.title,
        "start": row.start,
        "end": row.end,
        "status": row.status,
        "solver_status": row.solver_status,
        "objective": row.objective,
        "sessions": sessions,
        "placed": placed,
    }


@router.get("/registration/schedule/rounds", response={200: list[RoundOut], **ERROR_RESPONSES})
@paginate(Page)
def round_list(request: OrganisationHttpRequest) -> list[dict[str, Any]]:
    """The scheduling rounds, newest first."""
    require(request, PERM)
    return [
        _round(row, row.session_count, row.placed_count)  # type: ignore[attr-defined]
        for row in selectors_schedule.round_list(organisation=request.organisation)
    ]


def _placement(session: Any) -> dict[str, Any] | None:
    try:
        placement = session.placement
    except ScheduledSession.DoesNotExist:
        return None
    return {
        "day": placement.day,
        "part": placement.part,
        "room_id": placement.room_id,
        "room": placement.room.name,
    }


@router.get(
    "/registration/schedule/rounds/{round_id}",
    response={200: RoundDetailOut, **ERROR_RESPONSES},
)
def round_detail(request: OrganisationHttpRequest, round_id: Id) -> dict[str, Any]:
    """One round: its sessions with their placement, by title."""
    require(request, PERM)
    row = get_object_or_404(ScheduleRound, organisation_id=request.organisation.pk, pk=round_id)
    sessions = list(selectors_schedule.sessions_of(row))
    schedule = [
        {
            "id": session.pk,
            "title": session.title,
            "activity_id": session.activity_id,
            "hours": session.hours,
            "trainer_id": session.trainer_id,
            "room_id": session.room_id,
            "earliest": session.earliest,
            "latest": session.latest,
            "participants": session.participant_count,  # type: ignore[attr-defined]
            "placement": _placement(session),
        }
        for session in sessions
    ]
    return {
        **_round(row, len(sessions), sum(1 for s in schedule if s["placement"])),
        "stats": row.stats or {},
        "findings": [
            {
                "code": finding.get("code", ""),
                "message": scheduler.describe(finding),
                "session_id": finding.get("session_id"),
            }
            for finding in row.findings or []
        ],
        "schedule": schedule,
    }
