"""The XLSX import of registrations: a good file becomes activities with participants and cost
lines; a file with errors in several rows lists each with its row and column, and writes nothing;
the services' own rules (employment, duration, closed year) refuse the whole file too."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import PersonType
from leerplek.registration import imports_activities
from leerplek.registration.imports_activities import activities_import
from leerplek.registration.models import (
    Activity,
    CostLine,
    ExtraField,
    FinancialYear,
    Participation,
    Source,
    YearStatus,
)
from tests.factories import Cast
from tests.registration.factories import person
from tests.registration.factories_activities import hr, workbook

pytestmark = pytest.mark.django_db


def people(cast: Cast) -> tuple[Any, Any, Any]:
    anna = person(cast, "Anna", employee_number="1001", email="anna@example.be")
    bert = person(cast, "Bert", employee_number="1002")
    temp = person(cast, "Tijl", employee_number="1003", person_type=PersonType.AGENCY)
    return anna, bert, temp


GOOD = [
    # Two rows of one activity, then an informal one.
    [
        "Heftruck veilig besturen",
        "formal",
        "",
        "external",
        "Opleidingsfonds Voeding",
        datetime.date(2025, 3, 10),
        datetime.date(2025, 3, 11),
        16,
        "1001",
        16,
        "completed",
        450,
        "225,50",
    ],
    [
        "Heftruck veilig besturen",
        "Formeel",
        "",
        "extern",
        "Opleidingsfonds Voeding",
        "10/03/2025",
        "2025-03-11",
        "16",
        "1002",
        "12.5",
        "",
        "450.00",
        "",
    ],
    [
        "Meedraaien mengketel",
        "informal",
        "on_the_job",
        "",
        "",
        "2025-04-01",
        "",
        "",
        "1003",
        "7.60",
        "completed",
        "",
        "",
    ],
]


def run(cast: Cast, content: bytes, name: str = "export.xlsx") -> imports_activities.ImportResult:
    return activities_import(
        organisation=cast.organisation, by=hr(cast), name=name, content=content
    )


def test_a_good_file_groups_rows_into_activities_with_participants_and_costs(cast: Cast) -> None:
    anna, bert, temp = people(cast)

    result = run(cast, workbook(GOOD))

    assert result.problems == []
    assert (result.activities, result.participations, result.cost_lines) == (2, 3, 3)
    forklift = Activity.objects.get(title="Heftruck veilig besturen")
    assert forklift.source == Source.IMPORT
    assert forklift.organiser_kind == "external"
    assert forklift.duration_hours == Decimal("16.00")
    assert forklift.created_by == cast.user(Role.HR)
    assert {(p.employee, p.hours) for p in forklift.participations.all()} == {
        (anna, Decimal("16.00")),
        (bert, Decimal("12.50")),
    }
    assert sorted(
        (line.kind, line.amount, line.employee_id)
        for line in CostLine.objects.filter(activity=forklift)
    ) == sorted(
        [
            ("external", Decimal("450.00"), anna.pk),
            ("external", Decimal("450.00"), bert.pk),
            ("subsidy", Decimal("225.50"), anna.pk),
        ]
    )
    informal = Activity.objects.get(title="Meedraaien mengketel")
    assert informal.end_date == informal.start_date == datetime.date(2025, 4, 1)
    # The agency worker is registered (the social balance leaves him out, not the import).
    assert informal.participations.get().employee == temp
    summary = AuditEntry.objects.get(action="registration.activities_imported")
    assert summary.after == {
        "file": "export.xlsx",
        "rows": 3,
        "activities": 2,
        "participations": 3,
        "cost_lines": 3,
    }


def test_errors_in_several_rows_are_all_listed_and_nothing_is_written(cast: Cast) -> None:
    people(cast)
    rows = [list(row) for row in GOOD]
    rows[0][9] = "-2"  # hours, row 2
    rows[1][1] = "informal"  # category differs from row 2, row 3
    rows[2][2] = ""  # informal_kind missing: the service refuses, row 4 ... but first:
    rows[2][8] = "9999"  # unknown person, row 4
    rows.append(["", "formal", "", "", "", "31/02/2025", "", "", "1001", "x", "", "-5", ""])

    result = run(cast, workbook(rows))

    found = {(problem.row, problem.column) for problem in result.problems}
    assert found >= {
        (2, "hours"),
        (3, "category"),
        (4, "employee_number"),
        (5, "title"),
        (5, "start_date"),
        (5, "hours"),
        (5, "external_cost"),
    }
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert messages[(4, "employee_number")] == (
        "No person with employee_number 9999 in this organisation."
    )
    assert "Row 2 of the same activity" in messages[(3, "category")]
    assert next(problem.letter for problem in result.problems if problem.column == "hours") == "J"
    assert not Activity.objects.exists()
    assert not Participation.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="registration.").exists()


def test_the_services_rules_refuse_the_whole_file_with_row_and_column(cast: Cast) -> None:
    anna, _bert, _temp = people(cast)
    person(cast, "Nieuw", employee_number="2001", hire_date=datetime.date(2025, 6, 1))
    rows = [list(row) for row in GOOD]
    rows[1][9] = "20"  # above the duration of 16 hours: row 3
    rows[2][2] = ""  # an informal activity without its kind: row 4
    rows.append(
        ["Hygiëne", "formal", "", "", "", "2025-05-05", "", "", "2001", "2", "", "", ""]
    )  # not yet employed: row 5

    result = run(cast, workbook(rows))

    messages = {(p.row, p.column): p.message for p in result.problems}
    assert messages[(3, "hours")] == "At most 16.00 hours: the duration of the activity."
    assert messages[(4, "informal_kind")] == "Choose the kind of informal learning."
    assert "was not employed between 05/05/2025 and 05/05/2025" in messages[(5, "employee_number")]
    # Row 2 was fine and written inside the transaction: rolled back with the rest.
    assert not Activity.objects.exists()
    assert not Participation.objects.filter(employee=anna).exists()


def test_an_activity_in_a_closed_year_is_refused(cast: Cast) -> None:
    people(cast)
    FinancialYear.objects.create(
        organisation=cast.organisation,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        status=YearStatus.CLOSED,
    )

    result = run(cast, workbook(GOOD[:1]))

    [problem] = result.problems
    assert (problem.row, problem.column) == (2, "end_date")
    assert "is closed for the social balance" in problem.message
    assert not Activity.objects.exists()


def test_the_same_file_twice_is_refused_the_second_time(cast: Cast) -> None:
    people(cast)
    assert run(cast, workbook(GOOD)).ok

    again = run(cast, workbook(GOOD))

    assert {(p.row, p.column) for p in again.problems} == {(2, "title"), (4, "title")}
    assert Activity.objects.count() == 2
    assert Participation.objects.count() == 3


def test_header_problems_and_unreadable_files(cast: Cast) -> None:
    people(cast)
    header = ["title", "category", "hours", "whatever", "hours"]
    result = run(cast, workbook([["A", "formal", "1", "", "2"]], header=header))
    messages = [p.message for p in result.problems]
    assert 'Unknown column "whatever".' in messages[0]
    assert "The column hours appears twice. Delete one of them." in messages
    assert "The column start_date is missing. Add it, as in the template." in messages
    assert any("employee_number or email" in message for message in messages)

    [problem] = run(cast, b"name;hours\n", name="export.csv").problems
    assert problem.message.startswith("Upload an Excel workbook (.xlsx)")
    [problem] = run(cast, b"PK not really a zip", name="export.xlsx").problems
    assert problem.row == 0
    assert not Activity.objects.exists()


def test_too_many_rows_are_refused(cast: Cast, settings: Any) -> None:
    people(cast)
    settings.LEERPLEK = {**settings.LEERPLEK, "IMPORT_MAX_ROWS": 2}

    result = run(cast, workbook(GOOD))

    assert any("more than 2 rows" in p.message for p in result.problems)
    assert not Activity.objects.exists()


def test_email_identifies_a_person_and_extra_fields_are_columns(cast: Cast) -> None:
    people(cast)
    ExtraField.objects.create(
        organisation=cast.organisation,
        key="budget_code",
        label="Budget code",
        kind="choice",
        choices="A1\nB2",
        required=True,
    )
    header = ["title", "category", "start_date", "email", "hours", "Budget code"]
    bad = run(
        cast, workbook([["Cursus", "formal", "2025-02-02", "anna@example.be", "3", "Z9"]], header)
    )
    assert [(p.row, p.column, p.message) for p in bad.problems] == [
        (2, "extra_budget_code", "Choose Budget code from the list.")
    ]

    good = run(
        cast, workbook([["Cursus", "formal", "2025-02-02", "ANNA@example.be", "3", "B2"]], header)
    )

    assert good.ok
    assert Activity.objects.get().extra == {"budget_code": "B2"}


def test_only_hr_may_import(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        activities_import(
            organisation=cast.organisation,
            by=hr(cast, Role.MANAGER),
            name="x.xlsx",
            content=workbook(GOOD),
        )


def test_the_template_has_the_columns_an_example_and_a_help_sheet(cast: Cast) -> None:
    ExtraField.objects.create(organisation=cast.organisation, key="fund_file", label="Fund file")

    content = imports_activities.template_workbook(organisation=cast.organisation)

    book = load_workbook(io.BytesIO(content))
    data, help_sheet = book.worksheets
    header = [cell.value for cell in data[1]]
    assert header[:3] == ["title", "category", "informal_kind"]
    assert header[-1] == "fund_file"
    assert data[2][0].value == "Heftruck veilig besturen"
    assert help_sheet.max_row > len(header)


def test_the_template_imports_once_its_person_exists(cast: Cast) -> None:
    """The example row of the template is itself a valid registration."""
    person(cast, "Voorbeeld", employee_number="1001")
    content = imports_activities.template_workbook(organisation=cast.organisation)

    result = run(cast, content)

    assert result.ok, [p.message for p in result.problems]
    assert (result.activities, result.participations, result.cost_lines) == (1, 1, 3)
