"""The training-right pages: the list and its scope, a worker's years, his own balance on his
phone, the settings and their refusals, the FLA export, paid educational leave, query counts."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.registration.models import EmployeeRegime, OrganisationRightYear, SectorRightRule
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_rights import followed, fte, part_time, pc200

pytestmark = pytest.mark.django_db

D = datetime.date


def url(name: str, *args: Any) -> str:
    return reverse(f"registration:{name}", args=args)


def test_hr_sees_every_worker_with_his_right(cast: Cast, client_for: Any) -> None:
    fte(cast, 2025, "25")
    nina = person(cast, "Nina", last_name="Noord")
    followed(cast, nina, "15.20", D(2025, 3, 3))
    body = client_for(cast.user(Role.HR)).get(url("rights"), {"year": 2025}).content.decode()
    assert "Noord Nina" in body
    assert "2.00" in body
    assert "3.00" in body
    assert "Werker Wout" in body
    assert "An estimate from the register" not in body


def test_the_page_says_when_the_company_size_is_an_estimate(cast: Cast, client_for: Any) -> None:
    body = client_for(cast.user(Role.HR)).get(url("rights"), {"year": 2025}).content.decode()
    assert "An estimate from the register" in body


def test_a_manager_sees_only_the_workers_of_his_units(cast: Cast, client_for: Any) -> None:
    person(cast, "Olga", last_name="Office", unit=cast.office)
    body = client_for(cast.user(Role.MANAGER)).get(url("rights")).content.decode()
    assert "Werker Wout" in body
    assert "Office Olga" not in body
    assert url("right-settings") not in body


def test_the_filter_shows_only_workers_below_their_right(cast: Cast, client_for: Any) -> None:
    fte(cast, 2025, "25")
    done = person(cast, "Pia", last_name="Klaar")
    followed(cast, done, "38", D(2025, 3, 3))
    client = client_for(cast.user(Role.HR))
    body = client.get(url("rights"), {"year": 2025, "below": "on"}).content.decode()
    assert "Werker Wout" in body
    assert "Klaar Pia" not in body


def test_an_employee_may_not_open_the_list_but_sees_his_own_right(
    cast: Cast, client_for: Any
) -> None:
    fte(cast, 2025, "25")
    me = cast.employees[Role.EMPLOYEE]
    followed(cast, me, "7.60", D(2025, 2, 2), title="Veilig werken")
    client = client_for(cast.user(Role.EMPLOYEE))
    assert client.get(url("rights")).status_code == 403
    assert client.get(url("right-detail", cast.worker.pk)).status_code == 403  # type: ignore[union-attr]
    body = client.get(url("my-right"), {"year": 2025}).content.decode()
    assert "4.00 days left" in body
    assert "Veilig werken" in body


def test_the_detail_shows_the_years_and_what_counted(cast: Cast, client_for: Any) -> None:
    rule = pc200(cast)
    for year in (2024, 2025):
        fte(cast, year, "25", rule)
    worker = cast.worker
    assert worker is not None
    followed(cast, worker, "7.60", D(2024, 5, 5), title="HACCP basis")
    body = (
        client_for(cast.user(Role.MANAGER))
        .get(url("right-detail", worker.pk), {"year": 2025})
        .content.decode()
    )
    assert "HACCP basis" in body
    assert "5.00 days left" in body  # 2025: 3 + 2 carried
    assert "PC 200 growth path" in body


def test_another_organisations_worker_does_not_exist_here(cast: Cast, client_for: Any) -> None:
    assert cast.other_employee is not None
    response = client_for(cast.user(Role.HR)).get(url("right-detail", cast.other_employee.pk))
    assert response.status_code == 404


def test_hr_adds_a_sector_rule(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).post(
        url("right-rule-create"),
        {
            "name": "PC 200",
            "joint_committee": "200",
            "valid_from_year": "2024",
            "days_under_10": "0",
            "days_10_to_19": "1",
            "days_20_plus": "5",
            "year_steps": "2024: 3\n2026: 4\n2028: 5",
            "carries_over": "on",
            "reset_years": "5",
            "reset_start_year": "2024",
        },
    )
    assert response.status_code == 302
    rule = SectorRightRule.objects.get()
    assert rule.year_steps == {"2024": "3.00", "2026": "4.00", "2028": "5.00"}
    assert AuditEntry.objects.filter(action="registration.right_rule_created").count() == 1


def test_a_reset_without_carry_over_is_refused_on_its_field(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).post(
        url("right-rule-create"),
        {
            "name": "PC 200",
            "joint_committee": "200",
            "valid_from_year": "2024",
            "days_under_10": "0",
            "days_10_to_19": "1",
            "days_20_plus": "5",
            "reset_years": "5",
            "reset_start_year": "2024",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["reset_years"] == [
        "A reset period only matters when unused days carry over; tick 'unused days carry "
        "over' or leave the reset period empty."
    ]
    assert not SectorRightRule.objects.exists()


def test_a_badly_written_step_is_refused(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).post(
        url("right-rule-create"),
        {
            "name": "X",
            "joint_committee": "200",
            "valid_from_year": "2024",
            "days_under_10": "0",
            "days_10_to_19": "1",
            "days_20_plus": "5",
            "year_steps": "2024 three",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["year_steps"] == [
        "Line 1: write a step as year: days, e.g. 2026: 4."
    ]


def test_hr_sets_the_fte_and_rule_of_a_year(cast: Cast, client_for: Any) -> None:
    rule = pc200(cast)
    client = client_for(cast.user(Role.HR))
    response = client.post(
        url("right-year-set"), {"year": "2025", "fte": "18.5", "rule": str(rule.pk)}
    )
    assert response.status_code == 302
    record = OrganisationRightYear.objects.get(year=2025)
    assert (record.fte, record.rule) == (Decimal("18.50"), rule)
    body = client.get(url("right-settings")).content.decode()
    assert "18.50" in body


def test_only_hr_manages_the_settings(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.MANAGER))
    assert client.get(url("right-settings")).status_code == 403
    assert client.post(url("right-year-set"), {"year": "2025"}).status_code == 403


def test_hr_records_a_part_time_period_and_an_overlap_is_refused(
    cast: Cast, client_for: Any
) -> None:
    worker = cast.worker
    assert worker is not None
    client = client_for(cast.user(Role.HR))
    first = client.post(
        url("right-regime-add", worker.pk), {"fraction": "0.5", "start": "2025-01-01"}
    )
    assert first.status_code == 302
    again = client.post(
        url("right-regime-add", worker.pk), {"fraction": "0.8", "start": "2025-06-01"}
    )
    assert again.status_code == 422
    assert "overlaps the work regime from 2025-01-01" in again.context["form"].errors["start"][0]
    assert EmployeeRegime.objects.count() == 1
    regime = EmployeeRegime.objects.get()
    assert client.post(url("right-regime-remove", regime.pk)).status_code == 302
    assert not EmployeeRegime.objects.exists()


def test_the_fla_export_holds_the_fields_of_the_account(cast: Cast, client_for: Any) -> None:
    fte(cast, 2025, "25")
    rosa = person(cast, "Rosa", last_name="Aerts", birth_date=D(1990, 4, 2))
    part_time(rosa, "0.5", D(2025, 1, 1))
    followed(cast, rosa, "7.60", D(2025, 4, 4), title="Excel")
    client = client_for(cast.user(Role.HR))
    response = client.get(url("right-export"), {"year": 2025, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    workers = list(book["Workers"].values)
    assert workers[0][:5] == ("Last name", "First name", "Birth date", "INSZ/NISS", "Work regime")
    row = next(line for line in workers if line[0] == "Aerts")
    assert row[4] == 0.5
    assert row[8] == 2.5
    assert row[10] == 1
    assert row[11] == 1.5
    trainings = list(book["Trainings"].values)
    assert trainings[1][:4] == ("Aerts", "Rosa", "Excel", 7.6)
    assert trainings[1][6:] == ("completed", "formal", "no", "yes")
    flat = client.get(url("right-export"), {"year": 2025, "format": "csv"}).content.decode()
    lines = list(csv.reader(io.StringIO(flat), delimiter=";"))
    assert any(line[0] == "Aerts" and line[12] == "Excel" for line in lines)


def test_paid_educational_leave_is_listed_per_employee(cast: Cast, client_for: Any) -> None:
    worker = cast.worker
    assert worker is not None
    course = activity(
        cast,
        title="Bachelor avondschool",
        on=D(2025, 2, 1),
        participants=[(worker, "32")],
        is_educational_leave=True,
        counts_for_right=False,
    )
    course.participations.update(outside_working_hours=Decimal("12.50"))
    body = (
        client_for(cast.user(Role.MANAGER))
        .get(url("educational-leave"), {"year": 2025})
        .content.decode()
    )
    assert "Bachelor avondschool" in body
    assert "32.00" in body
    assert "12.50" in body


def test_the_list_keeps_its_query_count_as_workers_grow(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    fte(cast, 2025, "25")
    client = client_for(cast.user(Role.HR))
    for rounds in (1, 30):
        for number in range(rounds):
            worker = person(cast, f"G{rounds}-{number}")
            followed(cast, worker, "3", D(2025, 4, 1), title=f"G{rounds}-{number}")
        with django_assert_max_num_queries(16):
            assert client.get(url("rights"), {"year": 2025}).status_code == 200
        with django_assert_max_num_queries(16):
            assert client.get(url("right-export"), {"year": 2025}).status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get(url("educational-leave"), {"year": 2025}).status_code == 200
