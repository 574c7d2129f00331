"""The training right per worker per year, each case computed by hand in the test."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.registration import selectors_rights
from leerplek.registration.models import ActivityStatus, Exclusion, ParticipationStatus
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_rights import followed, fte, part_time, pc200, years_of

pytestmark = pytest.mark.django_db

D = datetime.date


def right_of(cast: Cast, employee: object, year: int) -> selectors_rights.RightYear:
    detail = selectors_rights.right_detail(
        organisation=cast.organisation,
        employee=employee,
        year=year,  # type: ignore[arg-type]
    )
    return detail.right.years[year]


def test_a_full_timer_in_a_company_of_25_fte_has_five_days(cast: Cast) -> None:
    fte(cast, 2025, "25")
    ann = person(cast, "Ann")
    followed(cast, ann, "15.20", D(2025, 3, 10))  # 15.2 / 7.6 = 2 days

    right = right_of(cast, ann, 2025)

    assert (right.entitled, right.carried, right.followed, right.balance) == (
        Decimal("5.00"),
        Decimal("0.00"),
        Decimal("2.00"),
        Decimal("3.00"),
    )
    assert right.setting.fte_estimated is False


def test_a_half_timer_has_half_the_days(cast: Cast) -> None:
    fte(cast, 2025, "25")
    bea = person(cast, "Bea")
    part_time(bea, "0.5", D(2024, 1, 1))

    right = right_of(cast, bea, 2025)

    assert right.entitled == Decimal("2.50")  # 5 x 0.5
    assert right.regime == Decimal("0.5")


def test_a_hire_in_july_has_the_share_of_the_year(cast: Cast) -> None:
    fte(cast, 2025, "25")
    carl = person(cast, "Carl", hire_date=D(2025, 7, 1))

    right = right_of(cast, carl, 2025)

    # 1 July to 31 December = 184 of 365 days: 5 x 184 / 365 = 2.5205...
    assert right.entitled == Decimal("2.52")


def test_a_part_time_period_inside_the_year_is_weighted_by_its_days(cast: Cast) -> None:
    fte(cast, 2025, "25")
    dirk = person(cast, "Dirk")
    part_time(dirk, "0.8", D(2025, 1, 1), D(2025, 3, 31))  # 90 days at 0.8

    right = right_of(cast, dirk, 2025)

    # (275 + 90 x 0.8) / 365 x 5 = 347 / 365 x 5 = 4.7534...
    assert right.entitled == Decimal("4.75")


def test_a_company_under_10_fte_gives_no_right(cast: Cast) -> None:
    fte(cast, 2025, "9.5")
    eva = person(cast, "Eva")
    followed(cast, eva, "7.60", D(2025, 5, 5))

    right = right_of(cast, eva, 2025)

    assert (right.entitled, right.followed, right.balance) == (
        Decimal("0.00"),
        Decimal("1.00"),
        Decimal("0.00"),
    )


def test_a_company_of_15_fte_gives_one_day_pro_rata(cast: Cast) -> None:
    fte(cast, 2025, "15")
    fien = person(cast, "Fien")
    gert = person(cast, "Gert")
    part_time(gert, "0.5", D(2020, 1, 1))

    assert right_of(cast, fien, 2025).entitled == Decimal("1.00")
    assert right_of(cast, gert, 2025).entitled == Decimal("0.50")


def test_the_legal_right_does_not_carry_over(cast: Cast) -> None:
    years_of(cast, 2024, 2025, "25")
    hans = person(cast, "Hans")

    assert right_of(cast, hans, 2024).balance == Decimal("5.00")
    assert right_of(cast, hans, 2025).carried == Decimal("0.00")


def test_the_pc200_rule_carries_over_and_resets_after_five_years(cast: Cast) -> None:
    rule = pc200(cast)
    years_of(cast, 2024, 2029, "25", rule)
    iris = person(cast, "Iris")
    followed(cast, iris, "7.60", D(2024, 6, 1))  # 1 day
    followed(cast, iris, "22.80", D(2026, 6, 1))  # 3 days
    followed(cast, iris, "15.20", D(2028, 6, 1))  # 2 days

    detail = selectors_rights.right_detail(organisation=cast.organisation, employee=iris, year=2029)
    rows = {
        year: (row.entitled, row.carried, row.followed, row.balance)
        for year, row in detail.right.years.items()
        if year >= 2024  # 2022-23: legal days on the estimated FTE, no carry-over
    }

    # By hand: 2024: 3 - 1 = 2; 2025: 3 + 2 = 5; 2026: 4 + 5 - 3 = 6; 2027: 4 + 6 = 10;
    # 2028: 5 + 10 - 2 = 13; 2029 starts a new five-year period: 5, nothing carried.
    d = Decimal
    assert rows == {
        2024: (d("3.00"), d("0.00"), d("1.00"), d("2.00")),
        2025: (d("3.00"), d("2.00"), d("0.00"), d("5.00")),
        2026: (d("4.00"), d("5.00"), d("3.00"), d("6.00")),
        2027: (d("4.00"), d("6.00"), d("0.00"), d("10.00")),
        2028: (d("5.00"), d("10.00"), d("2.00"), d("13.00")),
        2029: (d("5.00"), d("0.00"), d("0.00"), d("5.00")),
    }
    assert [p.hours for p in detail.participations[2026]] == [Decimal("22.80")]


def test_a_rule_chosen_once_stays_in_use_in_later_years(cast: Cast) -> None:
    rule = pc200(cast)
    fte(cast, 2024, "25", rule)
    fte(cast, 2025, "25")  # a record without a rule: the legal days again
    jan = person(cast, "Jan")

    assert right_of(cast, jan, 2024).setting.rule == rule
    assert right_of(cast, jan, 2025).setting.rule is None
    assert right_of(cast, jan, 2025).entitled == Decimal("5.00")


def test_more_days_followed_than_the_right_do_not_carry_on(cast: Cast) -> None:
    rule = pc200(cast)
    years_of(cast, 2024, 2025, "25", rule)
    kim = person(cast, "Kim")
    followed(cast, kim, "38.00", D(2024, 3, 1))  # 5 days of a 3-day right

    assert right_of(cast, kim, 2024).balance == Decimal("0.00")
    assert right_of(cast, kim, 2025).carried == Decimal("0.00")


def test_only_counted_registrations_are_followed(cast: Cast) -> None:
    fte(cast, 2025, "25")
    lien = person(cast, "Lien")
    followed(cast, lien, "7.60", D(2025, 2, 1))
    followed(cast, lien, "7.60", D(2025, 2, 2), status=ParticipationStatus.PLANNED)
    followed(cast, lien, "7.60", D(2025, 2, 3), exclusion=Exclusion.BRAINSTORMING)
    activity(
        cast,
        title="Draft",
        on=D(2025, 2, 4),
        participants=[(lien, "7.60")],
    ).__class__.objects.filter(title="Draft").update(status=ActivityStatus.DRAFT)
    followed(cast, lien, "7.60", D(2025, 2, 5), counts_for_right=False)
    followed(cast, lien, "7.60", D(2024, 12, 31))  # another year

    assert right_of(cast, lien, 2025).followed == Decimal("1.00")


def test_the_fte_is_estimated_from_the_register_when_hr_gave_none(cast: Cast) -> None:
    # The cast holds 10 own staff (one per role) and Wout, all full-time since 2020.
    staff = selectors_rights.year_setting(cast.organisation, 2025)
    assert staff.fte_estimated is True
    assert staff.fte == Decimal(cast.organisation.employees.filter(person_type="employee").count())


def test_the_list_shows_every_worker_in_scope_with_totals(cast: Cast) -> None:
    fte(cast, 2025, "25")
    mia = person(cast, "Mia")
    followed(cast, mia, "38.00", D(2025, 3, 3))
    manager = cast.user(Role.MANAGER)
    access = load_access(manager, cast.organisation.pk)

    listing = selectors_rights.right_list(access=access, organisation=cast.organisation, year=2025)

    names = {row.employee.first_name for row in listing.rows}
    assert "Mia" in names
    assert "Wout" in names
    assert all(row.employee.unit.path.startswith(cast.production.path) for row in listing.rows)
    assert listing.below_count == listing.total_workers - 1  # Mia followed her five days


def test_the_rights_of_all_workers_take_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    rule = pc200(cast)
    years_of(cast, 2024, 2026, "25", rule)
    access = load_access(cast.user(Role.HR), cast.organisation.pk)
    for rounds in (1, 20):
        for number in range(rounds):
            worker = person(cast, f"W{rounds}-{number}")
            part_time(worker, "0.5", D(2025, 1, 1))
            followed(cast, worker, "3", D(2025, 4, 1), title=f"A{rounds}-{number}")
        with django_assert_max_num_queries(6):  # type: ignore[operator]
            listing = selectors_rights.right_list(
                access=access, organisation=cast.organisation, year=2026
            )
        assert listing.total_workers > rounds
