"""Reads of session scheduling (PLAN-02) for the pages, the API and the iCalendar files, each in a
fixed number of queries whatever the size of the round."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from leerplek.people.models import Organisation
from leerplek.registration import scheduler
from leerplek.registration.models import (
    ProductionPeak,
    Room,
    RoundStatus,
    ScheduledSession,
    ScheduleRound,
    ScheduleSession,
    ShiftPattern,
    StaffingMinimum,
    Unavailability,
    WorkProfile,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


def part_starts() -> dict[str, datetime.time]:
    """When each part of the day starts (setting SCHEDULER_PART_STARTS, default early 06:00,
    late 14:00, night 22:00)."""
    configured = settings.LEERPLEK.get(
        "SCHEDULER_PART_STARTS", {"early": "06:00", "late": "14:00", "night": "22:00"}
    )
    return {part: datetime.time.fromisoformat(value) for part, value in configured.items()}


def round_list(*, organisation: Organisation) -> QuerySet[ScheduleRound]:
    """The organisation's rounds, newest first, with their session and placement counts (one
    query)."""
    return ScheduleRound.objects.filter(organisation=organisation).annotate(
        session_count=Count("sessions", distinct=True),
        placed_count=Count("sessions__placement", distinct=True),
    )


@dataclass
class DayRow:
    day: datetime.date
    sessions: list[ScheduleSession] = field(default_factory=list)


@dataclass
class RoundDetail:
    round: ScheduleRound
    sessions: list[ScheduleSession]
    rooms: list[Room]
    peaks: list[ProductionPeak]
    minima: list[StaffingMinimum]
    patterns: list[ShiftPattern]
    profiles: list[WorkProfile]
    absences: list[Unavailability]
    days: list[DayRow]
    findings: list[str]
    unplaced: int


def sessions_of(round: ScheduleRound) -> QuerySet[ScheduleSession]:
    return (
        ScheduleSession.objects.filter(round=round)
        .select_related("trainer", "room", "activity", "placement", "placement__room")
        .annotate(participant_count=Count("participants"))
        .order_by("title", "pk")
    )


def round_detail(*, round: ScheduleRound) -> RoundDetail:
    """The round's sessions (with their placement), the rooms, the peaks and minima that apply,
    the shift patterns, the work profiles and absences (in the period) of the round's people
    (participants and trainers), and the schedule by day. Seven queries."""
    sessions = list(sessions_of(round))
    rooms = list(Room.objects.filter(organisation_id=round.organisation_id))
    peaks = list(
        ProductionPeak.objects.filter(
            organisation_id=round.organisation_id, end__gte=round.start, start__lte=round.end
        ).select_related("unit")
    )
    minima = list(
        StaffingMinimum.objects.filter(organisation_id=round.organisation_id).select_related(
            "unit", "shift"
        )
    )
    patterns = list(
        ShiftPattern.objects.filter(organisation_id=round.organisation_id).select_related("shift")
    )
    involved = Q(
        employee_id__in=ScheduleSession.participants.through.objects.filter(
            schedulesession__round=round
        ).values("employee_id")
    ) | Q(
        employee_id__in=ScheduleSession.objects.filter(round=round, trainer__isnull=False).values(
            "trainer_id"
        )
    )
    profiles = list(
        WorkProfile.objects.filter(involved, organisation_id=round.organisation_id)
        .select_related("employee", "pattern")
        .order_by("employee__last_name", "employee__first_name", "pk")
    )
    absences = list(
        Unavailability.objects.filter(
            involved,
            organisation_id=round.organisation_id,
            end__gte=round.start,
            start__lte=round.end,
        )
        .select_related("employee")
        .order_by("start", "employee__last_name", "pk")
    )
    by_day: dict[datetime.date, DayRow] = {}
    order = {part: n for n, part in enumerate(scheduler.PARTS)}
    placed = sorted(
        (s for s in sessions if _placement(s) is not None),
        key=lambda s: (s.placement.day, order[s.placement.part], s.placement.room.name),
    )
    for session in placed:
        by_day.setdefault(session.placement.day, DayRow(session.placement.day)).sessions.append(
            session
        )
    return RoundDetail(
        round=round,
        sessions=sessions,
        rooms=rooms,
        peaks=peaks,
        minima=minima,
        patterns=patterns,
        profiles=profiles,
        absences=absences,
        days=list(by_day.values()),
        findings=[scheduler.describe(finding) for finding in round.findings or []],
        unplaced=len(sessions) - len(placed),
    )


def _placement(session: ScheduleSession) -> ScheduledSession | None:
    try:
        return session.placement
    except ScheduledSession.DoesNotExist:
        return None


@dataclass(frozen=True)
class Event:
    """One scheduled session as a calendar event."""

    uid: str
    title: str
    start: datetime.datetime  # aware
    end: datetime.datetime
    room: str
    part: str
    day: datetime.date
    hours: Any
    round_title: str
    trainer: str
    participant_count: int


def _events(placements: Any, organisation_slug: str) -> list[Event]:
    starts = part_starts()
    events = []
    for placement in placements:
        session = placement.session
        begin = datetime.datetime.combine(placement.day, starts[placement.part], tzinfo=BRUSSELS)
        finish = begin + datetime.timedelta(minutes=int(session.hours * 60))
        events.append(
            Event(
                uid=f"leerplek-session-{session.pk}@{organisation_slug}",
                title=session.title,
                start=begin,
                end=finish,
                room=placement.room.name,
                part=placement.part,
                day=placement.day,
                hours=session.hours,
                round_title=session.round.title,
                trainer=str(session.trainer) if session.trainer else "",
                participant_count=getattr(session, "participant_count", 0),
            )
        )
    return events


def _placements() -> QuerySet[ScheduledSession]:
    return ScheduledSession.objects.select_related(
        "room", "session", "session__round", "session__trainer"
    ).order_by("day", "part", "pk")


def round_events(*, round: ScheduleRound, organisation_slug: str) -> list[Event]:
    """The round's computed sessions (one query)."""
    rows = (
        _placements()
        .filter(session__round=round)
        .annotate(participant_count=Count("session__participants"))
    )
    return _events(rows, organisation_slug)


def own_events(*, organisation: Organisation, employee_id: int) -> list[Event]:
    """The sessions of published rounds the person attends or gives, by date (one query)."""
    rows = _placements().filter(
        Q(session__participants=employee_id) | Q(session__trainer_id=employee_id),
        organisation=organisation,
        session__round__status=RoundStatus.PUBLISHED,
    )
    return _events(rows.distinct(), organisation.slug)
