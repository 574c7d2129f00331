"""The training volume computed by hand in the test: hours, participants and net cost by unit,
gender, age band, person type and category; per employee; days per FTE; the chart's months;
scope, suppression for the consultation body and query bounds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Gender, PersonType
from leerplek.registration import selectors_volume
from leerplek.registration.models import Category, CostKind, Exclusion, ParticipationStatus
from leerplek.registration.selectors_volume import Period, VolumeRow
from tests.factories import Cast, make_unit
from tests.registration.factories import activity, person
from tests.registration.factories_rights import part_time

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period(start=D(2025, 1, 1), end=D(2025, 12, 31), year=2025)


def lab_world(cast: Cast, parent: Any = None) -> dict[str, Any]:
    """Ann (woman, 30) and an agency worker (22) in Lab A; Bart (man, 65, half-time from July)
    in Lab B; five activities of which two count."""
    lab = make_unit(cast.organisation, "Lab", parent=parent)
    lab_a = make_unit(cast.organisation, "Lab A", parent=lab)
    lab_b = make_unit(cast.organisation, "Lab B", parent=lab)
    ann = person(cast, "Ann", Gender.FEMALE, unit=lab_a, birth_date=D(1995, 6, 1))
    agent = person(
        cast, "Agent", person_type=PersonType.AGENCY, unit=lab_a, birth_date=D(2003, 3, 3)
    )
    bart = person(cast, "Bart", unit=lab_b, birth_date=D(1960, 1, 1))
    part_time(bart, "0.5", D(2025, 7, 1))
    activity(
        cast,
        title="Heftruck",
        on=D(2025, 3, 10),
        participants=[(ann, "8"), (bart, "4"), (agent, "4")],
        costs=[
            (CostKind.EXTERNAL, "1600"),
            (CostKind.SUBSIDY, "400"),
            (CostKind.TRAINEE_PAY, "100", ann),
        ],
    )
    activity(
        cast,
        title="Meelopen",
        category=Category.INFORMAL,
        on=D(2025, 6, 1),
        participants=[(ann, "2")],
        costs=[(CostKind.CONTRIBUTION, "50")],
    )
    activity(
        cast,
        title="Brainstorm",
        on=D(2025, 5, 5),
        participants=[(bart, "10")],
        exclusion=Exclusion.BRAINSTORMING,
    )
    activity(cast, title="Vorig jaar", on=D(2024, 12, 31), participants=[(ann, "5")])
    activity(
        cast,
        title="Gepland",
        on=D(2025, 9, 9),
        participants=[(bart, "3")],
        status=ParticipationStatus.PLANNED,
    )
    return {"lab": lab, "ann": ann, "bart": bart, "agent": agent}


def rows(volume: selectors_volume.Volume, key: str) -> dict[str, tuple[Any, ...]]:
    return {
        str(row.label): (row.participants, row.hours, row.net) for row in volume.breakdown(key).rows
    }


def test_the_volume_of_a_unit_computed_by_hand(cast: Cast) -> None:
    world = lab_world(cast)
    access = load_access(cast.user(Role.HR), cast.organisation.pk)

    volume = selectors_volume.volume(
        access=access, organisation=cast.organisation, period=YEAR, unit_path=world["lab"].path
    )

    d = Decimal
    # Heftruck: 16 h; the shared 1600 and 400 go 8/16 to Ann, 4/16 to Bart and the agent;
    # Ann's own 100. Ann 800 + 100 - 200 = 700, Bart 400 - 100 = 300, agent 300.
    # Meelopen: Ann 2 h and the 50 contribution. Brainstorm (excluded), last year's course
    # and the planned participation do not count.
    assert (volume.participants, volume.hours) == (3, d("18.00"))
    assert (volume.gross, volume.contributions, volume.subsidies, volume.net) == (
        d("1700.00"),
        d("50.00"),
        d("400.00"),
        d("1350.00"),
    )
    assert rows(volume, "category") == {
        "Formal": (3, d("16.00"), d("1300.00")),
        "Less formal or informal": (1, d("2.00"), d("50.00")),
    }
    assert rows(volume, "gender") == {
        "Man": (2, d("8.00"), d("600.00")),
        "Woman": (1, d("10.00"), d("750.00")),
    }
    assert rows(volume, "person_type") == {
        "Own employee": (2, d("14.00"), d("1050.00")),
        "Temporary agency worker": (1, d("4.00"), d("300.00")),
    }
    assert rows(volume, "age") == {
        "<25": (1, d("4.00"), d("300.00")),
        "25-34": (1, d("10.00"), d("750.00")),
        "55+": (1, d("4.00"), d("300.00")),
    }
    assert rows(volume, "unit") == {
        "Lab A": (2, d("14.00"), d("1050.00")),  # Ann 750 + agent 300
        "Lab B": (1, d("4.00"), d("300.00")),
    }
    # Own staff: Ann and Bart. FTE: (365 + 181 + 184 x 0.5) / 365 = 638 / 365 = 1.75.
    assert (volume.staff_headcount, volume.staff_fte) == (2, d("1.75"))
    assert (volume.hours_per_employee, volume.cost_per_employee) == (d("7.00"), d("525.00"))
    # 14 h / 7.6 / 1.75 = 1.0526 days per FTE, under the five-day target.
    assert (volume.days_per_fte, volume.target, volume.meets_target) == (d("1.05"), d("5"), False)
    months = {month.month.month: month.hours for month in volume.months}
    assert len(months) == 12
    assert (months[3], months[6], months[9]) == (d("16.00"), d("2.00"), d("0.00"))


def test_a_manager_counts_only_the_people_of_his_units(cast: Cast) -> None:
    lab_world(cast, parent=cast.production)
    outside = person(cast, "Olaf", unit=cast.office)
    activity(cast, title="Elders", on=D(2025, 4, 4), participants=[(outside, "6")])
    access = load_access(cast.user(Role.MANAGER), cast.organisation.pk)

    volume = selectors_volume.volume(access=access, organisation=cast.organisation, period=YEAR)

    assert (volume.participants, volume.hours) == (3, Decimal("18.00"))
    assert volume.aggregates_only is False


def test_a_period_that_is_not_a_year_has_a_pro_rata_target(cast: Cast) -> None:
    access = load_access(cast.user(Role.HR), cast.organisation.pk)
    half = Period(start=D(2025, 1, 1), end=D(2025, 7, 2))  # 183 days

    volume = selectors_volume.volume(access=access, organisation=cast.organisation, period=half)

    assert volume.target == Decimal("2.51")  # 5 x 183 / 365
    assert len(volume.months) == 7


def test_small_groups_are_hidden_with_their_complement() -> None:
    rows_in = [
        VolumeRow("a", "A", 1, Decimal("1"), Decimal("1")),
        VolumeRow("b", "B", 3, Decimal("3"), Decimal("3")),
        VolumeRow("c", "C", 9, Decimal("9"), Decimal("9")),
    ]

    shown = selectors_volume._suppress(rows_in, 5)

    # A (1) is too small; hiding B (3) too makes the hidden people 4, still under 5, so C goes.
    assert [row.participants for row in shown] == [None, None, None]
    more = selectors_volume._suppress(
        [
            VolumeRow("a", "A", 2, Decimal("1"), Decimal("1")),
            VolumeRow("b", "B", 6, Decimal("3"), Decimal("3")),
            VolumeRow("c", "C", 9, Decimal("9"), Decimal("9")),
        ],
        5,
    )
    assert [row.participants for row in more] == [None, None, 9]


def test_the_consultation_body_sees_aggregates_without_names(
    cast: Cast, client_for: Any, settings: Any
) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "MIN_GROUP_SIZE": 2}
    lab_world(cast)
    body = (
        client_for(cast.user(Role.CONSULTATION))
        .get(reverse("registration:volume"), {"year": 2025})
        .content.decode()
    )
    assert "Aggregates only. Groups of fewer than 2 people are hidden" in body
    assert "18.00" in body
    assert "Below their training right" not in body
    assert "Ann" not in body
    assert "Werker" not in body


def test_hr_sees_the_workers_below_their_right(cast: Cast, client_for: Any) -> None:
    lab_world(cast)
    body = (
        client_for(cast.user(Role.HR))
        .get(reverse("registration:volume"), {"year": 2025})
        .content.decode()
    )
    assert "Below their training right in 2025" in body
    assert "Werker Wout" in body
    assert '<svg class="vol-chart chart-wide"' in body


def test_a_half_given_period_is_refused_on_its_field(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).get(
        reverse("registration:volume"), {"start": "2025-01-01"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["end"] == [
        "Give both the first and the last day of the period, or neither."
    ]


def test_an_employee_may_not_see_the_volume(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.EMPLOYEE)).get(reverse("registration:volume"))
    assert response.status_code == 403


def test_the_page_keeps_its_query_count_as_registrations_grow(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    for rounds in (1, 25):
        people = [person(cast, f"V{rounds}-{n}", birth_date=D(1980, 1, 1)) for n in range(rounds)]
        for number in range(rounds):
            activity(
                cast,
                title=f"V{rounds}-{number}",
                on=D(2025, 1 + number % 12, 5),
                participants=[(someone, "2") for someone in people],
                costs=[(CostKind.EXTERNAL, "100"), (CostKind.TRAINEE_PAY, "10", people[0])],
            )
        with django_assert_max_num_queries(20):
            response = client.get(reverse("registration:volume"), {"year": 2025})
        assert response.status_code == 200
