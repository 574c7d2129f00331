"""Exporting units, functions and people to XLSX: the import's columns, the organisation's rows
only, a fixed number of queries, and a file that imports again without changes."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.people import imports, services
from leerplek.people.models import ImportKind, ImportStatus, OrgUnit
from tests.factories import Cast, EmployeeFactory, JobFactory, UserFactory, grant, make_unit

pytestmark = pytest.mark.django_db


def export(client: Any, kind: str) -> openpyxl.Workbook:
    response = client.get(reverse("people:export", kwargs={"kind": kind}))
    assert response.status_code == 200
    assert response["Content-Type"] == imports.XLSX_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows(book: openpyxl.Workbook) -> list[tuple[Any, ...]]:
    return list(book.worksheets[0].iter_rows(min_row=2, values_only=True))


def add_people(cast: Cast, count: int) -> None:
    first = OrgUnit.objects.count()
    units = [
        make_unit(cast.organisation, f"Ploeg {first + i}", parent=cast.packaging) for i in range(3)
    ]
    jobs = [JobFactory(organisation=cast.organisation) for _ in range(3)]
    for i in range(count):
        EmployeeFactory(
            organisation=cast.organisation,
            unit=units[i % 3],
            job=jobs[i % 3],
            manager=cast.worker,
            languages="nl,fr",
            experience_years=Decimal("2.5"),
            employee_number=f"00{first}{i}",
        )
    for job in jobs:
        services.job_update(
            job=job, by=cast.user(Role.HR), tasks=[services.TaskLine("executive", "Mengen")]
        )


def add_catalogue(cast: Cast) -> None:
    """Competences with and without a group, one with a text per level (competences app)."""
    from leerplek.competences import catalogue_services
    from leerplek.competences import services as competence_services

    hr = cast.user(Role.HR)
    group = catalogue_services.group_create(organisation=cast.organisation, by=hr, name="Hygiëne")
    competence_services.competence_create(
        organisation=cast.organisation,
        by=hr,
        code="HACCP",
        name="=Werkt hygiënisch",
        group=group,
        level_texts={"U": "Volgt de HACCP-regels zonder hulp."},
    )
    competence_services.competence_create(
        organisation=cast.organisation, by=hr, code="VORK", name="Heftruck", kind="general"
    )


@pytest.mark.parametrize("kind", list(imports.COLUMNS))
def test_the_export_has_the_template_columns_with_a_bold_frozen_header(
    cast: Cast, client_for: Any, kind: str
) -> None:
    sheet = export(client_for(cast.user(Role.HR)), kind).worksheets[0]
    keys = [column.key for column in imports.COLUMNS[kind]]
    assert [cell.value for cell in sheet[1]] == keys
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[chr(ord("A") + i)].width for i in range(len(keys))]
    assert widths == [column.width for column in imports.COLUMNS[kind]]


def test_the_people_export_holds_the_people_of_this_organisation_only(
    cast: Cast, client_for: Any
) -> None:
    worker = cast.worker
    assert worker is not None
    people = rows(export(client_for(cast.user(Role.HR)), "people"))
    names = {(row[1], row[2]) for row in people}
    assert ("Wout", "Werker") in names
    assert ("Zita", "Zijstraat") not in names
    assert len(people) == len(cast.users) + 1  # a record per role, and the worker
    wout = next(row for row in people if row[1] == "Wout")
    assert wout[10:12] == ("Verpakking", "OPR")  # no unit code: the unit by its name


def test_the_other_organisation_exports_only_its_own(cast: Cast, client_for: Any) -> None:
    assert cast.other_hr is not None
    client = client_for(cast.other_hr)
    assert [row[1] for row in rows(export(client, "people"))] == ["Zita"]
    assert [row[0] for row in rows(export(client, "units"))] == ["Geheime Afdeling"]
    assert rows(export(client, "functions")) == []


def test_hr_of_one_unit_exports_only_the_people_of_that_unit(cast: Cast, client_for: Any) -> None:
    scoped = UserFactory()
    grant(scoped, cast.organisation, Role.HR, cast.packaging)
    people = rows(export(client_for(scoped), "people"))
    assert {row[10] for row in people} == {"Verpakking"}


def test_units_and_functions_are_exported_with_parents_and_tasks(
    cast: Cast, client_for: Any
) -> None:
    services.unit_update(unit=cast.production, by=cast.user(Role.HR), code="PROD")
    services.job_update(
        job=cast.job,
        by=cast.user(Role.HR),
        tasks=[
            services.TaskLine("executive", "Mengen"),
            services.TaskLine("preparatory", "Afwegen"),
        ],
    )
    client = client_for(cast.user(Role.HR))
    units = rows(export(client, "units"))
    assert ("Verpakking", None, "team", "PROD", None) in units
    functions = rows(export(client, "functions"))
    assert functions == [
        ("OPR", "Operator", None, None, 6, 30, "executive: Mengen; preparatory: Afwegen")
    ]


def test_text_that_looks_like_a_formula_stays_text(cast: Cast, client_for: Any) -> None:
    EmployeeFactory(organisation=cast.organisation, first_name='=HYPERLINK("http://x","y")')
    sheet = export(client_for(cast.user(Role.HR)), "people").worksheets[0]
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if str(row[1].value).startswith("="))
    assert cell.data_type == "s"


@pytest.mark.parametrize("kind", list(imports.COLUMNS))
def test_an_export_imports_again_without_changes(cast: Cast, client_for: Any, kind: str) -> None:
    add_people(cast, 5)
    if kind == ImportKind.COMPETENCES:
        add_catalogue(cast)
    content = client_for(cast.user(Role.HR)).get(reverse("people:export", kwargs={"kind": kind}))
    job = imports.import_job_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        kind=kind,
        name="export.xlsx",
        content=content.content,
    )
    assert job.status == ImportStatus.READY, [p.message for p in imports.import_problems(job)]
    assert (job.create_count, job.update_count) == (0, 0)
    assert job.unchanged_count == job.row_count > 0


@pytest.mark.parametrize("kind", list(imports.COLUMNS))
@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.CONSULTATION])
def test_the_export_is_refused_to_other_roles(
    cast: Cast, client_for: Any, kind: str, role: Role
) -> None:
    client = client_for(cast.user(role))
    assert client.get(reverse("people:export", kwargs={"kind": kind})).status_code == 403


def test_an_unknown_kind_is_not_found(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    assert client.get(reverse("people:export", kwargs={"kind": "salaries"})).status_code == 404


@pytest.mark.parametrize("kind", list(imports.COLUMNS))
def test_the_export_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any, kind: str
) -> None:
    """Session, user and access (5), then one query per list, plus one for the tasks."""
    client = client_for(cast.user(Role.HR))
    add_people(cast, 3)
    with django_assert_max_num_queries(7) as small:
        export(client, kind)
    add_people(cast, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        export(client, kind)
