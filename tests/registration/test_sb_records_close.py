"""The records behind each figure, the financial years, and closing and reopening a year."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.registration import selectors_sb, services_sb
from leerplek.registration.models import (
    Activity,
    Category,
    CostKind,
    CostLine,
    FinancialYear,
    YearStatus,
)
from leerplek.registration.services import cost_line_add
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_sb import acting, sb_world

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Financial years ---------------------------------------------------------------------------


def test_the_financial_year_follows_the_organisations_year_end(cast: Cast) -> None:
    org = cast.organisation
    period = selectors_sb.financial_year_for(org, D(2025, 7, 1))
    assert (period.year, period.start, period.end) == (2025, D(2025, 1, 1), D(2025, 12, 31))
    org.financial_year_end = "06-30"
    period = selectors_sb.financial_year_for(org, D(2025, 7, 1))
    assert (period.year, period.start, period.end) == (2026, D(2025, 7, 1), D(2026, 6, 30))
    assert selectors_sb.financial_year_for(org, D(2025, 6, 30)).year == 2025
    # A 29 February year end falls on the 28th in other years; nonsense means 31 December.
    org.financial_year_end = "02-29"
    assert selectors_sb.year_bounds(org, 2025) == (D(2024, 3, 1), D(2025, 2, 28))
    assert selectors_sb.year_bounds(org, 2024) == (D(2023, 3, 1), D(2024, 2, 29))
    org.financial_year_end = "13-45"
    assert selectors_sb.year_bounds(org, 2025) == (D(2025, 1, 1), D(2025, 12, 31))


def test_a_june_year_counts_the_activities_ending_in_it(cast: Cast) -> None:
    cast.organisation.financial_year_end = "06-30"
    cast.organisation.save()
    ann = person(cast, "Ann", "f")
    activity(cast, "Juli", on=D(2025, 7, 1), participants=[(ann, 3)])
    activity(cast, "Juni", on=D(2025, 6, 30), participants=[(ann, 5)])
    assert selectors_sb.social_balance(cast.organisation, 2026).by_code()["5812"] == Decimal("3.00")
    assert selectors_sb.social_balance(cast.organisation, 2025).by_code()["5812"] == Decimal("5.00")


def test_year_records_are_made_on_demand_once(cast: Cast) -> None:
    first = services_sb.financial_year_get_or_create(cast.organisation, 2025)
    again = services_sb.financial_year_get_or_create(cast.organisation, 2025)
    assert first.pk == again.pk
    assert (first.start_date, first.end_date, first.status) == (
        D(2025, 1, 1),
        D(2025, 12, 31),
        YearStatus.OPEN,
    )


def test_the_year_list_marks_closed_years(cast: Cast) -> None:
    activity(cast, "Oud", on=D(2022, 3, 1))
    year = services_sb.financial_year_get_or_create(cast.organisation, 2023)
    year.status = YearStatus.CLOSED
    year.save()
    choices = selectors_sb.year_choices(cast.organisation, D(2026, 12, 7))
    assert [c.year for c in choices] == [2026, 2025, 2024, 2023, 2022]
    assert [c.year for c in choices if c.closed] == [2023]


# --- The records behind a figure ----------------------------------------------------------------


def test_the_people_behind_a_figure_are_the_ones_counted(cast: Cast) -> None:
    sb_world(cast)
    records = selectors_sb.sb_records(cast.organisation, 2025, "5811")
    names = sorted(p.employee.first_name for p in records.page.object_list)
    # Ann twice (Heftruck, HACCP), Dina once: 2 people, 3 registrations, 19 hours.
    assert names == ["Ann", "Ann", "Dina"]
    assert (records.people, records.hours) == (2, Decimal("19.00"))
    informal_men = selectors_sb.sb_records(cast.organisation, 2025, "5822")
    assert sorted(p.employee.first_name for p in informal_men.page.object_list) == [
        "Bart",
        "Bart",
        "Xan",
    ]
    initial_men = selectors_sb.sb_records(cast.organisation, 2025, "5841")
    assert sorted(p.employee.first_name for p in initial_men.page.object_list) == [
        "Agent",
        "Appie",
    ]


@pytest.mark.parametrize(
    "code", ["58031", "58131", "58033", "58133", "5823", "5833", "5843", "5853"]
)
def test_the_shares_of_the_cost_lines_add_up_to_the_figure(cast: Cast, code: str) -> None:
    sb_world(cast)
    figure = selectors_sb.social_balance(cast.organisation, 2025).by_code()[code]
    records = selectors_sb.sb_records(cast.organisation, 2025, code)
    total = sum((row.share * row.sign for row in records.page.object_list), Decimal("0"))
    total += sum((row.share for row in records.contributions), Decimal("0"))
    assert total == figure


def test_the_contribution_figure_shows_the_company_contribution_and_its_share(cast: Cast) -> None:
    sb_world(cast)
    records = selectors_sb.sb_records(cast.organisation, 2025, "58132")
    assert [(row.line.kind, row.share) for row in records.page.object_list] == [
        (CostKind.CONTRIBUTION, Decimal("45.00"))
    ]
    assert [(row.contribution.amount, row.share) for row in records.contributions] == [
        (Decimal("1000.00"), Decimal("571.43"))
    ]
    assert records.contribution_basis == "headcount"


def test_a_cost_line_of_someone_who_does_not_count_is_not_behind_a_figure(cast: Cast) -> None:
    w = sb_world(cast)
    rows = selectors_sb.sb_records(cast.organisation, 2025, "58031").page.object_list
    assert all(row.line.employee_id != w.agent.pk for row in rows)
    assert all(row.line.activity.title != "Lasmachine" for row in rows)


def test_the_records_of_a_figure_are_paged_in_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    def grow(n: int) -> None:
        for i in range(n):
            people = [person(cast, f"G{i}-{k}") for k in range(2)]
            activity(
                cast,
                f"Groei {i}",
                on=D(2025, 2, 1 + i),
                participants=[(p, 3) for p in people],
                costs=[(CostKind.EXTERNAL, "30.00"), (CostKind.TRAVEL, "5.00", people[0])],
            )

    grow(2)
    for code in ("5801", "5803"):
        with django_assert_max_num_queries(8) as small:
            records = selectors_sb.sb_records(cast.organisation, 2025, code)
            list(records.page.object_list)
        grow(20)
        with django_assert_max_num_queries(len(small.captured_queries)):
            records = selectors_sb.sb_records(cast.organisation, 2025, code)
            rows = list(records.page.object_list)
        assert len(rows) == selectors_sb.RECORDS_PAGE_SIZE


def test_the_figures_keep_their_query_count_as_data_grows(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    sb_world(cast)
    with django_assert_max_num_queries(6) as small:
        selectors_sb.social_balance(cast.organisation, 2025, with_notes=True)
    for i in range(30):
        people = [person(cast, f"N{i}-{k}", "f" if k else "m") for k in range(3)]
        activity(
            cast,
            f"Extra {i}",
            category=[Category.FORMAL, Category.INFORMAL, Category.INITIAL][i % 3],
            on=D(2025, 3, 1 + i % 27),
            participants=[(p, 2 + k) for k, p in enumerate(people)],
            costs=[(CostKind.EXTERNAL, "99.99"), (CostKind.TRAINEE_PAY, "10.00", people[1])],
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        selectors_sb.social_balance(cast.organisation, 2025, with_notes=True)


# --- Closing and reopening ----------------------------------------------------------------------


def test_closing_freezes_the_24_figures_as_text(cast: Cast) -> None:
    sb_world(cast)
    hr = acting(cast, Role.HR)
    year = services_sb.financial_year_get_or_create(cast.organisation, 2025)
    services_sb.year_close(year=year, by=hr)
    year.refresh_from_db()
    assert year.is_closed
    assert year.closed_by == hr
    assert year.closed_at is not None
    assert len(year.figures) == 24
    assert year.figures["5801"] == "2"
    assert year.figures["5803"] == "1218.57"
    assert year.figures["5853"] == "1666.67"
    entry = AuditEntry.objects.get(action="registration.year_closed")
    assert entry.after["figures"]["5843"] == "3333.33"
    assert selectors_sb.is_closed_on(cast.organisation, D(2025, 1, 1))
    assert selectors_sb.is_closed_on(cast.organisation, D(2025, 12, 31))
    assert not selectors_sb.is_closed_on(cast.organisation, D(2026, 1, 1))


def test_a_closed_year_refuses_changes_to_its_records(cast: Cast) -> None:
    sb_world(cast)
    hr = acting(cast, Role.HR)
    services_sb.year_close(
        year=services_sb.financial_year_get_or_create(cast.organisation, 2025), by=hr
    )
    heftruck = Activity.objects.get(title="Heftruck")
    with pytest.raises(ValidationError) as caught:
        cost_line_add(activity=heftruck, by=hr, kind=CostKind.EXTERNAL, amount="10.00")
    assert "end_date" in caught.value.message_dict
    assert not CostLine.objects.filter(activity=heftruck, amount=Decimal("10.00")).exists()


def test_a_year_cannot_close_twice_nor_before_its_end(cast: Cast) -> None:
    hr = acting(cast, Role.HR)
    year = services_sb.financial_year_get_or_create(cast.organisation, 2025)
    services_sb.year_close(year=year, by=hr)
    with pytest.raises(ValidationError) as caught:
        services_sb.year_close(year=year, by=hr)
    assert caught.value.message_dict == {"status": ["This financial year is already closed."]}
    current = services_sb.financial_year_get_or_create(cast.organisation, 2026)
    with pytest.raises(ValidationError) as caught:
        services_sb.year_close(year=current, by=hr)
    assert caught.value.message_dict == {
        "status": ["A financial year can be closed once its last day has passed."]
    }
    current.refresh_from_db()
    assert not current.is_closed


def test_reopening_needs_a_reason_and_is_audited(cast: Cast) -> None:
    sb_world(cast)
    hr = acting(cast, Role.HR)
    year = services_sb.financial_year_get_or_create(cast.organisation, 2025)
    services_sb.year_close(year=year, by=hr)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            services_sb.year_reopen(year=year, by=hr, reason=reason)
        assert caught.value.message_dict == {
            "reason": [str(services_sb.ERROR_MESSAGES["reason_missing"])]
        }
    year.refresh_from_db()
    assert year.is_closed
    services_sb.year_reopen(year=year, by=hr, reason="Factuur Alimento vergeten")
    year.refresh_from_db()
    assert not year.is_closed
    assert year.closed_at is None
    entry = AuditEntry.objects.get(action="registration.year_reopened")
    assert entry.after["reason"] == "Factuur Alimento vergeten"
    assert entry.before["figures"]["5801"] == "2"
    with pytest.raises(ValidationError) as caught:
        services_sb.year_reopen(year=year, by=hr, reason="nog eens")
    assert list(caught.value.message_dict) == ["status"]


def test_only_hr_closes_and_reopens(cast: Cast) -> None:
    year = services_sb.financial_year_get_or_create(cast.organisation, 2025)
    for role in (Role.CONSULTATION, Role.MANAGER, Role.EMPLOYEE):
        with pytest.raises(PermissionDenied):
            services_sb.year_close(year=year, by=acting(cast, role))
    year.refresh_from_db()
    assert year.status == YearStatus.OPEN
    assert not AuditEntry.objects.filter(action="registration.year_closed").exists()


def test_the_staff_costs_are_validated_and_audited(cast: Cast) -> None:
    hr = acting(cast, Role.HR)
    year = services_sb.financial_year_get_or_create(cast.organisation, 2025)
    cases = [
        (("abc", "1"), "staff_cost_men", "not_number"),
        (("1", "1.234"), "staff_cost_women", "not_number"),
        (("-5", "1"), "staff_cost_men", "negative"),
        (("1000", ""), "staff_cost_women", "both"),
        (("", "1000"), "staff_cost_men", "both"),
    ]
    for (men, women), field, code in cases:
        with pytest.raises(ValidationError) as caught:
            services_sb.year_set_staff_costs(year=year, by=hr, men=men, women=women)
        assert caught.value.message_dict == {field: [str(services_sb.ERROR_MESSAGES[code])]}
    year.refresh_from_db()
    assert (year.staff_cost_men, year.staff_cost_women) == (None, None)
    services_sb.year_set_staff_costs(year=year, by=hr, men="310 000,50", women="99000")
    year.refresh_from_db()
    assert (year.staff_cost_men, year.staff_cost_women) == (
        Decimal("310000.50"),
        Decimal("99000.00"),
    )
    entry = AuditEntry.objects.get(action="registration.staff_costs_set")
    assert entry.after == {"staff_cost_men": "310000.50", "staff_cost_women": "99000.00"}
    services_sb.year_close(year=year, by=hr)
    with pytest.raises(ValidationError) as caught:
        services_sb.year_set_staff_costs(year=year, by=hr, men="1", women="1")
    assert list(caught.value.message_dict) == ["staff_cost_men"]


def test_closing_keeps_the_frozen_figures_when_the_records_change(cast: Cast) -> None:
    sb_world(cast)
    hr = acting(cast, Role.HR)
    year = services_sb.financial_year_get_or_create(cast.organisation, 2025)
    services_sb.year_close(year=year, by=hr)
    # A change that bypasses the services (a data fix in the database) is not hidden: the
    # frozen figures stay, and the page lists the codes that now differ (test_sb_views).
    CostLine.objects.create(
        activity=Activity.objects.get(title="Heftruck"), kind=CostKind.EXTERNAL, amount=100
    )
    assert FinancialYear.objects.get(pk=year.pk).figures["58031"] == "945.00"
    assert selectors_sb.social_balance(cast.organisation, 2025).by_code()["58031"] == Decimal(
        "995.00"
    )
