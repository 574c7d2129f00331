"""Scheduling writes and the solver's input from the database: shift patterns through shift
units, work profiles and absences, peaks and minima over sub-units; computing and publishing a
round; refusals that name the field and write nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import UnitKind
from leerplek.registration import scheduler
from leerplek.registration import services_schedule as services
from leerplek.registration.models import (
    Category,
    Participation,
    ParticipationStatus,
    RoundStatus,
    ScheduledSession,
    ScheduleSession,
)
from tests.factories import Cast, make_unit
from tests.registration.factories import activity, person
from tests.registration.factories_schedule import day, db_round

pytestmark = pytest.mark.django_db

LATE_WEEK = [["late"]] * 5 + [[], []]


def fields_of(caught: Any) -> dict[str, list[str]]:
    return caught.value.message_dict


def test_a_shift_units_pattern_applies_to_its_people_and_a_profile_overrides_it(
    cast: Cast,
) -> None:
    hr = cast.user(Role.HR)
    late = make_unit(cast.organisation, "Late ploeg", parent=cast.production, kind=UnitKind.SHIFT)
    services.pattern_create(
        organisation=cast.organisation, by=hr, name="Laat", week=LATE_WEEK, shift=late
    )
    nights = services.pattern_create(
        organisation=cast.organisation, by=hr, name="Nacht", week=[["night"]] * 5 + [[], []]
    )
    lien = person(cast, "Lien", unit=make_unit(cast.organisation, "Team L", parent=late))
    nora = person(cast, "Nora", unit=late)
    services.work_profile_set(
        employee=nora,
        by=hr,
        pattern=nights,
        mentor_hours_per_week="4",
        community_hours_per_week="2",
    )
    services.unavailability_create(employee=lien, by=hr, start=day(1), end=day(2), reason="verlof")
    round = services.round_create(
        organisation=cast.organisation, by=hr, title="R", start=day(0), end=day(4)
    )
    problem = services.problem_for(round)
    assert problem.people[lien.pk].works == frozenset((d, "late") for d in range(5))
    assert problem.people[lien.pk].away == ((day(1), day(2)),)
    assert problem.people[nora.pk].works == frozenset((d, "night") for d in range(5))
    assert problem.people[nora.pk].allowance_minutes == 360
    assert problem.people[cast.worker.pk].works == scheduler.DAY_SHIFT  # type: ignore[union-attr]


def test_peaks_and_minima_cover_the_sub_units(cast: Cast) -> None:
    hr = cast.user(Role.HR)
    services.peak_create(
        organisation=cast.organisation, by=hr, unit=cast.production, start=day(1), end=day(1)
    )
    services.minimum_create(
        organisation=cast.organisation, by=hr, unit=cast.production, minimum=1, part="early"
    )
    office_person = person(cast, "Olga", unit=cast.office)
    round = services.round_create(
        organisation=cast.organisation, by=hr, title="R", start=day(0), end=day(4)
    )
    problem = services.problem_for(round)
    (peak,) = problem.peaks
    (minimum,) = problem.minima
    assert cast.worker.pk in peak.member_ids  # type: ignore[union-attr]  # packaging < production
    assert office_person.pk not in peak.member_ids
    assert minimum.member_ids == peak.member_ids
    assert minimum.part == "early"


def test_the_solver_input_takes_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    round = db_round(cast, sessions=1)
    with django_assert_max_num_queries(11):
        small = services.problem_for(round)
    more = db_round(cast, sessions=6)
    services.peak_create(
        organisation=cast.organisation,
        by=None,
        unit=cast.packaging,
        start=day(4),
        end=day(4),
    )
    services.minimum_create(organisation=cast.organisation, by=None, unit=cast.packaging, minimum=1)
    with django_assert_max_num_queries(11):
        large = services.problem_for(more)
    assert len(large.sessions) == 6 > len(small.sessions)


def test_computing_a_round_stores_the_schedule(cast: Cast) -> None:
    round = db_round(cast)
    result = services.round_solve(round=round, by=cast.user(Role.HR), seconds=5)
    assert result.feasible
    round.refresh_from_db()
    assert round.status == RoundStatus.SOLVED
    assert round.solver_status in ("optimal", "feasible")
    assert round.findings == []
    rows = list(ScheduledSession.objects.filter(session__round=round))
    assert len(rows) == 2
    assert all(row.day.weekday() < 5 and row.part == "early" for row in rows)
    # One room, one session per slot.
    assert len({(row.day, row.part) for row in rows}) == 2
    assert AuditEntry.objects.filter(action="registration.schedule_round_solved").count() == 1
    # Computing again replaces the rows.
    services.round_solve(round=round, by=None, seconds=5)
    assert ScheduledSession.objects.filter(session__round=round).count() == 2


def test_an_infeasible_round_keeps_the_reasons(cast: Cast) -> None:
    round = db_round(cast)
    services.peak_create(
        organisation=cast.organisation, by=None, unit=cast.packaging, start=day(0), end=day(4)
    )
    result = services.round_solve(round=round, by=None, seconds=5)
    assert not result.feasible
    round.refresh_from_db()
    assert round.status == RoundStatus.DRAFT
    assert {finding["code"] for finding in round.findings} == {"peak_blocks"}
    assert "Verpakking" in scheduler.describe(round.findings[0])
    assert not ScheduledSession.objects.filter(session__round=round).exists()


def test_publishing_reserves_the_participants_on_the_activity(cast: Cast) -> None:
    round = db_round(cast)
    course = ScheduleSession.objects.filter(round=round).first().activity  # type: ignore[union-attr]
    already = Participation.objects.create(
        activity=course, employee=cast.worker, hours=0, status=ParticipationStatus.PLANNED
    )
    services.round_solve(round=round, by=None, seconds=5)
    services.round_publish(round=round, by=cast.user(Role.HR))
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    assert round.published_at is not None
    rows = Participation.objects.filter(activity=course)
    assert rows.count() == 6
    assert {row.status for row in rows} == {ParticipationStatus.RESERVED}
    assert {row.hours for row in rows} == {Decimal("2.00")}
    already.refresh_from_db()
    assert already.status == ParticipationStatus.RESERVED
    assert AuditEntry.objects.filter(action="registration.schedule_round_published").exists()
    # A published round no longer changes.
    with pytest.raises(ValidationError) as caught:
        services.round_solve(round=round, by=None)
    assert "round" in fields_of(caught)
    with pytest.raises(ValidationError):
        services.session_create(
            round=round, by=None, title="X", hours="1", participants=[cast.worker]
        )


def test_a_round_is_published_only_after_computing(cast: Cast) -> None:
    round = db_round(cast)
    with pytest.raises(ValidationError) as caught:
        services.round_publish(round=round, by=None)
    assert fields_of(caught) == {"round": ["Compute a schedule before publishing the round."]}
    assert not Participation.objects.exists()


def test_computing_needs_sessions(cast: Cast) -> None:
    round = services.round_create(
        organisation=cast.organisation, by=None, title="Leeg", start=day(0), end=day(4)
    )
    with pytest.raises(ValidationError) as caught:
        services.round_solve(round=round, by=None)
    assert "round" in fields_of(caught)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours": "9"}, "hours"),
        ({"hours": "abc"}, "hours"),
        ({"hours": "0"}, "hours"),
        ({"participants": []}, "participants"),
        ({"title": ""}, "title"),
        ({"earliest": day(20), "latest": day(25)}, "earliest"),
        ({"earliest": day(3), "latest": day(1)}, "latest"),
    ],
)
def test_a_session_with_bad_input_is_refused(
    cast: Cast, changes: dict[str, Any], field: str
) -> None:
    round = services.round_create(
        organisation=cast.organisation, by=None, title="R", start=day(0), end=day(4)
    )
    values: dict[str, Any] = {"title": "Cursus", "hours": "2", "participants": [cast.worker]}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        services.session_create(round=round, by=None, **values)
    assert list(fields_of(caught)) == [field]
    assert not ScheduleSession.objects.exists()


def test_a_session_of_another_organisation_or_an_informal_activity_is_refused(cast: Cast) -> None:
    round = services.round_create(
        organisation=cast.organisation, by=None, title="R", start=day(0), end=day(4)
    )
    with pytest.raises(ValidationError) as caught:
        services.session_create(
            round=round, by=None, title="X", hours="1", participants=[cast.other_employee]
        )
    assert list(fields_of(caught)) == ["participants"]
    informal = activity(cast, category=Category.INFORMAL, informal_kind="coaching")
    with pytest.raises(ValidationError) as caught:
        services.session_create(
            round=round,
            by=None,
            title="X",
            hours="1",
            participants=[cast.worker],
            activity=informal,
        )
    assert list(fields_of(caught)) == ["activity"]
    with pytest.raises(ValidationError) as caught:
        services.session_create(
            round=round,
            by=None,
            title="X",
            hours="1",
            participants=[cast.worker],
            trainer=cast.worker,
        )
    assert list(fields_of(caught)) == ["trainer"]


def test_other_refusals_name_their_field(cast: Cast) -> None:
    org = cast.organisation
    with pytest.raises(ValidationError) as caught:
        services.round_create(organisation=org, by=None, title="R", start=day(4), end=day(0))
    assert list(fields_of(caught)) == ["end"]
    with pytest.raises(ValidationError) as caught:
        services.round_create(organisation=org, by=None, title="R", start=day(0), end=day(400))
    assert list(fields_of(caught)) == ["end"]
    services.room_create(organisation=org, by=None, name="Zaal", capacity=5)
    with pytest.raises(ValidationError) as caught:
        services.room_create(organisation=org, by=None, name="zaal", capacity=5)
    assert list(fields_of(caught)) == ["name"]
    with pytest.raises(ValidationError) as caught:
        services.room_create(organisation=org, by=None, name="Groot", capacity=0)
    assert list(fields_of(caught)) == ["capacity"]
    with pytest.raises(ValidationError) as caught:
        services.pattern_create(organisation=org, by=None, name="P", week=[["early"]])
    assert list(fields_of(caught)) == ["week"]
    with pytest.raises(ValidationError) as caught:
        services.pattern_create(
            organisation=org, by=None, name="P", week=LATE_WEEK, shift=cast.packaging
        )
    assert list(fields_of(caught)) == ["shift"]
    with pytest.raises(ValidationError) as caught:
        services.work_profile_set(employee=cast.worker, by=None, mentor_hours_per_week="-1")  # type: ignore[arg-type]
    assert list(fields_of(caught)) == ["mentor_hours_per_week"]
    with pytest.raises(ValidationError) as caught:
        services.minimum_create(organisation=org, by=None, unit=cast.packaging, minimum=-2)
    assert list(fields_of(caught)) == ["minimum"]
    with pytest.raises(ValidationError) as caught:
        services.peak_create(
            organisation=org,
            by=None,
            unit=cast.other_employee.unit,  # type: ignore[union-attr]
            start=day(0),
            end=day(1),
        )
    assert list(fields_of(caught)) == ["unit"]


def test_a_new_round_avoids_the_rooms_and_people_of_published_rounds(cast: Cast) -> None:
    first = db_round(cast, sessions=1)
    services.round_solve(round=first, by=None, seconds=5)
    services.round_publish(round=first, by=None)
    taken = ScheduledSession.objects.get(session__round=first)
    second = db_round(cast, sessions=1)
    # The same trainer and Wout again: not in the slot the published round holds.
    problem = services.problem_for(second)
    assert (taken.day, taken.part) in problem.people[cast.worker.pk].busy  # type: ignore[union-attr]
    assert (taken.room_id, taken.day, taken.part) in problem.room_busy
    services.round_solve(round=second, by=None, seconds=5)
    placed = ScheduledSession.objects.get(session__round=second)
    assert (placed.day, placed.part) != (taken.day, taken.part)
