"""Importing units, functions and people from XLSX and CSV: every problem with its row and column,
all-or-nothing writes, updates instead of duplicates, templates, progress and refusals."""

from __future__ import annotations

import csv
import datetime
import io
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people import imports
from leerplek.people.models import (
    Employee,
    ImportJob,
    ImportKind,
    ImportStatus,
    Job,
    JobAssignment,
    OrgUnit,
)
from tests.factories import Cast, EmployeeFactory, UserFactory, grant, make_unit

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["name", "code", "kind", "parent", "leader"]
JOB_HEADER = [
    "code",
    "name",
    "description",
    "classification",
    "months_to_independence",
    "review_interval_days",
    "tasks",
]
PEOPLE_HEADER = [column.key for column in imports.PEOPLE_COLUMNS]


def xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def person(**values: Any) -> list[Any]:
    """A people row; unnamed columns stay empty."""
    row = dict.fromkeys(PEOPLE_HEADER, "")
    row.update(values)
    return [row[key] for key in PEOPLE_HEADER]


def check(cast: Cast, kind: str, name: str, content: bytes) -> ImportJob:
    return imports.import_job_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        kind=kind,
        name=name,
        content=content,
    )


def run(cast: Cast, kind: str, name: str, content: bytes) -> ImportJob:
    """Check and confirm a file as HR; the job afterwards."""
    job = check(cast, kind, name, content)
    assert job.status == ImportStatus.READY, [p.message for p in imports.import_problems(job)]
    imports.import_job_confirm(job=job, by=cast.user(Role.HR))
    job.refresh_from_db()
    return job


def problems(job: ImportJob) -> set[tuple[int, str, str]]:
    return {(p.row, p.column, p.code) for p in imports.import_problems(job)}


def counts() -> tuple[int, int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        Job.objects.count(),
        Employee.objects.count(),
        JobAssignment.objects.count(),
        AuditEntry.objects.count(),
    )


# --- Happy paths ---------------------------------------------------------------------------------


def test_units_from_xlsx_may_name_a_parent_defined_further_down(cast: Cast) -> None:
    hr = cast.employees[Role.HR]
    rows = [
        ["Menging", "MIX", "team", "PLANT", hr.email],
        ["Fabriek Gent", "PLANT", "Vestiging", "", ""],
        ["Nachtploeg", "NIGHT", "ploeg", "MIX", ""],
    ]
    job = run(cast, ImportKind.UNITS, "units.xlsx", xlsx(UNIT_HEADER, rows))

    assert (job.status, job.create_count, job.update_count) == (ImportStatus.DONE, 3, 0)
    plant = OrgUnit.objects.get(organisation=cast.organisation, code="PLANT")
    mix = OrgUnit.objects.get(organisation=cast.organisation, code="MIX")
    night = OrgUnit.objects.get(organisation=cast.organisation, code="NIGHT")
    assert (plant.kind, plant.parent, mix.parent, night.parent) == ("site", None, plant, mix)
    assert night.path == f"/{plant.pk}/{mix.pk}/{night.pk}/"
    assert mix.leader == hr
    hr_user = cast.user(Role.HR)
    assert AuditEntry.objects.filter(action="people.unit_created", actor=hr_user).count() == 3
    summary = AuditEntry.objects.get(action="people.import_completed")
    assert summary.after == {
        "kind": "units",
        "file": "units.xlsx",
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }


def test_units_from_csv_with_commas(cast: Cast) -> None:
    content = csv_bytes(UNIT_HEADER, [["Expeditie", "EXP", "department", "", ""]], delimiter=",")
    job = run(cast, ImportKind.UNITS, "units.csv", content)
    assert job.create_count == 1
    assert OrgUnit.objects.get(code="EXP").name == "Expeditie"


def test_functions_from_xlsx_with_tasks_in_dutch(cast: Cast) -> None:
    rows = [
        [
            "SAUS",
            "Sausmaker",
            "Maakt sauzen volgens recept.",
            "Klasse 3",
            4,
            14,
            "uitvoerend: Sauzen mengen; Voorbereidend: Ingrediënten afwegen",
        ]
    ]
    job = run(cast, ImportKind.JOBS, "functies.xlsx", xlsx(JOB_HEADER, rows))

    assert job.create_count == 1
    created = Job.objects.get(organisation=cast.organisation, code="SAUS")
    assert (created.name, created.classification) == ("Sausmaker", "Klasse 3")
    assert (created.months_to_independence, created.review_interval_days) == (4, 14)
    assert [(t.kind, t.description) for t in created.tasks.all()] == [
        ("executive", "Sauzen mengen"),
        ("preparatory", "Ingrediënten afwegen"),
    ]
    assert (
        AuditEntry.objects.filter(action="people.job_created", actor=cast.user(Role.HR)).count()
        == 1
    )


def test_functions_from_csv_take_the_defaults_for_empty_numbers(cast: Cast) -> None:
    content = csv_bytes(JOB_HEADER, [["HEF", "Heftruckchauffeur", "", "", "", "", ""]])
    run(cast, ImportKind.JOBS, "functions.csv", content)
    created = Job.objects.get(code="HEF")
    assert (created.months_to_independence, created.review_interval_days) == (6, 30)
    assert not created.tasks.exists()


def test_people_from_xlsx_with_date_cells_labels_and_a_manager_further_down(cast: Cast) -> None:
    packaging = cast.packaging
    OrgUnit.objects.filter(pk=packaging.pk).update(code="PACK")
    rows = [
        person(
            employee_number=1001,  # a number cell: Excel sends 1001.0
            first_name="Lies",
            last_name="Claes",
            email="Lies.Claes@Example.test",
            person_type="Uitzendkracht",
            gender="V",
            birth_date=datetime.datetime(1990, 5, 17),
            hire_date=datetime.date(2024, 3, 1),
            unit="PACK",
            function="OPR",
            manager="chef@example.test",
            languages="NL; fr",
            dutch_level="B2",
            education_level="Bachelor",
            experience_years=3.5,
        ),
        person(
            employee_number="1002",
            first_name="Jean",
            last_name="Dupont",
            email="chef@example.test",
            person_type="intérimaire",
            gender="Homme",
            hire_date="01/02/2020",
            exit_date="31/12/2024",
            exit_reason="pensioen",
        ),
    ]
    job = run(cast, ImportKind.PEOPLE, "people.xlsx", xlsx(PEOPLE_HEADER, rows))

    assert (job.create_count, job.update_count) == (2, 0)
    lies = Employee.objects.get(organisation=cast.organisation, email="lies.claes@example.test")
    chef = Employee.objects.get(organisation=cast.organisation, email="chef@example.test")
    assert lies.employee_number == "1001"
    assert (lies.person_type, lies.gender, chef.gender) == ("agency", "f", "m")
    assert (lies.birth_date, lies.hire_date) == (
        datetime.date(1990, 5, 17),
        datetime.date(2024, 3, 1),
    )
    assert (lies.unit, lies.job, lies.manager) == (packaging, cast.job, chef)
    assert (lies.languages, lies.dutch_level, lies.education_level) == ("nl, fr", "B2", "bachelor")
    assert lies.experience_years == Decimal("3.5")
    assert (chef.exit_date, chef.exit_reason) == (datetime.date(2024, 12, 31), "retirement")
    assignment = JobAssignment.objects.get(employee=lies)
    assert (assignment.job, assignment.start_date, assignment.reason) == (
        cast.job,
        datetime.date(2024, 3, 1),
        "hire",
    )
    created = AuditEntry.objects.filter(action="people.employee_created", object_id=str(lies.pk))
    assert created.get().after["job"] == cast.job.pk
    assert AuditEntry.objects.filter(action="people.import_completed").count() == 1


def test_people_from_csv_with_belgian_dates_and_decimal_commas(cast: Cast) -> None:
    row = person(
        first_name="Sara",
        last_name="Smet",
        email="sara@example.test",
        person_type="stagiaire",
        gender="f",
        hire_date="5/9/2023",
        experience_years="1,5",
    )
    run(cast, ImportKind.PEOPLE, "people.csv", csv_bytes(PEOPLE_HEADER, [row]))
    sara = Employee.objects.get(email="sara@example.test")
    assert (sara.person_type, sara.hire_date) == ("intern", datetime.date(2023, 9, 5))
    assert sara.experience_years == Decimal("1.5")
    assert (sara.dutch_level, sara.education_level) == ("native", "unknown")  # the defaults


def test_csv_saved_by_excel_in_windows_1252_keeps_its_accents(cast: Cast) -> None:
    content = "name;code;kind\r\nRéception;REC;département\r\n".encode("cp1252")
    run(cast, ImportKind.UNITS, "units.csv", content)
    assert OrgUnit.objects.get(code="REC").kind == "department"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Eigen werknemer", "employee"),
        ("own employee", "employee"),
        ("Uitzendkracht", "agency"),
        ("INTÉRIMAIRE", "agency"),
        ("Temporary agency worker", "agency"),
        ("stagiair", "intern"),
        ("Leerling", "apprentice"),
        ("demandeur d'emploi", "job_seeker"),
        ("vdab_trainee", "vdab_trainee"),
        ("IBO", "ibo"),
        ("Formateur externe", "external_trainer"),
    ],
)
def test_person_types_are_read_by_code_and_by_dutch_french_or_english_name(
    text: str, value: str
) -> None:
    from leerplek.people.models import PersonType

    assert imports.choice_lookup(PersonType)[imports.normalise(text)] == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("M", "m"),
        ("man", "m"),
        ("Homme", "m"),
        ("V", "f"),
        ("Femme", "f"),
        ("woman", "f"),
        ("x", "x"),
    ],
)
def test_genders_are_read_in_three_languages(text: str, value: str) -> None:
    from leerplek.people.models import Gender

    assert imports.choice_lookup(Gender)[imports.normalise(text)] == value


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-03-31", datetime.date(2024, 3, 31)),
        ("31/03/2024", datetime.date(2024, 3, 31)),
        ("1-4-2024", datetime.date(2024, 4, 1)),
        ("31.03.2024", datetime.date(2024, 3, 31)),
        ("2024-03-31 00:00:00", datetime.date(2024, 3, 31)),
        ("31/02/2024", None),
        ("03/31/2024", None),
        ("31/03/24", None),
        ("tomorrow", None),
    ],
)
def test_dates_are_iso_or_day_month_year(text: str, day: datetime.date | None) -> None:
    assert imports.parse_date(text) == day


# --- Updates instead of duplicates ---------------------------------------------------------------


def test_reimporting_units_updates_them_by_code_and_moves_them(cast: Cast) -> None:
    first = [["Menging", "MIX", "team", "", ""], ["Fabriek", "PLANT", "site", "", ""]]
    run(cast, ImportKind.UNITS, "units.xlsx", xlsx(UNIT_HEADER, first))
    second = [
        ["Menging en koken", "MIX", "team", "PLANT", ""],
        ["Fabriek", "PLANT", "site", "", ""],
    ]
    job = run(cast, ImportKind.UNITS, "units.xlsx", xlsx(UNIT_HEADER, second))

    assert (job.create_count, job.update_count, job.unchanged_count) == (0, 1, 1)
    mix = OrgUnit.objects.get(code="MIX")
    assert (mix.name, mix.parent) == ("Menging en koken", OrgUnit.objects.get(code="PLANT"))
    moved = AuditEntry.objects.get(action="people.unit_moved")
    assert moved.before["name"] == "Menging"


def test_a_units_file_gives_codes_to_units_made_on_screen(cast: Cast) -> None:
    rows = [["Productie", "PROD", "department", "", ""], ["Verpakking", "PACK", "team", "PROD", ""]]
    job = run(cast, ImportKind.UNITS, "codes.xlsx", xlsx(UNIT_HEADER, rows))
    assert (job.create_count, job.update_count) == (0, 2)
    cast.packaging.refresh_from_db()
    assert cast.packaging.code == "PACK"


def test_reimporting_functions_replaces_their_tasks(cast: Cast) -> None:
    run(
        cast,
        ImportKind.JOBS,
        "f.csv",
        csv_bytes(JOB_HEADER, [["MIX", "Menger", "", "", 6, 30, "executive: Mengen"]]),
    )
    run(
        cast,
        ImportKind.JOBS,
        "f.csv",
        csv_bytes(JOB_HEADER, [["MIX", "Menger", "", "", 3, 30, "supporting: Poetsen"]]),
    )
    mixer = Job.objects.get(code="MIX")
    assert mixer.months_to_independence == 3
    assert [(t.kind, t.description) for t in mixer.tasks.all()] == [("supporting", "Poetsen")]
    updated = AuditEntry.objects.get(action="people.job_updated")
    assert updated.after["tasks"] == [{"kind": "supporting", "description": "Poetsen"}]


def test_reimporting_people_updates_them_by_email_or_number(cast: Cast) -> None:
    rows = [
        person(
            employee_number="7",
            first_name="An",
            last_name="Aerts",
            email="an@example.test",
            gender="f",
            hire_date="2020-01-01",
        ),
        person(
            employee_number="8",
            first_name="Bo",
            last_name="Bral",
            email="bo@example.test",
            gender="m",
            hire_date="2020-01-01",
        ),
    ]
    run(cast, ImportKind.PEOPLE, "p.xlsx", xlsx(PEOPLE_HEADER, rows))
    before = Employee.objects.count()
    rows[0] = person(
        employee_number="7",
        first_name="An",
        last_name="Aerts-Peeters",
        email="an.aerts@example.test",
        gender="f",
        hire_date="2020-01-01",
    )
    job = run(cast, ImportKind.PEOPLE, "p.xlsx", xlsx(PEOPLE_HEADER, rows))

    assert (job.create_count, job.update_count, job.unchanged_count) == (0, 1, 1)
    assert Employee.objects.count() == before
    an = Employee.objects.get(employee_number="7")
    assert (an.last_name, an.email) == ("Aerts-Peeters", "an.aerts@example.test")
    entry = AuditEntry.objects.get(action="people.employee_updated")
    assert entry.before == {"last_name": "Aerts", "email": "an@example.test"}
    assert entry.after == {"last_name": "Aerts-Peeters", "email": "an.aerts@example.test"}


def test_a_new_function_by_import_starts_today_and_closes_the_current_one(cast: Cast) -> None:
    row = person(
        first_name="Cas",
        last_name="Cools",
        email="cas@example.test",
        gender="m",
        hire_date="2019-06-01",
        function="OPR",
    )
    run(cast, ImportKind.PEOPLE, "p.csv", csv_bytes(PEOPLE_HEADER, [row]))
    other = Job.objects.create(organisation=cast.organisation, code="LEAD", name="Ploegleider")
    row = person(
        first_name="Cas",
        last_name="Cools",
        email="cas@example.test",
        gender="m",
        hire_date="2019-06-01",
        function="lead",
    )
    run(cast, ImportKind.PEOPLE, "p.csv", csv_bytes(PEOPLE_HEADER, [row]))

    cas = Employee.objects.get(email="cas@example.test")
    today = timezone.localdate()
    periods = list(
        cas.assignments.order_by("start_date").values_list("job_id", "start_date", "end_date")
    )
    assert periods == [
        (cast.job.pk, datetime.date(2019, 6, 1), today - datetime.timedelta(days=1)),
        (other.pk, today, None),
    ]
    entry = AuditEntry.objects.get(action="people.employee_updated")
    assert (entry.before, entry.after) == ({"job": cast.job.pk}, {"job": other.pk})


def test_columns_left_out_are_not_touched(cast: Cast) -> None:
    worker = cast.worker
    assert worker is not None
    content = csv_bytes(
        ["email", "first_name", "last_name", "gender", "hire_date"],
        [[worker.email, "Wouter", worker.last_name, "m", "2020-01-06"]],
    )
    run(cast, ImportKind.PEOPLE, "names.csv", content)
    worker.refresh_from_db()
    assert (worker.first_name, worker.gender, worker.unit, worker.job) == (
        "Wouter",
        "m",
        cast.packaging,
        cast.job,
    )


# --- Problems: every one, with row and column ----------------------------------------------------


def test_every_problem_of_a_people_file_is_listed_with_row_and_column(cast: Cast) -> None:
    worker = cast.worker
    assert worker is not None
    OrgUnit.objects.filter(pk=cast.packaging.pk).update(code="PACK")
    EmployeeFactory(
        organisation=cast.organisation, email="taken@example.test", employee_number="500"
    )
    rows = [
        person(
            first_name="A",
            last_name="A",
            email="a@example.test",
            gender="f",
            hire_date="2024-02-30",
        ),  # row 2: bad date
        person(
            first_name="B",
            last_name="B",
            email="a@example.test",
            gender="f",
            hire_date="2024-01-01",
        ),  # row 3: email twice in the file
        person(
            first_name="C",
            last_name="C",
            email="c@example.test",
            gender="f",
            hire_date="2024-01-01",
            person_type="boss",
        ),  # row 4
        person(
            first_name="",
            last_name="D",
            email="d@example.test",
            gender="f",
            hire_date="2024-01-01",
            unit="NOPE",
            function="NOPE",
        ),  # row 5
        person(
            first_name="E",
            last_name="E",
            email="e@example.test",
            gender="f",
            hire_date="2024-01-01",
            manager="ghost@example.test",
            experience_years="many",
        ),  # row 6
        person(first_name="F", last_name="F", gender="f", hire_date="2024-01-01"),  # row 7
        person(
            first_name="G",
            last_name="G",
            email="g@example.test",
            gender="f",
            hire_date="2024-01-01",
            exit_date="2023-01-01",
            exit_reason="retirement",
        ),  # row 8
        person(
            first_name="H",
            last_name="H",
            email="h@example.test",
            gender="f",
            hire_date="2024-01-01",
            exit_date="2024-06-01",
        ),  # row 9
        person(
            first_name="I",
            last_name="I",
            email="not-an-address",
            gender="f",
            hire_date="2024-01-01",
        ),  # row 10
        person(
            first_name="J",
            last_name="J",
            email="j@example.test",
            gender="f",
            hire_date="2024-01-01",
            manager="j@example.test",
        ),  # row 11
        person(
            employee_number="999",
            first_name="K",
            last_name="K",
            email="taken@example.test",
            gender="f",
            hire_date="2024-01-01",
        ),  # row 12: address of number 500
        person(
            first_name="L",
            last_name="L",
            email="l@example.test",
            gender="",
            hire_date="2024-01-01",
            languages="Nederlands",
        ),  # row 13
    ]
    before = counts()
    job = check(cast, ImportKind.PEOPLE, "people.xlsx", xlsx(PEOPLE_HEADER, rows))

    assert job.status == ImportStatus.INVALID
    assert problems(job) == {
        (2, "hire_date", "bad_date"),
        (3, "email", "duplicate_in_file"),
        (4, "person_type", "bad_choice"),
        (5, "first_name", "required"),
        (5, "unit", "unknown_unit"),
        (5, "function", "unknown_job"),
        (6, "manager", "unknown_manager"),
        (6, "experience_years", "bad_decimal"),
        (7, "email", "missing_identity"),
        (8, "exit_date", "exit_before_hire"),
        (9, "exit_reason", "exit_reason_missing"),
        (10, "email", "bad_email"),
        (10, "email", "missing_identity"),
        (11, "manager", "own_manager"),
        (12, "email", "email_taken"),
        (13, "gender", "required"),
        (13, "languages", "bad_languages"),
    }
    assert counts() == before


def test_problem_messages_name_what_is_wrong_and_how_to_fix_it(cast: Cast) -> None:
    rows = [
        person(
            first_name="A",
            last_name="A",
            email="a@example.test",
            gender="f",
            hire_date="2024-02-30",
            person_type="boss",
        )
    ]
    job = check(cast, ImportKind.PEOPLE, "people.xlsx", xlsx(PEOPLE_HEADER, rows))
    found = {(p.row, p.letter, p.column, p.value, p.message) for p in imports.import_problems(job)}
    assert found == {
        (
            2,
            "H",
            "hire_date",
            "2024-02-30",
            '"2024-02-30" is not a date. Write it as 2024-03-31 '
            "or 31/03/2024, or use an Excel date cell.",
        ),
        (
            2,
            "E",
            "person_type",
            "boss",
            '"boss" is not a known person_type. Use one of: employee, agency, apprentice, '
            "vdab_trainee, intern, ibo, job_seeker, external_trainer, or its name in Dutch, "
            "French or English.",
        ),
    }


def test_every_problem_of_a_units_file_is_listed(cast: Cast) -> None:
    make_unit(cast.organisation, "Twee")
    make_unit(cast.organisation, "Twee", parent=cast.office)
    OrgUnit.objects.filter(pk=cast.packaging.pk).update(code="PACK")
    rows = [
        ["Lus A", "A", "team", "B", ""],  # row 2: A → B → A
        ["Lus B", "B", "team", "A", ""],  # row 3
        ["Zelf", "SELF", "team", "SELF", ""],  # row 4: its own parent
        ["Wees", "ORPHAN", "team", "NOWHERE", ""],  # row 5
        ["Dubbel", "A", "team", "", ""],  # row 6: code twice
        ["", "NONAME", "galaxy", "", "nobody@example.test"],  # row 7
        ["Kind", "CHILD", "team", "Twee", ""],  # row 8: two units are called Twee
        ["Verpakking", "PACK2", "team", "Productie", ""],  # row 9: name taken under Productie
    ]
    before = counts()
    job = check(cast, ImportKind.UNITS, "units.xlsx", xlsx(UNIT_HEADER, rows))

    assert problems(job) == {
        (2, "parent", "unit_cycle"),
        (3, "parent", "unit_cycle"),
        (4, "parent", "unit_cycle"),
        (5, "parent", "unknown_parent"),
        (6, "code", "duplicate_in_file"),
        (7, "name", "required"),
        (7, "kind", "bad_choice"),
        (7, "leader", "unknown_leader"),
        (8, "parent", "ambiguous_unit"),
        (9, "name", "duplicate_unit_name"),
    }
    cycle = next(p for p in imports.import_problems(job) if p.row == 2)
    assert "A → B → A" in cycle.message
    assert counts() == before


def test_every_problem_of_a_functions_file_is_listed(cast: Cast) -> None:
    rows = [
        ["X1", "Een", "", "", "zes", "30", "executive: Mengen"],  # row 2
        ["X1", "Twee", "", "", "6", "-1", ""],  # row 3
        ["X3", "", "", "", "6", "30", "Mengen zonder soort"],  # row 4
        ["X4", "Vier", "", "", "6", "30", "dreaming: Slapen"],  # row 5
    ]
    job = check(cast, ImportKind.JOBS, "functions.csv", csv_bytes(JOB_HEADER, rows))
    assert problems(job) == {
        (2, "months_to_independence", "bad_integer"),
        (3, "code", "duplicate_in_file"),
        (3, "review_interval_days", "bad_integer"),
        (4, "name", "required"),
        (4, "tasks", "bad_task"),
        (5, "tasks", "bad_task_kind"),
    }


def test_problems_in_the_column_names_are_listed_on_row_one(cast: Cast) -> None:
    header = ["Name", "name", "kind", "colour", ""]
    job = check(cast, ImportKind.UNITS, "units.xlsx", xlsx(header, [["A", "A", "team", "", "x"]]))
    assert problems(job) == {
        (1, "name", "duplicate_column"),
        (1, "", "unknown_column"),
        (2, "", "unnamed_column"),
    }
    people = check(cast, ImportKind.PEOPLE, "p.csv", csv_bytes(["first_name"], [["An"]]))
    assert problems(people) == {
        (1, "last_name", "missing_column"),
        (1, "gender", "missing_column"),
        (1, "hire_date", "missing_column"),
        (1, "", "missing_identity_column"),
    }


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("units.xlsx", b"this is no workbook", "file_unreadable"),
        ("units.csv", b"", "empty_file"),
        ("units.csv", b"name;code;kind\r\n", "no_rows"),
    ],
)
def test_a_file_that_cannot_be_used_says_why(
    cast: Cast, name: str, content: bytes, code: str
) -> None:
    job = check(cast, ImportKind.UNITS, name, content)
    assert (job.status, problems(job)) == (ImportStatus.INVALID, {(0, "", code)})


def test_a_file_with_too_many_rows_is_refused(cast: Cast, settings: Any) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "IMPORT_MAX_ROWS": 2}
    rows = [[f"U{i}", f"U{i}", "team", "", ""] for i in range(3)]
    job = check(cast, ImportKind.UNITS, "units.csv", csv_bytes(UNIT_HEADER, rows))
    assert (0, "", "too_many_rows") in problems(job)


def test_one_bad_row_writes_nothing(cast: Cast) -> None:
    rows = [
        person(
            first_name=f"P{i}",
            last_name="Goed",
            email=f"p{i}@example.test",
            gender="f",
            hire_date="2024-01-01",
            function="OPR",
        )
        for i in range(20)
    ]
    rows.append(
        person(
            first_name="Slecht",
            last_name="Rij",
            email="bad@example.test",
            gender="f",
            hire_date="morgen",
        )
    )
    before = counts()
    audit_before = AuditEntry.objects.count()
    job = check(cast, ImportKind.PEOPLE, "p.xlsx", xlsx(PEOPLE_HEADER, rows))

    assert problems(job) == {(22, "hire_date", "bad_date")}
    assert counts() == before
    assert AuditEntry.objects.count() == audit_before
    assert job.data == {}


def test_data_changed_since_the_check_is_caught_at_confirmation(cast: Cast) -> None:
    row = person(
        first_name="Nieuw",
        last_name="Mens",
        email="nieuw@example.test",
        employee_number="42",
        gender="f",
        hire_date="2024-01-01",
    )
    job = check(cast, ImportKind.PEOPLE, "p.csv", csv_bytes(PEOPLE_HEADER, [row]))
    assert job.status == ImportStatus.READY
    # Meanwhile someone registers another person with that address and a number of his own.
    EmployeeFactory(
        organisation=cast.organisation, email="nieuw@example.test", employee_number="41"
    )
    before = counts()
    imports.import_job_confirm(job=job, by=cast.user(Role.HR))
    job.refresh_from_db()

    assert (job.status, problems(job)) == (ImportStatus.INVALID, {(2, "email", "email_taken")})
    assert counts() == before


def test_a_refusal_by_a_service_rolls_back_the_whole_file(cast: Cast, monkeypatch: Any) -> None:
    from django.core.exceptions import ValidationError

    from leerplek.people import services

    real = services.unit_create
    calls = []

    def refuse_second(**kwargs: Any) -> OrgUnit:
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise ValidationError({"name": ValidationError("No.", code="no")})
        return real(**kwargs)

    monkeypatch.setattr(services, "unit_create", refuse_second)
    rows = [["Een", "ONE", "team", "", ""], ["Twee", "TWO", "team", "", ""]]
    before = counts()
    job = check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, rows))
    imports.import_job_confirm(job=job, by=cast.user(Role.HR))
    job.refresh_from_db()

    assert job.status == ImportStatus.INVALID
    assert [(p.row, p.column, p.message) for p in imports.import_problems(job)] == [
        (3, "name", "No.")
    ]
    assert counts() == before


# --- Templates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(imports.COLUMNS))
def test_the_xlsx_template_has_the_columns_and_a_help_sheet(
    cast: Cast, client_for: Any, kind: str
) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.get(reverse("people:import-template", kwargs={"kind": kind}))
    assert response["Content-Type"] == imports.XLSX_TYPE
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, help_sheet = book.worksheets
    header = [cell.value for cell in data[1]]
    assert header == [column.key for column in imports.COLUMNS[kind]]
    assert data.max_row == 1
    explained = [row[0] for row in help_sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert explained[: len(header)] == header


@pytest.mark.parametrize("kind", list(imports.COLUMNS))
def test_the_csv_template_has_the_columns(cast: Cast, client_for: Any, kind: str) -> None:
    client = client_for(cast.user(Role.HR))
    url = reverse("people:import-template", kwargs={"kind": kind}) + "?format=csv"
    response = client.get(url)
    assert response["Content-Type"] == "text/csv"
    text = response.content.decode("utf-8-sig")
    assert text.strip().split(";") == [column.key for column in imports.COLUMNS[kind]]


def test_the_templates_filled_with_their_examples_import_cleanly(
    cast: Cast, client_for: Any
) -> None:
    """Units, then functions, then people: the examples of the Help sheet refer to each other."""
    client = client_for(cast.user(Role.HR))
    for kind, fmt in (
        (ImportKind.UNITS, "xlsx"),
        (ImportKind.JOBS, "csv"),
        (ImportKind.PEOPLE, "xlsx"),
    ):
        url = reverse("people:import-template", kwargs={"kind": kind})
        if fmt == "csv":
            line = io.StringIO()
            csv.writer(line, delimiter=";").writerow(imports.example_row(kind))
            content = client.get(url + "?format=csv").content + line.getvalue().encode()
        else:
            book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
            book.worksheets[0].append(imports.example_row(kind))
            buffer = io.BytesIO()
            book.save(buffer)
            content = buffer.getvalue()
        job = run(cast, kind, f"template.{fmt}", content)
        assert (job.status, job.create_count) == (ImportStatus.DONE, 1)
    an = Employee.objects.get(email="an.peeters@example.com")
    assert (an.unit.code, an.job.code) == ("PROD", "OPR-MIX")  # type: ignore[union-attr]


def test_an_empty_template_says_there_are_no_rows(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    content = client.get(reverse("people:import-template", kwargs={"kind": "people"})).content
    job = check(cast, ImportKind.PEOPLE, "people.xlsx", content)
    assert problems(job) == {(0, "", "no_rows")}


# --- Pages ---------------------------------------------------------------------------------------


def test_upload_check_confirm_and_result_pages(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    assert client.get(reverse("people:import")).status_code == 200
    upload = io.BytesIO(csv_bytes(UNIT_HEADER, [["Magazijn", "MAG", "zone", "", ""]]))
    upload.name = "units.csv"
    response = client.post(reverse("people:import"), {"kind": "units", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import-detail", kwargs={"import_id": job.pk})

    preview = client.get(response["Location"])
    assert b"Confirm and import" in preview.content
    assert not OrgUnit.objects.filter(code="MAG").exists()

    confirm = reverse("people:import-confirm", kwargs={"import_id": job.pk})
    assert client.get(confirm).status_code == 405
    result = client.post(confirm, follow=True)
    assert b"Imported" in result.content
    assert OrgUnit.objects.filter(code="MAG").exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE


def test_the_problems_page_lists_row_column_value_and_problem(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    upload = io.BytesIO(csv_bytes(UNIT_HEADER, [["Magazijn", "MAG", "planet", "", ""]]))
    upload.name = "units.csv"
    response = client.post(reverse("people:import"), {"kind": "units", "file": upload}, follow=True)
    page = response.content.decode()
    assert "Problems to correct" in page
    assert "C kind" in page
    assert "&quot;planet&quot; is not a known kind." in page
    assert "Confirm and import" not in page


def test_an_upload_that_is_no_spreadsheet_is_refused_by_the_form(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    upload = io.BytesIO(b"%PDF-1.7")
    upload.name = "people.pdf"
    response = client.post(reverse("people:import"), {"kind": "people", "file": upload})
    assert response.status_code == 422
    assert "Choose an Excel workbook (.xlsx) or a CSV file (.csv)." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_confirming_twice_imports_once(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    job = check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, [["A", "A", "team"]]))
    confirm = reverse("people:import-confirm", kwargs={"import_id": job.pk})
    client.post(confirm)
    response = client.post(confirm, follow=True)
    assert "This import has already started" in response.content.decode()
    assert OrgUnit.objects.filter(code="A").count() == 1


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("people:import", {}),
        ("people:import-template", {"kind": "people"}),
        ("people:import-detail", {"import_id": None}),
        ("people:import-status", {"import_id": None}),
        ("people:export", {"kind": "people"}),
    ],
)
@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.MENTOR])
def test_import_pages_are_refused_to_other_roles(
    cast: Cast, client_for: Any, name: str, kwargs: dict[str, Any], role: Role
) -> None:
    job = check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, [["A", "A", "team"]]))
    kwargs = {key: job.pk if value is None else value for key, value in kwargs.items()}
    client = client_for(cast.user(role))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


def test_confirm_is_refused_to_an_employee(cast: Cast, client_for: Any) -> None:
    job = check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, [["A", "A", "team"]]))
    client = client_for(cast.user(Role.EMPLOYEE))
    url = reverse("people:import-confirm", kwargs={"import_id": job.pk})
    assert client.post(url).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.READY


def test_hr_of_one_unit_only_may_not_import(cast: Cast, client_for: Any) -> None:
    scoped = UserFactory()
    grant(scoped, cast.organisation, Role.HR, cast.packaging)
    assert client_for(scoped).get(reverse("people:import")).status_code == 403


def test_another_organisations_import_is_not_found(cast: Cast, client_for: Any) -> None:
    job = check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, [["A", "A", "team"]]))
    assert cast.other_hr is not None
    client = client_for(cast.other_hr)
    assert (
        client.get(reverse("people:import-detail", kwargs={"import_id": job.pk})).status_code == 404
    )
    url = reverse("people:import-confirm", kwargs={"import_id": job.pk})
    assert client.post(url).status_code == 404
    assert not OrgUnit.objects.filter(code="A").exists()


def test_the_upload_page_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, [["A", "A", "team"]]))
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("people:import")).status_code == 200
    for _ in range(15):
        check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, [["A", "A", "team"]]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("people:import")).status_code == 200


# --- Large files: background thread, progress ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_imported_in_the_background_with_progress(
    cast: Cast, client_for: Any, settings: Any
) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "IMPORT_INLINE_MAX_ROWS": 1}
    rows = [
        person(
            first_name=f"P{i}",
            last_name="Achtergrond",
            email=f"bg{i}@example.test",
            gender="x",
            hire_date="2024-01-01",
        )
        for i in range(30)
    ]
    job = check(cast, ImportKind.PEOPLE, "p.xlsx", xlsx(PEOPLE_HEADER, rows))
    thread = imports.import_job_confirm(job=job, by=cast.user(Role.HR))
    assert thread is not None
    # The test database lives in memory with shared-cache locks that do not wait: stay off it
    # until the thread is done.
    thread.join(timeout=60)
    client = client_for(cast.user(Role.HR))
    status_url = reverse("people:import-status", kwargs={"import_id": job.pk})

    job.refresh_from_db()
    assert (job.status, job.create_count) == (ImportStatus.DONE, 30)
    assert Employee.objects.filter(last_name="Achtergrond").count() == 30
    finished = client.get(status_url, headers={"HX-Request": "true"})
    assert finished["HX-Redirect"] == reverse("people:import-detail", kwargs={"import_id": job.pk})


def test_the_status_fragment_polls_while_the_import_runs(cast: Cast, client_for: Any) -> None:
    job = check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, [["A", "A", "team"]]))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    imports._set_progress(job.pk, 40, 100)
    try:
        client = client_for(cast.user(Role.HR))
        url = reverse("people:import-status", kwargs={"import_id": job.pk})
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    finally:
        imports._progress.pop(job.pk, None)
    assert 'hx-trigger="every 1s"' in page
    assert '<progress value="40" max="100">' in page
    assert "Importing: 40 of 100 rows done." in page


def test_an_import_that_died_with_its_server_is_shown_as_stopped(
    cast: Cast, client_for: Any
) -> None:
    job = check(cast, ImportKind.UNITS, "u.csv", csv_bytes(UNIT_HEADER, [["A", "A", "team"]]))
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=long_ago)
    client = client_for(cast.user(Role.HR))
    page = client.get(reverse("people:import-detail", kwargs={"import_id": job.pk}))
    assert "stopped before it finished" in page.content.decode()
    assert "hx-trigger" not in page.content.decode()


def test_ten_thousand_people_are_imported(cast: Cast) -> None:
    """Measures the check (read and validate) and the import (validate again and write)."""
    OrgUnit.objects.filter(pk=cast.packaging.pk).update(code="PACK")
    count = 10_000
    rows = [
        person(
            employee_number=str(100_000 + i),
            first_name=f"Voornaam{i}",
            last_name=f"Achternaam{i}",
            email=f"mens{i}@example.test",
            person_type=("employee", "Uitzendkracht", "stagiaire")[i % 3],
            gender=("m", "V", "x")[i % 3],
            birth_date=datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            hire_date=f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2000 + i % 24}",
            unit="PACK" if i % 2 else "Kantoor",
            function="OPR" if i % 4 == 0 else "",
            manager="mens0@example.test" if i else "",
            languages="nl, fr",
            dutch_level="B1",
            education_level="bachelor",
            experience_years=str(i % 20),
        )
        for i in range(count)
    ]
    content = xlsx(PEOPLE_HEADER, rows)
    started = time.perf_counter()
    job = check(cast, ImportKind.PEOPLE, "big.xlsx", content)
    checked = time.perf_counter()
    assert job.status == ImportStatus.READY, imports.import_problems(job)[:3]
    imports.import_job_run(job_id=job.pk, by_id=cast.user(Role.HR).pk)
    done = time.perf_counter()
    print(
        f"\n10,000 people: read and validate {checked - started:.1f} s, "
        f"validate again and write {done - checked:.1f} s, total {done - started:.1f} s"
    )
    job.refresh_from_db()
    assert (job.status, job.create_count) == (ImportStatus.DONE, count)
    assert Employee.objects.filter(email__startswith="mens").count() == count
    assert AuditEntry.objects.filter(action="people.employee_created").count() == count
    assert JobAssignment.objects.filter(employee__email__startswith="mens").count() == count // 4
    assert Employee.objects.filter(manager__email="mens0@example.test").count() == count - 1
