"""The session scheduler benchmark (issue #7, PLAN-02): 200 sessions x 1,000 participants.

`scheduler_case()` builds the instance in memory as the scheduler core's plain dataclasses (no
database), solves it with the round's time limit on 2 workers and returns (seconds, feasible,
objective). `scheduler_row()` gives the same measurement as a `run.py` row: the full solve
against the time to the first feasible schedule of the same model.

The instance (seeded, the same on every run): eight weeks; 20 production units of 50 people
(ten on the early shift, six late, four nights, Monday to Friday), 25 trainers (one week away
each), some people with peter/meter or CoP hours and a few days off; 200 sessions of 2 to 8
hours with 8 to 20 participants from one unit (a third with a few from a sister unit of the same
shift), windows of two to four weeks; 10 rooms of 12 to 30 seats; 6 production peaks of three to
five days; a staffing minimum on every unit (its headcount less 24).

Run it alone: `python -m benchmarks.schedule`.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

START = datetime.date(2026, 3, 2)  # a Monday
WEEKS = 8
UNITS = 20
PEOPLE_PER_UNIT = 50
TRAINERS = 25
SESSIONS = 200
TIME_LIMIT_S = 10.0
GOAL_S = 10.0


def _part_of_unit(unit: int) -> str:
    return "early" if unit < 10 else "late" if unit < 16 else "night"


def build_problem(seed: int = 7) -> Any:
    """The benchmark instance as a `scheduler.Problem`."""
    from leerplek.registration import scheduler as core

    rng = random.Random(seed)
    end = START + datetime.timedelta(weeks=WEEKS, days=-3)  # the last Friday
    people: dict[int, core.Person] = {}
    members: dict[int, list[int]] = {}
    pid = 0
    for unit in range(UNITS):
        part = _part_of_unit(unit)
        works = frozenset((weekday, part) for weekday in range(5))
        members[unit] = []
        for _ in range(PEOPLE_PER_UNIT):
            pid += 1
            roll = rng.random()
            allowance = 240 if roll < 0.10 else 480 if roll < 0.15 else 0
            away: tuple[tuple[datetime.date, datetime.date], ...] = ()
            if rng.random() < 0.05:
                first = START + datetime.timedelta(days=rng.randrange(WEEKS * 7 - 3))
                away = ((first, first + datetime.timedelta(days=rng.randrange(3))),)
            people[pid] = core.Person(
                id=pid,
                name=f"Person {pid}",
                unit_id=unit + 1,
                works=works,
                away=away,
                allowance_minutes=allowance,
            )
            members[unit].append(pid)
    trainers: dict[str, list[int]] = {"early": [], "late": [], "night": []}
    for n in range(TRAINERS):
        tid = 10_000 + n
        part = "early" if n < 12 else "late" if n < 20 else "night"
        week = rng.randrange(WEEKS)
        first = START + datetime.timedelta(weeks=week)
        people[tid] = core.Person(
            id=tid,
            name=f"Trainer {n + 1}",
            unit_id=None,
            works=frozenset((weekday, part) for weekday in range(5)),
            away=((first, first + datetime.timedelta(days=4)),),
        )
        trainers[part].append(tid)
    sessions = []
    for sid in range(1, SESSIONS + 1):
        unit = rng.randrange(UNITS)
        part = _part_of_unit(unit)
        size = rng.randint(8, 20)
        chosen = rng.sample(members[unit], size)
        if rng.random() < 0.33:
            sisters = [u for u in range(UNITS) if u != unit and _part_of_unit(u) == part]
            chosen += rng.sample(members[rng.choice(sisters)], rng.randint(1, 3))
            chosen = chosen[:20]
        first_week = rng.randrange(WEEKS - 2)
        earliest = START + datetime.timedelta(weeks=first_week)
        latest = min(end, earliest + datetime.timedelta(weeks=rng.randint(2, 4), days=-3))
        sessions.append(
            core.Session(
                id=sid,
                title=f"Session {sid}",
                minutes=rng.choice((120, 240, 240, 360, 480)),
                participant_ids=tuple(chosen),
                trainer_id=rng.choice(trainers[part]),
                earliest=earliest,
                latest=latest,
            )
        )
    rooms = [
        core.Room(id=n + 1, name=f"Room {n + 1}", capacity=capacity)
        for n, capacity in enumerate((12, 16, 16, 20, 20, 20, 24, 24, 30, 30))
    ]
    peaks = []
    for n in range(6):
        unit = rng.randrange(UNITS)
        first = START + datetime.timedelta(days=rng.randrange(WEEKS * 7 - 7))
        peaks.append(
            core.Peak(
                id=n + 1,
                unit=f"Unit {unit + 1}",
                member_ids=frozenset(members[unit]),
                start=first,
                end=first + datetime.timedelta(days=rng.randint(2, 4)),
            )
        )
    minima = [
        core.Minimum(
            id=unit + 1,
            unit=f"Unit {unit + 1}",
            member_ids=frozenset(members[unit]),
            minimum=PEOPLE_PER_UNIT - 24,
        )
        for unit in range(UNITS)
    ]
    return core.Problem(
        start=START,
        end=end,
        people=people,
        rooms=rooms,
        sessions=sessions,
        peaks=peaks,
        minima=minima,
    )


def scheduler_case(
    seconds: float = TIME_LIMIT_S, workers: int = 2
) -> tuple[float, bool, int | None]:
    """Build and solve the instance: (wall seconds, feasible, objective)."""
    from leerplek.registration import scheduler as core

    started = time.perf_counter()
    problem = build_problem()
    result = core.solve(problem, seconds=seconds, workers=workers)
    return time.perf_counter() - started, result.feasible, result.objective


def scheduler_row(warmup: int = 0, runs: int = 3) -> dict[str, Any]:
    """A `run.py` row: the median full solve (build included) against the median time to the
    first feasible schedule."""
    import statistics

    from leerplek.registration import scheduler as core

    totals: list[float] = []
    firsts: list[float] = []
    stats: dict[str, Any] = {}
    for n in range(warmup + runs):
        started = time.perf_counter()
        result = core.solve(build_problem(), seconds=TIME_LIMIT_S, workers=2)
        total = time.perf_counter() - started
        if n >= warmup:
            totals.append(total * 1000)
            firsts.append(
                (result.stats.get("first_solution_seconds") or 0) * 1000
                + result.stats.get("build_seconds", 0) * 1000
            )
            stats = result.stats
    median = statistics.median(totals)
    floor = statistics.median(firsts)
    return {
        "name": "scheduler: 200 sessions x 1,000 participants (first feasible as floor)",
        "url": "-",
        "rows": stats.get("sessions", 0),
        "queries": 0,
        "median_ms": round(median, 1),
        "p95_ms": round(max(totals), 1),
        "floor_ms": round(floor, 1),
        "floor_queries": 0,
        "overhead_ms": 0.0,
        "ratio": round(median / floor, 2) if floor else 0.0,
    }


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerplek.settings")
    django.setup()
    from leerplek.registration import scheduler as core

    started = time.perf_counter()
    result = core.solve(build_problem(), seconds=TIME_LIMIT_S, workers=2)
    total = time.perf_counter() - started
    print(f"status {result.status}, objective {result.objective}, {total:.2f} s")
    print(result.stats)
    for finding in result.findings[:10]:
        print(core.describe(finding))
