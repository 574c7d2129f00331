"""The scheduler core on small instances (no database): each rule holds in the schedule it
finds, the objective prefers quiet slots, and each kind of infeasibility is explained in words
naming the constraint, the unit and the day."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import formats, translation

from leerplek.registration import scheduler as core
from tests.registration.factories_schedule import day, people, problem, session, violations

FAST = 5.0  # seconds; the small cases are solved in well under a second


def solve(case: core.Problem) -> core.Result:
    return core.solve(case, seconds=FAST, workers=2)


def placed(result: core.Result) -> dict[int, core.Placement]:
    return {p.session_id: p for p in result.placements}


def text(result: core.Result) -> list[str]:
    with translation.override("en"):
        return [core.describe(finding) for finding in result.findings]


def long_date(d: datetime.date) -> str:
    with translation.override("en"):
        return formats.date_format(d)


NIGHTS = frozenset((weekday, core.NIGHT) for weekday in range(5))
LATES = frozenset((weekday, core.LATE) for weekday in range(5))


# --- a schedule that keeps every rule ----------------------------------------------------------


def test_a_mixed_case_keeps_every_rule() -> None:
    rng = random.Random(3)
    persons = {
        **people(range(1, 21), unit_id=1),
        **people(range(21, 41), unit_id=2, works=LATES),
        **people([90, 91], unit_id=None, works=core.DAY_SHIFT | LATES),
    }
    persons[5] = core.Person(5, "P5", 1, core.DAY_SHIFT, away=((day(0), day(1)),))
    persons[6] = core.Person(6, "P6", 1, core.DAY_SHIFT, allowance_minutes=8 * 60)
    sessions = []
    for sid in range(1, 13):
        pool = list(range(1, 21)) if sid % 2 else list(range(21, 41))
        sessions.append(
            session(
                sid,
                rng.sample(pool, rng.randint(3, 8)),
                trainer_id=90 if sid % 3 else 91,
                minutes=rng.choice((120, 240, 480)),
                earliest=day(rng.randint(0, 3)),
            )
        )
    case = problem(
        persons,
        sessions,
        rooms=[core.Room(1, "Zaal A", 8), core.Room(2, "Zaal B", 6)],
        days=12,
        peaks=[core.Peak(1, "Lijn 2", frozenset(range(21, 41)), day(7), day(8))],
        minima=[
            core.Minimum(1, "Lijn 1", frozenset(range(1, 21)), minimum=10),
            core.Minimum(2, "Lijn 2", frozenset(range(21, 41)), minimum=11, part=core.LATE),
        ],
    )
    result = solve(case)
    assert result.feasible, text(result)
    assert violations(case, result) == []
    assert result.objective is not None
    assert result.objective >= 0


def test_participants_of_the_late_shift_are_trained_in_the_late_part() -> None:
    case = problem(people([1, 2], works=LATES), [session(1, [1, 2])])
    result = solve(case)
    assert placed(result)[1].part == core.LATE


def test_a_session_waits_until_the_trainer_is_back() -> None:
    persons = people([1, 2])
    persons[9] = core.Person(9, "Trainer", None, core.DAY_SHIFT, away=((day(0), day(3)),))
    result = solve(problem(persons, [session(1, [1, 2], trainer_id=9)]))
    assert placed(result)[1].day == day(4)


def test_an_absent_participant_is_not_trained_that_day() -> None:
    persons = people([1, 2])
    persons[2] = core.Person(2, "P2", 1, core.DAY_SHIFT, away=((day(0), day(2)),))
    result = solve(problem(persons, [session(1, [1, 2], latest=day(3))]))
    assert placed(result)[1].day == day(3)


def test_nobody_is_in_two_sessions_at_once() -> None:
    case = problem(people([1, 2, 3]), [session(1, [1, 2]), session(2, [2, 3])], days=2)
    result = solve(case)
    assert {p.day for p in result.placements} == {day(0), day(1)}


def test_the_room_must_seat_the_participants() -> None:
    rooms = [core.Room(1, "Klein", 3), core.Room(2, "Groot", 12)]
    result = solve(problem(people(range(1, 6)), [session(1, range(1, 6))], rooms=rooms))
    assert placed(result)[1].room_id == 2


def test_a_required_room_is_used() -> None:
    rooms = [core.Room(1, "Zaal A", 20), core.Room(2, "Labo", 20)]
    result = solve(problem(people([1]), [session(1, [1], room_id=2)], rooms=rooms))
    assert placed(result)[1].room_id == 2


def test_one_room_holds_one_session_per_slot() -> None:
    case = problem(people([1, 2]), [session(1, [1]), session(2, [2])], days=2)
    result = solve(case)
    assert len({(p.day, p.part) for p in result.placements}) == 2


def test_no_training_during_a_production_peak() -> None:
    peak = core.Peak(1, "Verpakking", frozenset([1, 2]), day(0), day(3))
    result = solve(problem(people([1, 2]), [session(1, [1, 2])], peaks=[peak]))
    assert placed(result)[1].day == day(4)


def test_the_staffing_minimum_keeps_people_on_the_floor() -> None:
    unit = frozenset(range(1, 6))
    minimum = core.Minimum(1, "Lijn 1", unit, minimum=3)
    # Five work, at least three stay: two sessions of two people cannot share a slot.
    case = problem(
        people(range(1, 6)),
        [session(1, [1, 2]), session(2, [3, 4])],
        rooms=[core.Room(1, "A", 5), core.Room(2, "B", 5)],
        days=2,
        minima=[minimum],
    )
    result = solve(case)
    assert violations(case, result) == []
    assert len({p.day for p in result.placements}) == 2


def test_time_allowances_count_in_the_staffing_capacity() -> None:
    # Five people, each 8 of 40 hours peter/meter: one is off the floor on average, so four
    # are available; with a minimum of 3 only one may leave, and a session of two cannot.
    persons = people(range(1, 6), allowance_minutes=8 * 60)
    minimum = core.Minimum(1, "Lijn 1", frozenset(range(1, 6)), minimum=3)
    result = solve(problem(persons, [session(1, [1, 2])], minima=[minimum]))
    assert not result.feasible
    assert result.findings[0].code == "staffing"


def test_time_allowances_limit_the_training_hours_of_a_week() -> None:
    # 40 working hours less 35 of allowances leave 5: two sessions of 3 hours go in two weeks.
    persons = people([1], allowance_minutes=35 * 60)
    case = problem(persons, [session(1, [1]), session(2, [1])], days=12)
    result = solve(case)
    assert violations(case, result) == []
    weeks = {p.day.isocalendar()[1] for p in result.placements}
    assert len(weeks) == 2


def test_sessions_of_one_unit_are_spread_over_days() -> None:
    case = problem(
        people(range(1, 5)),
        [session(1, [1, 2]), session(2, [3, 4])],
        rooms=[core.Room(1, "A", 5), core.Room(2, "B", 5)],
        days=2,
    )
    result = solve(case)
    assert result.status == "optimal"
    assert len({p.day for p in result.placements}) == 2


def test_people_are_pulled_where_the_unit_has_most_slack() -> None:
    # One of the unit is away on Monday, so the unit is closest to its minimum then.
    persons = people(range(1, 7))
    persons[6] = core.Person(6, "P6", 1, core.DAY_SHIFT, away=((day(0), day(0)),))
    minimum = core.Minimum(1, "Lijn 1", frozenset(range(1, 7)), minimum=3)
    result = solve(problem(persons, [session(1, [1, 2])], days=2, minima=[minimum]))
    assert placed(result)[1].day == day(1)


# --- why there is no schedule -----------------------------------------------------------------


def test_window_outside_the_period() -> None:
    result = solve(problem(people([1]), [session(1, [1], earliest=day(10), latest=day(12))]))
    assert result.status == "infeasible"
    assert [f.code for f in result.findings] == ["window_empty"]
    assert "S1" in text(result)[0]


def test_trainer_unavailable_throughout() -> None:
    persons = people([1])
    persons[9] = core.Person(9, "Tina Trainer", None, away=((day(0), day(6)),))
    result = solve(problem(persons, [session(1, [1], trainer_id=9)]))
    assert [f.code for f in result.findings] == ["trainer_unavailable"]
    assert "Tina Trainer" in text(result)[0]


def test_no_common_working_slot_names_who_differs() -> None:
    persons = {**people([1, 2, 3]), **people([4], works=NIGHTS)}
    result = solve(problem(persons, [session(1, [1, 2, 3, 4])]))
    assert [f.code for f in result.findings] == ["no_common_slot"]
    message = text(result)[0]
    assert "P4" in message
    assert "early" in message
    assert "P1" not in message


def test_allowances_leave_no_time() -> None:
    result = solve(problem(people([1], allowance_minutes=39 * 60), [session(1, [1])]))
    assert [f.code for f in result.findings] == ["no_capacity"]
    assert "P1" in text(result)[0]


def test_every_day_blocked_by_a_peak() -> None:
    peak = core.Peak(1, "Verpakking", frozenset([1]), day(0), day(6))
    result = solve(problem(people([1]), [session(1, [1])], peaks=[peak]))
    assert [f.code for f in result.findings] == ["peak_blocks"]
    assert "Verpakking" in text(result)[0]


def test_no_room_large_enough() -> None:
    rooms = [core.Room(1, "Zaal A", 3)]
    result = solve(problem(people(range(1, 6)), [session(1, range(1, 6))], rooms=rooms))
    assert [f.code for f in result.findings] == ["no_room_large_enough"]
    assert "Zaal A" in text(result)[0]
    assert "5" in text(result)[0]


def test_required_room_too_small() -> None:
    rooms = [core.Room(1, "Labo", 2), core.Room(2, "Zaal", 20)]
    result = solve(problem(people(range(1, 4)), [session(1, range(1, 4), room_id=1)], rooms=rooms))
    assert [f.code for f in result.findings] == ["room_too_small"]
    assert "Labo" in text(result)[0]


def test_no_rooms_at_all() -> None:
    result = solve(problem(people([1]), [session(1, [1])], rooms=[]))
    assert [f.code for f in result.findings] == ["no_rooms"]


def test_staffing_minimum_names_unit_part_and_day() -> None:
    minimum = core.Minimum(7, "Lijn 1", frozenset(range(1, 6)), minimum=3)
    case = problem(
        people(range(1, 6)),
        [session(1, [1, 2]), session(2, [3, 4])],
        rooms=[core.Room(1, "A", 5), core.Room(2, "B", 5)],
        days=1,
        minima=[minimum],
    )
    result = solve(case)
    assert result.status == "infeasible"
    assert [f.code for f in result.findings] == ["staffing"]
    assert result.findings[0].params["unit"] == "Lijn 1"
    message = text(result)[0]
    assert "Lijn 1" in message
    assert "early" in message
    assert long_date(day(0)) in message
    assert "at least 3" in message
    assert "only 1" in message


def test_peak_names_unit_and_day() -> None:
    # Each session alone has Monday; both need Monday because Tuesday is in the peak.
    peak = core.Peak(1, "Verpakking", frozenset([1, 2, 3]), day(1), day(1))
    case = problem(
        people([1, 2, 3]), [session(1, [1, 2]), session(2, [2, 3])], days=2, peaks=[peak]
    )
    result = solve(case)
    assert result.status == "infeasible"
    assert {f.code for f in result.findings} == {"peak"}
    message = text(result)[0]
    assert "Verpakking" in message
    assert long_date(day(1)) in message


def test_rooms_name_the_day() -> None:
    case = problem(people([1, 2]), [session(1, [1]), session(2, [2])], days=1)
    result = solve(case)
    assert result.status == "infeasible"
    assert [f.code for f in result.findings] == ["rooms"]
    assert long_date(day(0)) in text(result)[0]


def test_too_many_sessions_for_one_person() -> None:
    case = problem(
        people([1, 2, 3, 4]),
        [session(1, [1, 2]), session(2, [1, 3]), session(3, [1, 4])],
        rooms=[core.Room(1, "A", 5), core.Room(2, "B", 5), core.Room(3, "C", 5)],
        days=2,
    )
    result = solve(case)
    assert result.status == "infeasible"
    assert [f.code for f in result.findings] == ["overbooked"]
    assert "P1" in text(result)[0]


@pytest.mark.parametrize("code", sorted(core.MESSAGES))
def test_every_message_renders(code: str) -> None:
    params = {
        "session": "S",
        "unit": "U",
        "day": "2026-03-02",
        "earliest": "2026-03-02",
        "latest": "2026-03-03",
        "part": "early",
        "names": "A",
        "name": "A",
        "trainer": "T",
        "hours": "3",
        "slot_hours": "8",
        "peaks": "U",
        "room": "R",
        "count": 3,
        "capacity": 2,
        "present": 1,
        "minimum": 2,
        "slots": 1,
        "seconds": "10",
    }
    with translation.override("en"):
        rendered = core.describe({"code": code, "params": params})
    assert "%(" not in rendered
