"""The pages of the activities area: the import (a good file, a file with errors listed by row
and column with nothing saved, the template), the extra fields of the registration form, who
may open them, and query counts that stay flat as the data grows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.registration.models import Activity, ExtraField, Participation
from tests.factories import Cast
from tests.registration.factories import person
from tests.registration.factories_activities import hr, workbook
from tests.registration.test_activities_import import GOOD, people

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"registration:{name}", args=args)


def upload(client: Any, content: bytes, name: str = "fonds.xlsx") -> Any:
    return client.post(url("import"), {"file": SimpleUploadedFile(name, content)})


def test_hr_imports_a_good_file_and_sees_what_was_imported(cast: Cast, client_for: Any) -> None:
    people(cast)
    client = client_for(cast.user(Role.HR))

    response = upload(client, workbook(GOOD))

    assert response.status_code == 302
    assert response["Location"] == url("import")
    page = client.get(url("import")).content.decode()
    assert "2 activities, 3 participations imported." in page
    assert "fonds.xlsx" in page  # the recent imports
    assert Activity.objects.count() == 2


def test_a_file_with_errors_lists_them_by_row_and_column_and_saves_nothing(
    cast: Cast, client_for: Any
) -> None:
    people(cast)
    rows = [list(row) for row in GOOD]
    rows[0][9] = "-2"
    rows[2][8] = "9999"
    client = client_for(cast.user(Role.HR))

    response = upload(client, workbook(rows))

    assert response.status_code == 422
    page = response.content.decode()
    assert "The file was not imported: 2 problems. Nothing was saved." in page
    assert "No person with employee_number 9999 in this organisation." in page
    assert ">J hours<" in page.replace("\n", "") or "J hours" in page
    assert not Activity.objects.exists()
    assert not Participation.objects.exists()


def test_a_missing_or_foreign_file_is_refused(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    assert client.post(url("import"), {}).status_code == 422
    response = upload(client, b"title;hours", name="fonds.csv")
    assert response.status_code == 422
    assert "Upload an Excel workbook (.xlsx)" in response.content.decode()


def test_the_template_downloads(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).get(url("import-template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK")


@pytest.mark.parametrize("name", ["import", "import-template", "field-list", "field-create"])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE])
def test_only_hr_opens_the_import_and_the_fields(
    cast: Cast, client_for: Any, name: str, role: Role
) -> None:
    assert client_for(cast.user(role)).get(url(name)).status_code == 403


def test_hr_adds_changes_and_deactivates_a_field(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    refused = client.post(
        url("field-create"), {"label": "Niveau", "kind": "choice", "choices": "", "position": 0}
    )
    assert refused.status_code == 422
    assert "Give at least one choice, one per line." in refused.content.decode()
    assert not ExtraField.objects.exists()

    created = client.post(
        url("field-create"),
        {"label": "Niveau", "kind": "choice", "choices": "A\nB", "required": "on", "position": 1},
    )
    assert created.status_code == 302
    field = ExtraField.objects.get()
    assert (field.key, field.choice_list, field.required) == ("niveau", ["A", "B"], True)
    # The core's registration form shows it.
    assert "Niveau" in client.get(url("activity-create")).content.decode()

    edited = client.post(
        url("field-edit", field.pk),
        {"label": "Niveau (fonds)", "choices": "A\nB\nC", "position": 2},
    )
    assert edited.status_code == 302
    field.refresh_from_db()
    assert (field.label, field.kind, field.required) == ("Niveau (fonds)", "choice", False)

    assert client.post(url("field-deactivate", field.pk)).status_code == 302
    field.refresh_from_db()
    assert not field.active
    page = client.get(url("field-list")).content.decode()
    assert "Out of use" in page
    assert client.post(url("field-activate", field.pk)).status_code == 302
    field.refresh_from_db()
    assert field.active


def test_another_organisations_field_does_not_exist(cast: Cast, client_for: Any) -> None:
    assert cast.other_organisation is not None
    foreign = ExtraField.objects.create(organisation=cast.other_organisation, key="x", label="X")
    client = client_for(cast.user(Role.HR))
    assert client.get(url("field-edit", foreign.pk)).status_code == 404
    assert client.post(url("field-deactivate", foreign.pk)).status_code == 404


def grow(cast: Cast, count: int, start: int) -> None:
    for index in range(start, start + count):
        ExtraField.objects.create(
            organisation=cast.organisation,
            key=f"f{index}",
            label=f"Veld {index}",
            kind="choice",
            choices="A\nB",
        )
        title = f"Cursus {index}"
        employee = person(cast, f"P{index}", employee_number=f"9{index:03}")
        from leerplek.registration.imports_activities import activities_import

        header = ["title", "category", "start_date", "employee_number", "hours"]
        result = activities_import(
            organisation=cast.organisation,
            by=hr(cast),
            name=f"f{index}.xlsx",
            content=workbook(
                [[title, "formal", datetime.date(2025, 1, 1 + index), employee.employee_number, 2]],
                header,
            ),
        )
        assert result.ok, [p.message for p in result.problems]


@pytest.mark.parametrize("name", ["import", "field-list"])
def test_pages_keep_their_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any, name: str
) -> None:
    client = client_for(cast.user(Role.HR))
    grow(cast, 1, 0)
    with django_assert_max_num_queries(14) as small:
        assert client.get(url(name)).status_code == 200
    grow(cast, 15, 1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url(name)).status_code == 200


def test_the_import_runs_a_fixed_number_of_queries_per_row(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    """Measured: 12 queries per row with one cost line (the core services each check the closed
    year, insert and audit, in a savepoint), plus about 15 for the file; no N+1 in the checks."""
    from leerplek.registration.imports_activities import activities_import

    header = ["title", "category", "start_date", "employee_number", "hours", "external_cost"]
    for count in (5, 25):
        staff = [
            person(cast, f"R{count}-{i}", employee_number=f"R{count}-{i}") for i in range(count)
        ]
        rows = [
            ["Groot", "formal", datetime.date(2025, 2, count), p.employee_number, 3, 10]
            for p in staff
        ]
        with django_assert_max_num_queries(16 + 12 * count):
            assert activities_import(
                organisation=cast.organisation,
                by=hr(cast),
                name="x.xlsx",
                content=workbook(rows, header),
            ).ok
