"""Builders for the scheduling tests: plain solver inputs (no database) and a small round in the
database built through the services."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from leerplek.registration import scheduler as core

MONDAY = datetime.date(2026, 3, 2)


def day(n: int) -> datetime.date:
    """The n-th day after Monday 2 March 2026 (0 is that Monday)."""
    return MONDAY + datetime.timedelta(days=n)


def people(
    ids: Iterable[int],
    unit_id: int | None = 1,
    works: frozenset[tuple[int, str]] = core.DAY_SHIFT,
    **fields: Any,
) -> dict[int, core.Person]:
    return {
        pid: core.Person(id=pid, name=f"P{pid}", unit_id=unit_id, works=works, **fields)
        for pid in ids
    }


def session(sid: int, participants: Iterable[int], **fields: Any) -> core.Session:
    fields.setdefault("minutes", 180)
    return core.Session(id=sid, title=f"S{sid}", participant_ids=tuple(participants), **fields)


def problem(
    persons: dict[int, core.Person],
    sessions: list[core.Session],
    rooms: list[core.Room] | None = None,
    days: int = 5,
    **fields: Any,
) -> core.Problem:
    return core.Problem(
        start=MONDAY,
        end=day(days - 1),
        people=persons,
        rooms=rooms if rooms is not None else [core.Room(1, "Zaal A", 20)],
        sessions=sessions,
        **fields,
    )


def violations(problem: core.Problem, result: core.Result) -> list[str]:
    """Every hard rule the result breaks (empty: a valid schedule)."""
    wrong: list[str] = []
    placed = {p.session_id: p for p in result.placements}
    rooms = {room.id: room for room in problem.rooms}
    if len(placed) != len(result.placements):
        wrong.append("a session placed twice")
    busy: dict[tuple[int, datetime.date, str], int] = defaultdict(int)
    room_busy: dict[tuple[int, datetime.date, str], int] = defaultdict(int)
    minutes: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
    trained: dict[tuple[int, datetime.date, str], set[int]] = defaultdict(set)
    for s in problem.sessions:
        p = placed.get(s.id)
        if p is None:
            wrong.append(f"{s.title} not placed")
            continue
        if not (s.earliest or problem.start) <= p.day <= (s.latest or problem.end):
            wrong.append(f"{s.title} outside its window")
        if not problem.start <= p.day <= problem.end:
            wrong.append(f"{s.title} outside the period")
        if s.room_id is not None and p.room_id != s.room_id:
            wrong.append(f"{s.title} not in its required room")
        if rooms[p.room_id].capacity < len(s.participant_ids):
            wrong.append(f"{s.title} in a room too small")
        room_busy[(p.room_id, p.day, p.part)] += 1
        for pid in s.people:
            person = problem.people[pid]
            if not person.works_on((p.day, p.part)):
                wrong.append(f"{person.name} does not work {p.part} on {p.day}")
            busy[(pid, p.day, p.part)] += 1
            minutes[(pid, p.day.isocalendar()[:2])] += s.minutes
            trained[(pid, p.day, p.part)].add(s.id)
        for peak in problem.peaks:
            if set(s.people) & peak.member_ids and peak.start <= p.day <= peak.end:
                wrong.append(f"{s.title} in the peak of {peak.unit}")
    wrong += [f"person {k[0]} twice on {k[1]} {k[2]}" for k, n in busy.items() if n > 1]
    wrong += [f"room {k[0]} twice on {k[1]} {k[2]}" for k, n in room_busy.items() if n > 1]
    for (pid, _week), used in minutes.items():
        person = problem.people[pid]
        if used > person.week_minutes - person.allowance_minutes:
            wrong.append(f"{person.name} over his weekly hours")
    for minimum in problem.minima:
        for d in core._days(problem.start, problem.end):
            for part in core.PARTS:
                if minimum.part not in (None, part):
                    continue
                members = [problem.people[m] for m in minimum.member_ids]
                working = [m for m in members if m.works_on((d, part))]
                reserve = sum(m.allowance_minutes / m.week_minutes for m in working)
                away = sum(1 for m in working if trained.get((m.id, d, part)))
                available = len(working) - int(-(-reserve // 1))
                if away and available - away < minimum.minimum:
                    wrong.append(f"{minimum.unit} under its minimum on {d} {part}")
    return wrong


# --- a small round in the database, built through the services ---------------------------------


def db_round(cast: Any, *, sessions: int = 2, size: int = 3) -> Any:
    """A round of the week of Monday 2 March 2026 for the packaging team: a room of 10 seats,
    `sessions` sessions of two hours with `size` packaging people each (the packaging worker
    Wout in the first), linked to a formal activity, with the HR person as trainer."""
    from leerplek.core.roles import Role
    from leerplek.registration import services_schedule as services
    from tests.registration.factories import activity, person

    hr = cast.user(Role.HR)
    round = services.round_create(
        organisation=cast.organisation, by=hr, title="Voorjaar", start=day(0), end=day(4)
    )
    from leerplek.registration.models import Room

    if not Room.objects.filter(organisation=cast.organisation, name="Zaal 1").exists():
        services.room_create(organisation=cast.organisation, by=hr, name="Zaal 1", capacity=10)
    course = activity(cast, title="Heftruck", on=day(0), days=5)
    team = [cast.worker] + [person(cast, f"Team{n}") for n in range(sessions * size)]
    for n in range(sessions):
        members = team[n * size : (n + 1) * size] if n else team[:size]
        services.session_create(
            round=round,
            by=hr,
            title=f"Heftruck {n + 1}",
            hours="2",
            participants=members,
            trainer=cast.employees[Role.HR],
            activity=course,
        )
    round.refresh_from_db()
    return round
