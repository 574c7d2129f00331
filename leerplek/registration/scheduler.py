"""The session scheduler (PLAN-02): places planned formal sessions in (day, shift part, room)
slots with OR-Tools CP-SAT.

The core works on plain dataclasses (`Problem` in, `Result` out) so that it runs and is
benchmarked without the database; `services_schedule` turns a scheduling round into a `Problem`
and stores the `Result`.

Hard rules, for every session:

- exactly one slot (a day and a part of it: early, late or night) within its window and the
  round's period, and one room (the one it requires, else any room) large enough for its
  participants; a room holds one session per slot;
- every participant and the trainer work that part on that weekday (their shift pattern) and
  are not unavailable that day; nobody is in two sessions in the same slot; nobody trains more
  hours in a week than his working hours minus his time allowances (peter/meter, CoP);
- no day inside a declared production peak of a unit one of the people belongs to;
- for every staffing minimum (a unit, optionally a shift part): the unit's people working that
  slot, minus those whose time allowances keep them off the floor (rounded up), minus those in
  training, stay at or above the minimum.

The objective minimises disruption (each person pulled from a unit weighs more the closer the
unit gets to its minimum) and bunching (more than one session on the same day for the same unit).

When there is no schedule we say why, in words: cheap checks per session first (no common
working slot, no room large enough, every day blocked by a peak, trainer away throughout);
when the solver still says infeasible, the constraint groups (staffing minima, peaks, rooms)
are relaxed one at a time into penalties, and the penalties the relaxed model needs name the
constraint, the unit and the day. Findings carry a code and parameters; `describe` renders them
in the current language.
"""

from __future__ import annotations

import datetime
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from ortools.sat.python import cp_model

EARLY, LATE, NIGHT = "early", "late", "night"
PARTS: tuple[str, ...] = (EARLY, LATE, NIGHT)
PART_LABELS = {
    EARLY: pgettext_lazy("shift part", "Early"),
    LATE: pgettext_lazy("shift part", "Late"),
    NIGHT: pgettext_lazy("shift part", "Night"),
}
# The default shift pattern: the early part (the day shift), Monday to Friday.
DAY_SHIFT: frozenset[tuple[int, str]] = frozenset((weekday, EARLY) for weekday in range(5))
SLOT_MINUTES = 480  # one part of a day: 8 hours
DISRUPTION_WEIGHT = 100  # cost of one person pulled from a unit with no slack left
UNIT_COST = 1  # cost of one person pulled from a unit without a minimum
SPREAD_WEIGHT = 40  # cost of each extra session on the same day for the same unit
GROUPS = ("staffing", "peaks", "rooms")
OVERFLOW_ROOM = -1  # the room a relaxed model may use when no real room is free or large enough

Slot = tuple[datetime.date, str]


def time_limit() -> float:
    """Seconds the solver may take (setting SCHEDULER_TIME_LIMIT_S, default 10)."""
    return float(settings.LEERPLEK.get("SCHEDULER_TIME_LIMIT_S", 10))


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    unit_id: int | None = None
    works: frozenset[tuple[int, str]] = DAY_SHIFT  # (weekday, Monday 0, part)
    away: tuple[tuple[datetime.date, datetime.date], ...] = ()
    allowance_minutes: int = 0  # per week: peter/meter and CoP time
    busy: frozenset[Slot] = frozenset()  # slots taken by sessions of published rounds

    def works_on(self, slot: Slot) -> bool:
        day, part = slot
        if (day.weekday(), part) not in self.works or slot in self.busy:
            return False
        return not any(start <= day <= end for start, end in self.away)

    @property
    def week_minutes(self) -> int:
        return len(self.works) * SLOT_MINUTES


@dataclass(frozen=True)
class Room:
    id: int
    name: str
    capacity: int


@dataclass(frozen=True)
class Session:
    id: int
    title: str
    minutes: int
    participant_ids: tuple[int, ...]
    trainer_id: int | None = None
    room_id: int | None = None
    earliest: datetime.date | None = None
    latest: datetime.date | None = None

    @property
    def people(self) -> tuple[int, ...]:
        if self.trainer_id is None or self.trainer_id in self.participant_ids:
            return self.participant_ids
        return (*self.participant_ids, self.trainer_id)


@dataclass(frozen=True)
class Peak:
    id: int
    unit: str
    member_ids: frozenset[int]
    start: datetime.date
    end: datetime.date
    note: str = ""


@dataclass(frozen=True)
class Minimum:
    id: int
    unit: str
    member_ids: frozenset[int]
    minimum: int
    part: str | None = None  # None: every part of the day


@dataclass
class Problem:
    start: datetime.date
    end: datetime.date
    people: dict[int, Person]
    rooms: Sequence[Room]
    sessions: Sequence[Session]
    peaks: Sequence[Peak] = ()
    minima: Sequence[Minimum] = ()
    # (room, day, part) already taken by sessions of published rounds.
    room_busy: frozenset[tuple[int, datetime.date, str]] = frozenset()


@dataclass(frozen=True)
class Placement:
    session_id: int
    day: datetime.date
    part: str
    room_id: int


@dataclass(frozen=True)
class Finding:
    """Why there is no schedule: `code` picks the sentence, `params` fill it (JSON-safe)."""

    code: str
    params: dict[str, Any]
    session_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params, "session_id": self.session_id}


@dataclass
class Result:
    status: str  # optimal, feasible, infeasible, unknown
    placements: list[Placement] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    objective: int | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")


# The sentences of the findings, keyed by code. Parameters: session (title), unit, day (ISO
# date, shown localised), part (code, shown translated), names, numbers.
MESSAGES: dict[str, Any] = {
    "window_empty": gettext_lazy(
        "Session “%(session)s”: its window (%(earliest)s to %(latest)s) lies outside the round's "
        "period."
    ),
    "too_long": gettext_lazy(
        "Session “%(session)s” lasts %(hours)s hours; a session must fit in one shift part of "
        "%(slot_hours)s hours."
    ),
    "trainer_unavailable": gettext_lazy(
        "Session “%(session)s”: the trainer %(trainer)s is unavailable on every day of its window."
    ),
    "no_common_slot": gettext_lazy(
        "Session “%(session)s”: there is no day in its window on which all participants and the "
        "trainer work the same shift part. Not working %(part)s on those days: %(names)s."
    ),
    "no_capacity": gettext_lazy(
        "Session “%(session)s”: %(name)s has no %(hours)s hours left in a week after his or her "
        "time allowances (peter/meter, CoP)."
    ),
    "peak_blocks": gettext_lazy(
        "Session “%(session)s”: every possible day falls in a production peak (%(peaks)s)."
    ),
    "no_rooms": gettext_lazy("Session “%(session)s”: there is no room to schedule it in."),
    "room_too_small": gettext_lazy(
        "Session “%(session)s” has %(count)s participants; the room it requires, %(room)s, "
        "holds %(capacity)s."
    ),
    "no_room_large_enough": gettext_lazy(
        "Session “%(session)s” has %(count)s participants; the largest room, %(room)s, holds "
        "%(capacity)s."
    ),
    "staffing": gettext_lazy(
        "Staffing minimum of %(unit)s (%(part)s) on %(day)s: only %(present)s people would "
        "remain while at least %(minimum)s are needed."
    ),
    "peak": gettext_lazy(
        "Production peak of %(unit)s on %(day)s: session “%(session)s” can only be held then."
    ),
    "rooms": gettext_lazy(
        "Rooms on %(day)s (%(part)s): no free room large enough for session “%(session)s” "
        "(%(count)s participants)."
    ),
    "overbooked": gettext_lazy(
        "%(name)s has %(count)s sessions but only %(slots)s possible slots for them."
    ),
    "combined": gettext_lazy(
        "No schedule exists even when staffing minima, production peaks and rooms are relaxed "
        "one at a time; the participants' sessions, shifts and windows do not fit together. "
        "Widen the windows or split the sessions."
    ),
    "timeout": gettext_lazy(
        "The solver found no schedule within %(seconds)s seconds; it may still exist. Try "
        "again or widen the windows."
    ),
}


def describe(finding: Finding | dict[str, Any]) -> str:
    """The finding as a sentence in the current language."""
    if isinstance(finding, Finding):
        code, params = finding.code, dict(finding.params)
    else:
        code, params = finding["code"], dict(finding.get("params") or {})
    for key in ("day", "earliest", "latest"):
        if isinstance(params.get(key), str) and params[key]:
            params[key] = formats.date_format(datetime.date.fromisoformat(params[key]))
    if "part" in params and params["part"] in PART_LABELS:
        params["part"] = str(PART_LABELS[params["part"]]).lower()
    if code not in MESSAGES:
        return code
    try:
        return gettext(str(MESSAGES[code])) % params
    except (KeyError, TypeError, ValueError):
        return str(MESSAGES[code])


# --- the slots a session may take ---------------------------------------------------------------


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _window(problem: Problem, session: Session) -> list[datetime.date]:
    first = max(problem.start, session.earliest or problem.start)
    last = min(problem.end, session.latest or problem.end)
    return _days(first, last) if first <= last else []


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


@dataclass
class _Options:
    """Per session the slots its people can attend, and which of them lie in a peak."""

    slots: dict[int, list[Slot]]
    in_peak: dict[tuple[int, Slot], list[Peak]]
    rooms: dict[int, list[Room]]


def _peaks_by_session(problem: Problem) -> dict[int, list[Peak]]:
    found: dict[int, list[Peak]] = defaultdict(list)
    for session in problem.sessions:
        people = set(session.people)
        for peak in problem.peaks:
            if people & peak.member_ids:
                found[session.id].append(peak)
    return found


def _options(problem: Problem) -> tuple[_Options, list[Finding]]:
    """The slots and rooms each session can take, and the cheap findings of sessions that can
    take none."""
    findings: list[Finding] = []
    options = _Options(slots={}, in_peak={}, rooms={})
    peaks_of = _peaks_by_session(problem)
    rooms = sorted(problem.rooms, key=lambda room: (-room.capacity, room.name))
    for session in problem.sessions:
        name = {"session": session.title}
        people = [problem.people[pid] for pid in session.people if pid in problem.people]
        days = _window(problem, session)
        if session.minutes > SLOT_MINUTES:
            findings.append(
                Finding(
                    "too_long",
                    {
                        **name,
                        "hours": _hours(session.minutes),
                        "slot_hours": _hours(SLOT_MINUTES),
                    },
                    session.id,
                )
            )
            continue
        if not days:
            findings.append(
                Finding(
                    "window_empty",
                    {
                        **name,
                        "earliest": (session.earliest or problem.start).isoformat(),
                        "latest": (session.latest or problem.end).isoformat(),
                    },
                    session.id,
                )
            )
            continue
        trainer = problem.people.get(session.trainer_id) if session.trainer_id else None
        if trainer is not None and all(
            any(start <= day <= end for start, end in trainer.away) for day in days
        ):
            findings.append(
                Finding("trainer_unavailable", {**name, "trainer": trainer.name}, session.id)
            )
            continue
        short = next(
            (p for p in people if p.week_minutes - p.allowance_minutes < session.minutes),
            None,
        )
        if short is not None:
            findings.append(
                Finding(
                    "no_capacity",
                    {**name, "name": short.name, "hours": _hours(session.minutes)},
                    session.id,
                )
            )
            continue
        common = frozenset.intersection(*(p.works for p in people)) if people else frozenset()
        absent = [p for p in people if p.away or p.busy]
        slots = [
            (day, part)
            for day in days
            for part in PARTS
            if (day.weekday(), part) in common and all(p.works_on((day, part)) for p in absent)
        ]
        if not slots:
            findings.append(_no_common_slot(session, people, days))
            continue
        peaks = peaks_of.get(session.id, [])
        for slot in slots:
            hit = [peak for peak in peaks if peak.start <= slot[0] <= peak.end]
            if hit:
                options.in_peak[(session.id, slot)] = hit
        if all((session.id, slot) in options.in_peak for slot in slots):
            blocking = {
                (peak.unit, peak.start, peak.end)
                for slot in slots
                for peak in options.in_peak[(session.id, slot)]
            }
            findings.append(
                Finding(
                    "peak_blocks",
                    {
                        **name,
                        "peaks": ", ".join(
                            f"{unit} {formats.date_format(start)}-{formats.date_format(end)}"
                            for unit, start, end in sorted(blocking)
                        ),
                    },
                    session.id,
                )
            )
            continue
        count = len(session.participant_ids)
        if not rooms:
            findings.append(Finding("no_rooms", name, session.id))
            continue
        if session.room_id is not None:
            fitting = [room for room in rooms if room.id == session.room_id]
            if fitting and fitting[0].capacity < count:
                findings.append(
                    Finding(
                        "room_too_small",
                        {
                            **name,
                            "count": count,
                            "room": fitting[0].name,
                            "capacity": fitting[0].capacity,
                        },
                        session.id,
                    )
                )
                continue
        else:
            fitting = [room for room in rooms if room.capacity >= count]
            if not fitting:
                findings.append(
                    Finding(
                        "no_room_large_enough",
                        {
                            **name,
                            "count": count,
                            "room": rooms[0].name,
                            "capacity": rooms[0].capacity,
                        },
                        session.id,
                    )
                )
                continue
        options.slots[session.id] = slots
        options.rooms[session.id] = fitting
    return options, findings


def _no_common_slot(
    session: Session, people: Sequence[Person], days: Sequence[datetime.date]
) -> Finding:
    """Name the people who do not work the part most of the others work in the window."""
    counts: dict[str, int] = defaultdict(int)
    for part in PARTS:
        for person in people:
            if any(person.works_on((day, part)) for day in days):
                counts[part] += 1
    part = max(PARTS, key=lambda p: (counts[p], -PARTS.index(p)))
    missing = [
        person.name for person in people if not any(person.works_on((d, part)) for d in days)
    ]
    if not missing:
        # Everyone works that part on some day, but never all on the same day.
        missing = [person.name for person in people]
    shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
    return Finding(
        "no_common_slot",
        {"session": session.title, "part": part, "names": shown},
        session.id,
    )


# --- the model -------------------------------------------------------------------------------


@dataclass
class _Built:
    model: cp_model.CpModel
    y: dict[tuple[int, Slot], cp_model.IntVar]
    x: dict[tuple[int, Slot, int], cp_model.IntVar]
    over: dict[tuple[int, Slot], cp_model.IntVar]  # staffing shortfall, relaxed model
    staffing: dict[tuple[int, Slot], tuple[int, int]]  # (working - reserve, minimum)
    peak_vars: list[tuple[int, Slot, cp_model.IntVar]]
    stats: dict[str, int]


def _staffing_slots(problem: Problem) -> list[Slot]:
    return [(day, part) for day in _days(problem.start, problem.end) for part in PARTS]


def _build(problem: Problem, options: _Options, soft: str | None) -> _Built:
    model = cp_model.CpModel()
    sessions = [s for s in problem.sessions if s.id in options.slots]
    y: dict[tuple[int, Slot], Any] = {}
    x: dict[tuple[int, Slot, int], Any] = {}
    by_room_slot: dict[tuple[Slot, int], list[Any]] = defaultdict(list)
    peak_vars: list[tuple[int, Slot, Any]] = []
    penalties: list[Any] = []
    slots_of: dict[int, list[Slot]] = {}
    for session in sessions:
        slots = [
            slot
            for slot in options.slots[session.id]
            if soft == "peaks" or (session.id, slot) not in options.in_peak
        ]
        slots_of[session.id] = slots
        fitting = [room.id for room in options.rooms[session.id]]
        for slot in slots:
            rooms = [r for r in fitting if (r, slot[0], slot[1]) not in problem.room_busy]
            if soft == "rooms":
                rooms.append(OVERFLOW_ROOM)
            chosen = model.new_bool_var(f"y{session.id}_{slot[0].toordinal()}{slot[1][0]}")
            y[(session.id, slot)] = chosen
            if (session.id, slot) in options.in_peak:
                peak_vars.append((session.id, slot, chosen))
                penalties.append(chosen)
            if not rooms:  # every fitting room is taken by a published round
                model.add(chosen == 0)
                continue
            if len(rooms) == 1:
                x[(session.id, slot, rooms[0])] = chosen
                if rooms[0] == OVERFLOW_ROOM:
                    penalties.append(chosen)
                else:
                    by_room_slot[(slot, rooms[0])].append(chosen)
                continue
            here = []
            for room_id in rooms:
                placed = model.new_bool_var("")
                x[(session.id, slot, room_id)] = placed
                here.append(placed)
                if room_id == OVERFLOW_ROOM:
                    penalties.append(placed)
                else:
                    by_room_slot[(slot, room_id)].append(placed)
            model.add(sum(here) == chosen)
        model.add_exactly_one(y[(session.id, slot)] for slot in slots)
    for (_slot, room_id), in_room in by_room_slot.items():
        if room_id != OVERFLOW_ROOM and len(in_room) > 1:
            model.add_at_most_one(in_room)

    # Nobody in two sessions at once; nobody over his weekly hours.
    sessions_of: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        for pid in session.people:
            sessions_of[pid].append(session)
    overlap_constraints = 0
    for pid, mine in sessions_of.items():
        if len(mine) < 2:
            continue
        at: dict[Slot, list[Any]] = defaultdict(list)
        weeks: dict[tuple[int, int], list[tuple[int, Any]]] = defaultdict(list)
        for session in mine:
            for slot in slots_of[session.id]:
                at[slot].append(y[(session.id, slot)])
                weeks[slot[0].isocalendar()[:2]].append((session.minutes, y[(session.id, slot)]))
        for same_slot in at.values():
            if len(same_slot) > 1:
                model.add_at_most_one(same_slot)
                overlap_constraints += 1
        person = problem.people.get(pid)
        if person is not None:
            cap = person.week_minutes - person.allowance_minutes
            for terms in weeks.values():
                if sum(minutes for minutes, _ in terms) > cap:
                    model.add(sum(minutes * var for minutes, var in terms) <= cap)

    # Staffing minima, and the disruption cost of pulling people from their units.
    cost: dict[tuple[int, Slot], int] = defaultdict(int)
    over: dict[tuple[int, Slot], Any] = {}
    staffing: dict[tuple[int, Slot], tuple[int, int]] = {}
    minima_of: dict[int, list[Minimum]] = defaultdict(list)
    for minimum in problem.minima:
        for pid in minimum.member_ids:
            minima_of[pid].append(minimum)
    pulled: dict[int, dict[int, int]] = {}  # session -> minimum -> people of that unit in it
    for session in sessions:
        counts: dict[int, int] = defaultdict(int)
        for pid in session.people:
            for minimum in minima_of.get(pid, ()):
                counts[minimum.id] += 1
        pulled[session.id] = counts
        for slot in slots_of[session.id]:
            cost[(session.id, slot)] = UNIT_COST * len(session.people)
    touching: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        for minimum_id in pulled[session.id]:
            touching[minimum_id].append(session)
    staffing_constraints = 0
    for minimum in problem.minima:
        candidates = touching.get(minimum.id, [])
        if not candidates:
            continue
        members = [problem.people[pid] for pid in minimum.member_ids if pid in problem.people]
        for slot in _staffing_slots(problem):
            if minimum.part is not None and slot[1] != minimum.part:
                continue
            keyed = [(pulled[s.id][minimum.id], s.id) for s in candidates if (s.id, slot) in y]
            if not keyed:
                continue
            terms = [(k, y[(sid, slot)]) for k, sid in keyed]
            working = [p for p in members if p.works_on(slot)]
            reserve = math.ceil(
                sum(p.allowance_minutes / p.week_minutes for p in working if p.week_minutes) - 1e-9
            )
            available = len(working) - max(reserve, 0)
            bound = max(available - minimum.minimum, 0)
            staffing[(minimum.id, slot)] = (available, minimum.minimum)
            weight = DISRUPTION_WEIGHT // (bound + 1)
            for k, sid in keyed:
                cost[(sid, slot)] += k * weight
            if sum(k for k, _ in terms) <= bound:
                continue
            if soft == "staffing":
                short = model.new_int_var(0, sum(k for k, _ in terms), "")
                over[(minimum.id, slot)] = short
                penalties.append(short)
                model.add(sum(k * var for k, var in terms) <= bound + short)
            else:
                model.add(sum(k * var for k, var in terms) <= bound)
            staffing_constraints += 1

    # Spread: more than one session on a day for the same unit costs.
    by_unit_day: dict[tuple[int, datetime.date], list[Any]] = defaultdict(list)
    for session in sessions:
        units = {
            problem.people[pid].unit_id for pid in session.participant_ids if pid in problem.people
        }
        units.discard(None)
        for slot in slots_of[session.id]:
            for unit_id in units:
                by_unit_day[(unit_id, slot[0])].append(y[(session.id, slot)])  # type: ignore[index]
    excess = []
    for same_day in by_unit_day.values():
        if len(same_day) < 2:
            continue
        extra = model.new_int_var(0, len(same_day) - 1, "")
        model.add(sum(same_day) - 1 <= extra)
        excess.append(extra)

    if soft is None:
        model.minimize(
            sum(weight * y[key] for key, weight in cost.items() if weight)
            + SPREAD_WEIGHT * sum(excess)
        )
    else:
        model.minimize(sum(penalties))
    return _Built(
        model=model,
        y=y,
        x=x,
        over=over,
        staffing=staffing,
        peak_vars=peak_vars,
        stats={
            "sessions": len(sessions),
            "slot_variables": len(y),
            "room_variables": len(x),
            "overlap_constraints": overlap_constraints,
            "staffing_constraints": staffing_constraints,
            "spread_terms": len(excess),
        },
    )


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.started


def _solve(
    built: _Built, seconds: float, workers: int
) -> tuple[cp_model.CpSolver, Any, float | None]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = 7
    callback = _FirstSolution(time.perf_counter())
    status = solver.solve(built.model, callback)
    return solver, status, callback.first


_STATUS: dict[Any, str] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


def solve(problem: Problem, *, seconds: float | None = None, workers: int = 2) -> Result:
    """A schedule for `problem`, or the findings that say why there is none."""
    started = time.perf_counter()
    limit = time_limit() if seconds is None else seconds
    options, findings = _options(problem)
    if findings:
        return Result(
            status="infeasible",
            findings=findings,
            stats={"seconds": round(time.perf_counter() - started, 3), "checks": "sessions"},
        )
    built = _build(problem, options, soft=None)
    built_at = time.perf_counter()
    solver, status, first = _solve(built, max(limit - (built_at - started), 1.0), workers)
    stats: dict[str, Any] = {
        **built.stats,
        "build_seconds": round(built_at - started, 3),
        "solve_seconds": round(solver.wall_time, 3),
        "first_solution_seconds": round(first, 3) if first is not None else None,
        "seconds": round(time.perf_counter() - started, 3),
        "workers": workers,
        "time_limit": limit,
    }
    name = _STATUS.get(status, "unknown")
    if name in ("optimal", "feasible"):
        stats["bound"] = round(solver.best_objective_bound)
        return Result(
            status=name,
            placements=_placements(built, solver),
            objective=round(solver.objective_value),
            stats=stats,
        )
    if name == "unknown":
        return Result(
            status="unknown",
            findings=[Finding("timeout", {"seconds": f"{limit:g}"})],
            stats=stats,
        )
    stats["relaxed"] = []
    explained = _explain(problem, options, limit, workers, stats)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return Result(status="infeasible", findings=explained, stats=stats)


def _placements(built: _Built, solver: cp_model.CpSolver) -> list[Placement]:
    return [
        Placement(session_id=sid, day=slot[0], part=slot[1], room_id=room_id)
        for (sid, slot, room_id), var in built.x.items()
        if solver.boolean_value(var)
    ]


def _explain(
    problem: Problem, options: _Options, limit: float, workers: int, stats: dict[str, Any]
) -> list[Finding]:
    """Relax one constraint group at a time; the first group whose relaxation gives a schedule
    is the cause, and the penalties it needs say where."""
    titles = {session.id: session for session in problem.sessions}
    minima = {minimum.id: minimum for minimum in problem.minima}
    for group in GROUPS:
        built = _build(problem, options, soft=group)
        solver, status, _first = _solve(built, max(limit / 3, 1.0), workers)
        stats["relaxed"].append(group)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        found: list[Finding] = []
        if group == "staffing":
            for (minimum_id, slot), short in built.over.items():
                missing = solver.value(short)
                if missing <= 0:
                    continue
                minimum = minima[minimum_id]
                available, needed = built.staffing[(minimum_id, slot)]
                trained = sum(
                    len(set(titles[sid].people) & minimum.member_ids)
                    for (sid, when), var in built.y.items()
                    if when == slot and solver.boolean_value(var)
                )
                found.append(
                    Finding(
                        "staffing",
                        {
                            "unit": minimum.unit,
                            "part": slot[1],
                            "day": slot[0].isoformat(),
                            "present": max(available - trained, 0),
                            "minimum": needed,
                        },
                    )
                )
        elif group == "peaks":
            for sid, slot, var in built.peak_vars:
                if solver.boolean_value(var):
                    for peak in options.in_peak[(sid, slot)]:
                        found.append(
                            Finding(
                                "peak",
                                {
                                    "unit": peak.unit,
                                    "day": slot[0].isoformat(),
                                    "session": titles[sid].title,
                                },
                                sid,
                            )
                        )
        else:
            for (sid, slot, room_id), var in built.x.items():
                if room_id == OVERFLOW_ROOM and solver.boolean_value(var):
                    found.append(
                        Finding(
                            "rooms",
                            {
                                "day": slot[0].isoformat(),
                                "part": slot[1],
                                "session": titles[sid].title,
                                "count": len(titles[sid].participant_ids),
                            },
                            sid,
                        )
                    )
        if found:
            return sorted(found, key=lambda f: (f.params.get("day", ""), f.code))
    return _overbooked(problem, options) or [Finding("combined", {})]


def _overbooked(problem: Problem, options: _Options) -> list[Finding]:
    """People with more sessions than the slots those sessions could use together."""
    found = []
    mine: dict[int, list[Session]] = defaultdict(list)
    for session in problem.sessions:
        for pid in session.people:
            mine[pid].append(session)
    for pid, sessions in mine.items():
        slots: set[Slot] = set()
        for session in sessions:
            slots.update(options.slots.get(session.id, ()))
        if len(sessions) > len(slots):
            person = problem.people.get(pid)
            found.append(
                Finding(
                    "overbooked",
                    {
                        "name": person.name if person else str(pid),
                        "count": len(sessions),
                        "slots": len(slots),
                    },
                )
            )
    return found
