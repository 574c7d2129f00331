"""Writes of session scheduling (PLAN-02): rooms, shift patterns, work profiles, absences, peaks,
minima, rounds and their sessions; computing a round (`round_solve`) and publishing it
(`round_publish`).

Every function validates first, writes inside one transaction, appends an audit entry and
returns the result; a refusal is a `ValidationError` keyed by the field it is about and nothing is
written. Views and the API check `registration.schedule_sessions`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.people.models import Employee, Organisation, OrgUnit, UnitKind, User
from leerplek.registration import scheduler
from leerplek.registration.models import (
    Activity,
    Category,
    Part,
    Participation,
    ParticipationStatus,
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

ERRORS = {
    "required": _("Fill in %(label)s."),
    "end_before_start": _("The last day cannot be before the first day (%(start)s)."),
    "period_too_long": _("A round covers at most %(days)s days; split it into shorter rounds."),
    "hours": _("Enter the duration in hours above 0 and at most 8 (one shift part), e.g. 3.5."),
    "capacity": _("Enter the number of seats as a whole number from 1 to 1000."),
    "minimum": _("Enter the minimum as a whole number from 0 to 10000."),
    "allowance": _("Enter the hours per week as a number from 0 to 60, e.g. 4."),
    "duplicate_room": _("Another room is called %(name)s; choose another name."),
    "other_organisation": _("Choose one of this organisation's records."),
    "not_formal": _("Link the session to a formal learning activity; this one is %(category)s."),
    "window_outside": _(
        "The window must overlap the round's period (%(start)s to %(end)s); change the days."
    ),
    "no_participants": _("Choose at least one participant."),
    "trainer_participant": _("The trainer cannot also be a participant."),
    "not_shift": _("Choose a unit of the kind 'shift'."),
    "week": _(
        "Give seven lists, Monday first, of the parts worked (early, late, night), e.g. "
        "early on weekdays."
    ),
    "round_published": _("This round is published; start a new round to change it."),
    "room_in_use": _(
        "Sessions are placed in %(name)s; compute those rounds again without it, or keep it."
    ),
    "not_solved": _("Compute a schedule before publishing the round."),
    "no_sessions": _("Add at least one session before computing the schedule."),
}
MAX_ROUND_DAYS = 184
TWO = Decimal("0.01")


def _error(field: str, code: str, **params: Any) -> ValidationError:
    return ValidationError({field: ValidationError(ERRORS[code], code=code, params=params or None)})


def _same_org(organisation: Organisation, field: str, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.organisation_id != organisation.pk:
            raise _error(field, "other_organisation")


def _dates(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is None:
        raise _error("start", "required", label=_("the first day"))
    if end is None:
        raise _error("end", "required", label=_("the last day"))
    if end < start:
        raise _error("end", "end_before_start", start=start.isoformat())


def _hours(value: Any, field: str, code: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise _error(field, code) from None
    if not number.is_finite() or number != number.quantize(TWO) or not low <= number <= high:
        raise _error(field, code)
    return number.quantize(TWO)


def _not_published(round: ScheduleRound) -> None:
    if round.status == RoundStatus.PUBLISHED:
        raise _error("round", "round_published")


# --- the organisation's resources -----------------------------------------------------------


@transaction.atomic
def room_create(
    *, organisation: Organisation, by: User | None, name: str, capacity: int, location: str = ""
) -> Room:
    name = (name or "").strip()
    if not name:
        raise _error("name", "required", label=_("the name"))
    if not isinstance(capacity, int) or not 1 <= capacity <= 1000:
        raise _error("capacity", "capacity")
    if Room.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise _error("name", "duplicate_room", name=name)
    room = Room.objects.create(
        organisation=organisation, name=name, capacity=capacity, location=location.strip()
    )
    audit.record(
        actor=by,
        action="registration.room_created",
        obj=room,
        after={"name": name, "capacity": capacity},
    )
    return room


def _week(week: Any) -> list[list[str]]:
    if not isinstance(week, list | tuple) or len(week) != 7:
        raise _error("week", "week")
    cleaned = []
    for parts in week:
        if not isinstance(parts, list | tuple) or any(p not in Part.values for p in parts):
            raise _error("week", "week")
        cleaned.append([p for p in Part.values if p in parts])
    return cleaned


@transaction.atomic
def pattern_create(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    week: Sequence[Sequence[str]],
    shift: OrgUnit | None = None,
) -> ShiftPattern:
    """A shift pattern; with `shift`, the pattern of everyone in that shift unit."""
    if not (name or "").strip():
        raise _error("name", "required", label=_("the name"))
    _same_org(organisation, "shift", shift)
    if shift is not None and shift.kind != UnitKind.SHIFT:
        raise _error("shift", "not_shift")
    cleaned = _week(list(week))
    if shift is not None:
        ShiftPattern.objects.filter(shift=shift).update(shift=None)
    pattern = ShiftPattern.objects.create(
        organisation=organisation, name=name.strip(), week=cleaned, shift=shift
    )
    audit.record(
        actor=by,
        action="registration.shift_pattern_created",
        obj=pattern,
        after={"name": pattern.name, "week": cleaned, "shift": shift},
    )
    return pattern


@transaction.atomic
def work_profile_set(
    *,
    employee: Employee,
    by: User | None,
    pattern: ShiftPattern | None = None,
    mentor_hours_per_week: Any = "0",
    community_hours_per_week: Any = "0",
) -> WorkProfile:
    """A person's own shift pattern and weekly time allowances (peter/meter, CoP)."""
    organisation = employee.organisation
    _same_org(organisation, "pattern", pattern)
    mentor = _hours(
        mentor_hours_per_week, "mentor_hours_per_week", "allowance", Decimal(0), Decimal(60)
    )
    community = _hours(
        community_hours_per_week, "community_hours_per_week", "allowance", Decimal(0), Decimal(60)
    )
    profile, created = WorkProfile.objects.select_for_update().get_or_create(
        employee=employee, defaults={"organisation_id": employee.organisation_id}
    )
    before = audit.snapshot(
        profile, ["pattern", "mentor_hours_per_week", "community_hours_per_week"]
    )
    profile.pattern = pattern
    profile.mentor_hours_per_week = mentor
    profile.community_hours_per_week = community
    profile.save()
    audit.record(
        actor=by,
        action="registration.work_profile_set",
        obj=profile,
        before=None if created else before,
        after=audit.snapshot(
            profile, ["pattern", "mentor_hours_per_week", "community_hours_per_week"]
        ),
    )
    return profile


@transaction.atomic
def unavailability_create(
    *,
    employee: Employee,
    by: User | None,
    start: datetime.date,
    end: datetime.date,
    reason: str = "",
) -> Unavailability:
    _dates(start, end)
    item = Unavailability.objects.create(
        organisation_id=employee.organisation_id,
        employee=employee,
        start=start,
        end=end,
        reason=reason.strip(),
    )
    audit.record(
        actor=by,
        action="registration.unavailability_created",
        obj=item,
        after={"employee": employee.pk, "start": start, "end": end},
    )
    return item


@transaction.atomic
def unavailability_delete(*, item: Unavailability, by: User | None) -> None:
    """Takes back days someone could not attend (entered by mistake, or the leave was moved)."""
    audit.record(
        actor=by,
        action="registration.unavailability_deleted",
        obj=item,
        before={"employee": item.employee_id, "start": item.start, "end": item.end},
    )
    item.delete()


@transaction.atomic
def resource_delete(*, item: Room | ProductionPeak | StaffingMinimum, by: User | None) -> None:
    """Removes a room, a production peak or a staffing minimum of the organisation (it applies
    to every round). A room in which a computed or published round placed sessions stays."""
    if isinstance(item, Room) and ScheduledSession.objects.filter(room=item).exists():
        raise _error("room", "room_in_use", name=item.name)
    audit.record(
        actor=by,
        action=f"registration.{item._meta.model_name}_deleted",
        obj=item,
        before={"text": str(item)},
    )
    item.delete()


@transaction.atomic
def peak_create(
    *,
    organisation: Organisation,
    by: User | None,
    unit: OrgUnit,
    start: datetime.date,
    end: datetime.date,
    note: str = "",
) -> ProductionPeak:
    _same_org(organisation, "unit", unit)
    _dates(start, end)
    peak = ProductionPeak.objects.create(
        organisation=organisation, unit=unit, start=start, end=end, note=note.strip()
    )
    audit.record(
        actor=by,
        action="registration.peak_created",
        obj=peak,
        after={"unit": unit.pk, "start": start, "end": end},
    )
    return peak


@transaction.atomic
def minimum_create(
    *,
    organisation: Organisation,
    by: User | None,
    unit: OrgUnit,
    minimum: int,
    part: str = "",
    shift: OrgUnit | None = None,
) -> StaffingMinimum:
    _same_org(organisation, "unit", unit)
    _same_org(organisation, "shift", shift)
    if shift is not None and shift.kind != UnitKind.SHIFT:
        raise _error("shift", "not_shift")
    if not isinstance(minimum, int) or not 0 <= minimum <= 10_000:
        raise _error("minimum", "minimum")
    if part and part not in Part.values:
        raise _error("part", "required", label=_("the part of the day"))
    item = StaffingMinimum.objects.create(
        organisation=organisation, unit=unit, shift=shift, part=part, minimum=minimum
    )
    audit.record(
        actor=by,
        action="registration.staffing_minimum_created",
        obj=item,
        after={"unit": unit.pk, "shift": shift, "part": part, "minimum": minimum},
    )
    return item


# --- rounds and sessions -------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    organisation: Organisation,
    by: User | None,
    title: str,
    start: datetime.date,
    end: datetime.date,
) -> ScheduleRound:
    title = (title or "").strip()
    if not title:
        raise _error("title", "required", label=_("the title"))
    _dates(start, end)
    if (end - start).days + 1 > MAX_ROUND_DAYS:
        raise _error("end", "period_too_long", days=MAX_ROUND_DAYS)
    round = ScheduleRound.objects.create(
        organisation=organisation, title=title, start=start, end=end, created_by=by
    )
    audit.record(
        actor=by,
        action="registration.schedule_round_created",
        obj=round,
        after={"title": title, "start": start, "end": end},
    )
    return round


@transaction.atomic
def session_create(
    *,
    round: ScheduleRound,
    by: User | None,
    title: str,
    hours: Any,
    participants: Iterable[Employee],
    trainer: Employee | None = None,
    activity: Activity | None = None,
    room: Room | None = None,
    earliest: datetime.date | None = None,
    latest: datetime.date | None = None,
) -> ScheduleSession:
    """A session of `round`. Its window (earliest to latest day) must overlap the round's
    period; without one, the whole period."""
    round = ScheduleRound.objects.select_for_update().get(pk=round.pk)
    _not_published(round)
    organisation_id = round.organisation_id
    title = (title or "").strip() or (activity.title if activity is not None else "")
    if not title:
        raise _error("title", "required", label=_("the title"))
    duration = _hours(hours, "hours", "hours", Decimal("0.01"), Decimal(8))
    people = list(participants)
    if not people:
        raise _error("participants", "no_participants")
    if any(p.organisation_id != organisation_id for p in people):
        raise _error("participants", "other_organisation")
    for field, obj in (("trainer", trainer), ("activity", activity), ("room", room)):
        if obj is not None and obj.organisation_id != organisation_id:
            raise _error(field, "other_organisation")
    if trainer is not None and trainer.pk in {p.pk for p in people}:
        raise _error("trainer", "trainer_participant")
    if activity is not None and activity.category != Category.FORMAL:
        raise _error("activity", "not_formal", category=activity.get_category_display())
    if earliest and latest and latest < earliest:
        raise _error("latest", "end_before_start", start=earliest.isoformat())
    if (earliest and earliest > round.end) or (latest and latest < round.start):
        raise _error(
            "earliest", "window_outside", start=round.start.isoformat(), end=round.end.isoformat()
        )
    session = ScheduleSession.objects.create(
        organisation_id=organisation_id,
        round=round,
        title=title,
        hours=duration,
        trainer=trainer,
        activity=activity,
        room=room,
        earliest=earliest,
        latest=latest,
    )
    session.participants.set(people)
    audit.record(
        actor=by,
        action="registration.schedule_session_created",
        obj=session,
        after={
            "round": round.pk,
            "title": title,
            "hours": duration,
            "participants": sorted(p.pk for p in people),
            "trainer": trainer,
            "activity": activity,
        },
    )
    return session


@transaction.atomic
def session_delete(*, session: ScheduleSession, by: User | None) -> None:
    _not_published(session.round)
    audit.record(
        actor=by,
        action="registration.schedule_session_deleted",
        obj=session,
        before={"title": session.title, "round": session.round_id},
    )
    session.delete()


# --- from the database to the solver and back ------------------------------------------------


def _nearest(path: str, units: Sequence[tuple[str, Any]]) -> Any:
    found = [item for unit_path, item in units if path.startswith(unit_path)]
    return found[-1] if found else None


def problem_for(round: ScheduleRound) -> scheduler.Problem:
    """The round as the solver's input, in eleven queries whatever the size: the sessions and
    their participants, rooms, the organisation's people with their units, shift patterns, work
    profiles, absences, the slots published rounds already hold (and who is in them), peaks and
    minima overlapping the period."""
    organisation_id = round.organisation_id
    sessions = list(
        ScheduleSession.objects.filter(round=round).prefetch_related("participants").order_by("pk")
    )
    rooms = [
        scheduler.Room(id=room.pk, name=room.name, capacity=room.capacity)
        for room in Room.objects.filter(organisation_id=organisation_id)
    ]
    people_rows = list(
        Employee.objects.filter(organisation_id=organisation_id)
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=round.start))
        .values_list("pk", "first_name", "last_name", "unit_id", "unit__path")
    )
    # Shift units' patterns, nearest (longest path) last.
    shift_patterns = sorted(
        (
            (pattern.shift.path if pattern.shift else "", pattern.works())
            for pattern in ShiftPattern.objects.filter(
                organisation_id=organisation_id, shift__isnull=False
            ).select_related("shift")
        ),
        key=lambda item: len(item[0]),
    )
    profiles = {
        profile.employee_id: profile
        for profile in WorkProfile.objects.filter(organisation_id=organisation_id).select_related(
            "pattern"
        )
    }
    away: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    for employee_id, start, end in Unavailability.objects.filter(
        organisation_id=organisation_id, end__gte=round.start, start__lte=round.end
    ).values_list("employee_id", "start", "end"):
        away.setdefault(employee_id, []).append((start, end))
    # Rooms and people that published rounds already hold in the period.
    taken = list(
        ScheduledSession.objects.filter(
            organisation_id=organisation_id,
            session__round__status=RoundStatus.PUBLISHED,
            day__gte=round.start,
            day__lte=round.end,
        )
        .exclude(session__round=round)
        .values_list("session_id", "room_id", "day", "part", "session__trainer_id")
    )
    busy: dict[int, set[scheduler.Slot]] = {}
    slot_of = {session_id: (day, part) for session_id, _room, day, part, _t in taken}
    for _session, _room, day, part, trainer_id in taken:
        if trainer_id is not None:
            busy.setdefault(trainer_id, set()).add((day, part))
    if taken:
        for session_id, employee_id in ScheduleSession.participants.through.objects.filter(
            schedulesession_id__in=list(slot_of)
        ).values_list("schedulesession_id", "employee_id"):
            busy.setdefault(employee_id, set()).add(slot_of[session_id])
    people: dict[int, scheduler.Person] = {}
    paths: dict[int, str] = {}
    for pk, first, last, unit_id, path in people_rows:
        profile = profiles.get(pk)
        if profile is not None and profile.pattern is not None:
            works = profile.pattern.works()
        else:
            works = _nearest(path or "", shift_patterns) or scheduler.DAY_SHIFT
        allowance = profile.allowance_hours if profile is not None else Decimal(0)
        people[pk] = scheduler.Person(
            id=pk,
            name=f"{first} {last}",
            unit_id=unit_id,
            works=works,
            away=tuple(away.get(pk, ())),
            allowance_minutes=int(allowance * 60),
            busy=frozenset(busy.get(pk, ())),
        )
        paths[pk] = path or ""
    peaks = [
        scheduler.Peak(
            id=peak.pk,
            unit=peak.unit.name,
            member_ids=frozenset(
                pk for pk, path in paths.items() if path.startswith(peak.unit.path)
            ),
            start=peak.start,
            end=peak.end,
            note=peak.note,
        )
        for peak in ProductionPeak.objects.filter(
            organisation_id=organisation_id, end__gte=round.start, start__lte=round.end
        ).select_related("unit")
    ]
    minima = []
    for minimum in StaffingMinimum.objects.filter(organisation_id=organisation_id).select_related(
        "unit", "shift"
    ):
        members = frozenset(
            pk
            for pk, path in paths.items()
            if path.startswith(minimum.unit.path)
            and (minimum.shift is None or path.startswith(minimum.shift.path))
        )
        label = minimum.unit.name
        if minimum.shift is not None and minimum.shift_id != minimum.unit_id:
            label = f"{minimum.unit.name} / {minimum.shift.name}"
        minima.append(
            scheduler.Minimum(
                id=minimum.pk,
                unit=label,
                member_ids=members,
                minimum=minimum.minimum,
                part=minimum.part or None,
            )
        )
    return scheduler.Problem(
        start=round.start,
        end=round.end,
        people=people,
        rooms=rooms,
        sessions=[
            scheduler.Session(
                id=session.pk,
                title=session.title,
                minutes=int(session.hours * 60),
                participant_ids=tuple(p.pk for p in session.participants.all()),
                trainer_id=session.trainer_id,
                room_id=session.room_id,
                earliest=session.earliest,
                latest=session.latest,
            )
            for session in sessions
        ],
        peaks=peaks,
        minima=minima,
        room_busy=frozenset((room_id, day, part) for _s, room_id, day, part, _t in taken),
    )


def round_solve(
    *, round: ScheduleRound, by: User | None, seconds: float | None = None
) -> scheduler.Result:
    """Compute the round's schedule and store it (or why there is none). The solver runs
    outside the transaction; the result is written in one."""
    _not_published(round)
    if not ScheduleSession.objects.filter(round=round).exists():
        raise _error("round", "no_sessions")
    result = scheduler.solve(problem_for(round), seconds=seconds)
    with transaction.atomic():
        locked = ScheduleRound.objects.select_for_update().get(pk=round.pk)
        _not_published(locked)
        ScheduledSession.objects.filter(session__round=locked).delete()
        ScheduledSession.objects.bulk_create(
            ScheduledSession(
                organisation_id=locked.organisation_id,
                session_id=placement.session_id,
                day=placement.day,
                part=placement.part,
                room_id=placement.room_id,
            )
            for placement in result.placements
        )
        locked.status = RoundStatus.SOLVED if result.feasible else RoundStatus.DRAFT
        locked.solver_status = result.status
        locked.objective = result.objective
        locked.stats = audit.jsonable(result.stats)
        locked.findings = [finding.as_json() for finding in result.findings]
        locked.solved_at = timezone.now()
        locked.save()
        audit.record(
            actor=by,
            action="registration.schedule_round_solved",
            obj=locked,
            after={
                "status": result.status,
                "objective": result.objective,
                "placed": len(result.placements),
                "findings": [finding.code for finding in result.findings],
            },
        )
    round.refresh_from_db()
    return result


@transaction.atomic
def round_publish(*, round: ScheduleRound, by: User | None) -> ScheduleRound:
    """Publish the computed schedule: participants of sessions linked to an activity get a
    participation "reserved" on it, with the hours of their sessions in this round (a
    participation already completed or not followed is left alone)."""
    round = ScheduleRound.objects.select_for_update().get(pk=round.pk)
    _not_published(round)
    if round.status != RoundStatus.SOLVED:
        raise _error("round", "not_solved")
    hours: dict[tuple[int, int], Decimal] = {}
    for session in (
        ScheduleSession.objects.filter(round=round, activity__isnull=False, placement__isnull=False)
        .prefetch_related("participants")
        .order_by("pk")
    ):
        for person in session.participants.all():
            key = (session.activity_id or 0, person.pk)
            hours[key] = hours.get(key, Decimal(0)) + session.hours
    existing = {
        (p.activity_id, p.employee_id): p
        for p in Participation.objects.filter(
            activity_id__in={activity_id for activity_id, _ in hours}
        )
    }
    new, changed = [], []
    for (activity_id, employee_id), total in hours.items():
        found = existing.get((activity_id, employee_id))
        if found is None:
            new.append(
                Participation(
                    activity_id=activity_id,
                    employee_id=employee_id,
                    hours=total,
                    status=ParticipationStatus.RESERVED,
                )
            )
        elif found.status in (ParticipationStatus.PLANNED, ParticipationStatus.RESERVED):
            found.status = ParticipationStatus.RESERVED
            found.hours = total
            changed.append(found)
    Participation.objects.bulk_create(new)
    Participation.objects.bulk_update(changed, ["status", "hours"])
    round.status = RoundStatus.PUBLISHED
    round.published_at = timezone.now()
    round.save(update_fields=["status", "published_at"])
    audit.record(
        actor=by,
        action="registration.schedule_round_published",
        obj=round,
        before={"status": RoundStatus.SOLVED},
        after={"status": RoundStatus.PUBLISHED, "reserved": len(new), "updated": len(changed)},
    )
    return round
