"""Importing an existing skills matrix from Excel or CSV: mapping, problems, preview, confirm."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from leerplek.competences import services
from leerplek.competences.matrix_import import (
    Mapping,
    matrix_import_confirm,
    matrix_import_create,
    matrix_import_remap,
)
from leerplek.competences.models import Assessment, Competence, CompetenceGroup, Level, LevelScale
from leerplek.competences.selectors import matrix_for_unit
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import ImportJob, ImportStatus
from tests.competences.factories import acting, assess, competence, level
from tests.factories import Cast, EmployeeFactory

pytestmark = pytest.mark.django_db


def csv_file(*rows: str) -> bytes:
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


def xlsx_file(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def team(cast: Cast) -> dict[str, Any]:
    """Two operators in packaging and two competences (FILL required at U for their function)."""
    ann = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        job=cast.job,
        first_name="Ann",
        last_name="Aerts",
        employee_number="101",
        email="ann@example.test",
    )
    bob = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        job=cast.job,
        first_name="Bob",
        last_name="Bos",
        employee_number="102",
        email="bob@example.test",
    )
    fill = competence(cast, "FILL", name="Filling")
    clean = competence(cast, "CLEAN", name="Cleaning the line")
    services.requirement_set(
        competence=fill,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        job=cast.job,
        ideal_count=2,
    )
    return {"ann": ann, "bob": bob, "fill": fill, "clean": clean}


def create(cast: Cast, content: bytes, name: str = "matrix.csv") -> ImportJob:
    hr = acting(cast.user(Role.HR), cast.organisation)
    return matrix_import_create(
        organisation=cast.organisation, by=hr, access=hr.access, name=name, content=content
    )


def remap(cast: Cast, job: ImportJob, **changes: Any) -> ImportJob:
    hr = acting(cast.user(Role.HR), cast.organisation)
    mapping = Mapping.from_json(job.data["mapping"])
    for key, value in changes.items():
        setattr(mapping, key, value)
    return matrix_import_remap(job=job, by=hr, access=hr.access, mapping=mapping)


def confirm(cast: Cast, job: ImportJob) -> ImportJob:
    hr = acting(cast.user(Role.HR), cast.organisation)
    return matrix_import_confirm(job=job, by=hr, access=hr.access)


def official(employee: Any, what: Competence) -> str:
    latest = (
        Assessment.objects.filter(employee=employee, competence=what, is_self=False)
        .order_by("-assessed_on", "-created_at", "-id")
        .first()
    )
    return latest.level.code if latest else ""


def codes(job: ImportJob) -> list[str]:
    return [problem["code"] for problem in job.problems]


# --- Happy paths ---------------------------------------------------------------------------------


def test_letters_matrix_from_csv_is_previewed_then_recorded(cast: Cast) -> None:
    t = team(cast)
    job = create(
        cast,
        csv_file("Naam;FILL;Cleaning the line;Team", "Ann Aerts;U;i;Blue", "Bos Bob;-;O;Blue"),
    )
    # "Team" is named, so it is taken as a skill until unticked.
    assert job.status == ImportStatus.INVALID
    assert codes(job) == ["unknown_skill"]
    job = remap(cast, job, skill_columns=[1, 2])
    assert job.status == ImportStatus.READY, job.problems
    summary = job.data["summary"]
    assert (summary["people"], summary["competences"], summary["records"]) == (2, 2, 3)
    assert (summary["unchanged"], summary["empty"]) == (0, 1)
    assert Assessment.objects.count() == 0  # nothing written before confirming

    job = confirm(cast, job)
    assert job.status == ImportStatus.DONE
    assert "rows" not in job.data  # the cells are not kept
    assert official(t["ann"], t["fill"]) == "U"
    assert official(t["ann"], t["clean"]) == "I"
    assert official(t["bob"], t["clean"]) == "O"
    assert official(t["bob"], t["fill"]) == ""
    made = Assessment.objects.filter(employee=t["ann"], competence=t["fill"]).get()
    assert made.assessor == cast.employees[Role.HR]
    assert made.method == "observation"
    assert made.recorded_by == cast.user(Role.HR)
    assert made.assessed_on == datetime.date.today()
    entry = AuditEntry.objects.get(action="competences.matrix_imported")
    assert entry.after["recorded"] == 3
    assert entry.after["people"] == 2
    assert AuditEntry.objects.filter(action="competences.assessed").count() == 0
    # The matrix page shows the imported levels.
    matrix = matrix_for_unit(
        unit=cast.packaging, access=acting(cast.user(Role.HR), cast.organisation).access
    )
    ann = next(row for row in matrix.rows if row.employee == t["ann"])
    fill_at = [column.competence for column in matrix.columns].index(t["fill"])
    assert ann.cells[fill_at].code == "U"


def test_numbers_zero_to_four_from_xlsx(cast: Cast) -> None:
    t = team(cast)
    content = xlsx_file(
        [
            ["Skills matrix 2025"],
            ["Personnel number", "fill", "CLEAN"],
            [101, 3, 0],
            [102, 4.0, None],
        ]
    )
    job = create(cast, content, "matrix.xlsx")
    # The title row is first: choose the second row as the header.
    job = remap(cast, job, header_row=2, person_column=0, skill_columns=[1, 2])
    job = remap(cast, job, identify_by="employee_number", levels="0-4")
    assert job.status == ImportStatus.READY, job.problems
    assert job.data["summary"]["scales"] == [
        ["ILUO", [["0", "0"], ["1", "I"], ["2", "L"], ["3", "U"], ["4", "O"]]]
    ]
    confirm(cast, job)
    assert official(t["ann"], t["fill"]) == "U"
    assert official(t["ann"], t["clean"]) == "0"
    assert official(t["bob"], t["fill"]) == "O"


def test_guesses_numbers_and_identity_from_the_cells(cast: Cast) -> None:
    team(cast)
    job = create(cast, csv_file("Email,FILL,CLEAN", "ann@example.test,1,5", "bob@example.test,2,"))
    mapping = job.data["mapping"]
    assert mapping["identify_by"] == "email"
    assert mapping["levels"] == "1-5"
    assert mapping["skill_columns"] == [1, 2]
    assert job.status == ImportStatus.READY, job.problems


def test_one_to_five_reads_a_groups_numeric_scale(cast: Cast) -> None:
    t = team(cast)
    scale = LevelScale.objects.create(organisation=cast.organisation, name="Five")
    Level.objects.bulk_create(
        Level(scale=scale, code=str(rank), rank=rank, name=f"Level {rank}") for rank in range(1, 6)
    )
    group = CompetenceGroup.objects.create(organisation=cast.organisation, name="G", scale=scale)
    t["clean"].group = group
    t["clean"].save()
    job = create(cast, csv_file("Name;FILL;CLEAN", "Ann Aerts;2;5"))
    job = remap(cast, job, levels="1-5")
    assert job.status == ImportStatus.READY, job.problems
    confirm(cast, job)
    assert official(t["ann"], t["fill"]) == "I"  # ILUO: 1 → 0, 2 → I
    assert official(t["ann"], t["clean"]) == "5"


def test_unknown_skill_becomes_a_new_competence_only_on_confirm(cast: Cast) -> None:
    t = team(cast)
    job = create(cast, csv_file("Name;FILL;Forklift Driving", "Ann Aerts;U;L"))
    assert codes(job) == ["unknown_skill"]
    job = remap(cast, job, create_missing=True)
    assert job.status == ImportStatus.READY
    assert job.data["summary"]["new"] == [["FORKLIFT-DRIVING", "Forklift Driving"]]
    assert not Competence.objects.filter(code="FORKLIFT-DRIVING").exists()
    confirm(cast, job)
    forklift = Competence.objects.get(organisation=cast.organisation, code="FORKLIFT-DRIVING")
    assert forklift.name == "Forklift Driving"
    assert official(t["ann"], forklift) == "L"


def test_skill_headers_match_by_name_without_case_or_accents(cast: Cast) -> None:
    t = team(cast)
    hygiene = competence(cast, "HYG", name="Hygiëne")
    job = create(cast, csv_file("Name;HYGIENE;fill", "Ann Aerts;O;U"))
    assert job.status == ImportStatus.READY, job.problems
    confirm(cast, job)
    assert official(t["ann"], hygiene) == "O"


def test_cells_equal_to_the_current_level_are_not_recorded_again(cast: Cast) -> None:
    t = team(cast)
    assess(cast, t["ann"], t["fill"], "U")
    job = create(cast, csv_file("Name;FILL;CLEAN", "Ann Aerts;U;L", "Bob Bos;;"))
    summary = job.data["summary"]
    assert (summary["records"], summary["unchanged"], summary["empty"]) == (1, 1, 2)
    confirm(cast, job)
    assert Assessment.objects.filter(employee=t["ann"], competence=t["fill"]).count() == 1


# --- Problems: nothing is written ----------------------------------------------------------------


def test_problems_name_row_column_and_value_and_nothing_is_written(cast: Cast) -> None:
    t = team(cast)
    EmployeeFactory(organisation=cast.organisation, first_name="Ann", last_name="Aerts")
    EmployeeFactory(
        organisation=cast.organisation,
        first_name="Lea",
        last_name="Left",
        exit_date=datetime.date(2024, 1, 1),
        exit_reason="resignation",
    )
    job = create(
        cast,
        csv_file(
            "Name;FILL;CLEAN",
            "Ann Aerts;U;L",  # two people are called Ann Aerts
            "Nobody Here;U;",
            "Bob Bos;X2;U",
            "Lea Left;U;",
            "Bob Bos;I;",
        ),
    )
    assert job.status == ImportStatus.INVALID
    found = {(p["row"], p["letter"], p["value"], p["code"]) for p in job.problems}
    assert found == {
        (2, "A", "Ann Aerts", "ambiguous_person"),
        (3, "A", "Nobody Here", "unknown_person"),
        (4, "B", "X2", "bad_level"),
        (5, "A", "Lea Left", "person_left"),
        (6, "A", "Bob Bos", "duplicate_person"),
    }
    assert Assessment.objects.count() == 0
    assert t["ann"].assessments.count() == 0


def test_duplicate_skill_column_and_own_level_are_problems(cast: Cast) -> None:
    team(cast)
    hr_person = cast.employees[Role.HR]
    job = create(
        cast,
        csv_file("Name;FILL;Filling", f"{hr_person.first_name} {hr_person.last_name};U;U"),
    )
    assert sorted(codes(job)) == ["duplicate_skill", "own_level"]


def test_confirm_checks_again_and_refuses_a_person_who_left_meanwhile(cast: Cast) -> None:
    t = team(cast)
    job = create(cast, csv_file("Name;FILL", "Ann Aerts;U"))
    assert job.status == ImportStatus.READY
    t["ann"].exit_date = datetime.date(2024, 1, 1)
    t["ann"].exit_reason = "resignation"
    t["ann"].save()
    job = confirm(cast, job)
    assert job.status == ImportStatus.INVALID
    assert codes(job) == ["person_left"]
    assert Assessment.objects.count() == 0
    assert not AuditEntry.objects.filter(action="competences.matrix_imported").exists()


def test_unreadable_file_is_one_problem(cast: Cast) -> None:
    job = create(cast, b"not a workbook", "matrix.xlsx")
    assert job.status == ImportStatus.INVALID
    assert codes(job) == ["file_unreadable"]


# --- Views ---------------------------------------------------------------------------------------


def upload(client: Any, content: bytes, name: str = "matrix.csv") -> Any:
    return client.post(
        reverse("competences:matrix-import"),
        {"file": SimpleUploadedFile(name, content, "text/csv")},
    )


def test_pages_upload_map_preview_and_confirm(cast: Cast, client_for: Any) -> None:
    t = team(cast)
    client = client_for(cast.user(Role.HR))
    assert client.get(reverse("competences:matrix-import")).status_code == 200
    response = upload(client, csv_file("Name;FILL;Team", "Ann Aerts;U;Blue"))
    job = ImportJob.objects.get(kind="matrix")
    assert response["Location"] == reverse("competences:matrix-import-detail", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Problems to correct" in page.content
    assert b"Team" in page.content
    # Untick "Team" on the mapping form.
    posted = client.post(
        response["Location"],
        {
            "header_row": "1",
            "person_column": "0",
            "identify_by": "name",
            "skill_columns": ["1"],
            "levels": "letters",
            "assessed_on": "2025-03-03",
            "method": "test",
            "assessor": str(cast.employees[Role.COACH].pk),
        },
    )
    assert posted.status_code == 302
    page = client.get(response["Location"])
    assert b"Ready to import" in page.content
    assert b"Assessments to record" in page.content
    done = client.post(reverse("competences:matrix-import-confirm", args=[job.pk]), follow=True)
    assert b"1 assessment was recorded." in done.content
    made = Assessment.objects.get(employee=t["ann"])
    assert (made.level.code, made.method, made.assessor) == (
        "U",
        "test",
        cast.employees[Role.COACH],
    )
    assert made.assessed_on == datetime.date(2025, 3, 3)


def test_mapping_form_refuses_a_future_date(cast: Cast, client_for: Any) -> None:
    team(cast)
    client = client_for(cast.user(Role.HR))
    job = create(cast, csv_file("Name;FILL", "Ann Aerts;U"))
    future = datetime.date.today() + datetime.timedelta(days=3)
    response = client.post(
        reverse("competences:matrix-import-detail", args=[job.pk]),
        {
            "header_row": "1",
            "person_column": "0",
            "identify_by": "name",
            "skill_columns": ["1"],
            "levels": "letters",
            "assessed_on": future.isoformat(),
            "method": "observation",
            "assessor": str(cast.employees[Role.HR].pk),
        },
    )
    assert response.status_code == 422
    assert b"cannot be in the future" in response.content


def test_manager_and_unit_scoped_hr_are_refused(cast: Cast, client_for: Any) -> None:
    from tests.factories import UserFactory, grant

    job = create(cast, csv_file("Name;FILL", "Ann Aerts;U"))
    detail = reverse("competences:matrix-import-detail", args=[job.pk])
    client = client_for(cast.user(Role.MANAGER))
    assert client.get(reverse("competences:matrix-import")).status_code == 403
    assert client.get(detail).status_code == 403
    unit_hr = UserFactory()
    grant(unit_hr, cast.organisation, Role.HR, cast.production)
    client = client_for(unit_hr)
    assert client.get(reverse("competences:matrix-import")).status_code == 403
    assert (
        client.post(reverse("competences:matrix-import-confirm", args=[job.pk])).status_code == 403
    )


def test_another_organisations_job_and_another_kind_are_404(cast: Cast, client_for: Any) -> None:
    from leerplek.people.imports import import_job_create

    job = create(cast, csv_file("Name;FILL", "Ann Aerts;U"))
    assert cast.other_hr is not None
    other = client_for(cast.other_hr)
    assert other.get(reverse("competences:matrix-import-detail", args=[job.pk])).status_code == 404
    confirm_url = reverse("competences:matrix-import-confirm", args=[job.pk])
    assert other.post(confirm_url).status_code == 404
    units = import_job_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        kind="units",
        name="units.csv",
        content=b"name;code;kind\r\nA;A;team\r\n",
    )
    client = client_for(cast.user(Role.HR))
    assert (
        client.get(reverse("competences:matrix-import-detail", args=[units.pk])).status_code == 404
    )


def test_preview_page_queries_are_bounded(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    team(cast)
    for n in range(30):
        EmployeeFactory(organisation=cast.organisation, first_name="P", last_name=f"N{n}")
    rows = ["Name;FILL;CLEAN"] + [f"P N{n};U;L" for n in range(30)]
    job = create(cast, csv_file(*rows))
    assert job.status == ImportStatus.READY
    client = client_for(cast.user(Role.HR))
    url = reverse("competences:matrix-import-detail", args=[job.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_choosing_another_header_row_on_the_page_resets_the_columns(
    cast: Cast, client_for: Any
) -> None:
    team(cast)
    content = xlsx_file([["Skills matrix, spring"], ["Name", "FILL", "CLEAN"], ["Ann Aerts", "U"]])
    client = client_for(cast.user(Role.HR))
    response = upload(client, content, "matrix.xlsx")
    job = ImportJob.objects.get(kind="matrix")
    assert job.status == ImportStatus.INVALID  # row 1 holds only a title: no skills
    posted = client.post(
        response["Location"],
        {
            "header_row": "2",
            "person_column": "0",
            "identify_by": "name",
            "levels": "letters",
            "assessed_on": "2025-03-03",
            "method": "observation",
            "assessor": str(cast.employees[Role.HR].pk),
        },
    )
    assert posted.status_code == 302
    job.refresh_from_db()
    assert (job.data["mapping"]["header_row"], job.data["mapping"]["skill_columns"]) == (2, [1, 2])
    assert job.status == ImportStatus.READY, job.problems
    page = client.get(response["Location"])
    assert b"B: FILL" in page.content


def test_matrix_page_links_to_the_import_for_hr_only(cast: Cast, client_for: Any) -> None:
    t = team(cast)
    assess(cast, t["ann"], t["fill"], "U")
    url = reverse("competences:matrix") + f"?unit={cast.packaging.pk}"
    link = reverse("competences:matrix-import").encode()
    assert link in client_for(cast.user(Role.HR)).get(url).content
    assert link not in client_for(cast.user(Role.MANAGER)).get(url).content
