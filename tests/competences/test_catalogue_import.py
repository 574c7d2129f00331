"""Importing and exporting the competence catalogue through the import pages of people."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from leerplek.competences import catalogue_services, services
from leerplek.competences.models import Competence, CompetenceGroup
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people import imports
from leerplek.people.models import ImportJob, ImportKind, ImportStatus
from tests.competences.factories import assess, competence
from tests.factories import Cast
from tests.people.test_import import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

KIND = ImportKind.COMPETENCES
HEADER = ["code", "name", "group", "kind", "description", "active", "level U", "Level O"]


def check(cast: Cast, name: str, content: bytes) -> ImportJob:
    return imports.import_job_create(
        organisation=cast.organisation, by=cast.user(Role.HR), kind=KIND, name=name, content=content
    )


def run(cast: Cast, name: str, content: bytes) -> ImportJob:
    job = check(cast, name, content)
    assert job.status == ImportStatus.READY, [p.message for p in imports.import_problems(job)]
    imports.import_job_confirm(job=job, by=cast.user(Role.HR))
    job.refresh_from_db()
    return job


def problems(job: ImportJob) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.value, p.code) for p in imports.import_problems(job)]


def test_a_catalogue_in_xlsx_creates_competences_groups_and_level_texts(cast: Cast) -> None:
    catalogue_services.group_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="Hygiëne"
    )
    content = xlsx(
        HEADER,
        [
            [
                "HACCP",
                "Werkt hygiënisch",
                "hygiëne",
                "technisch",
                "HACCP-regels",
                "ja",
                "Alleen",
                "",
            ],
            ["TEAM", "Werkt samen", "Houding en samenwerking", "Algemeen", "", "", "", "Leert aan"],
            ["ATT", "Stiptheid", "Houding en samenwerking", "attitude", "", "nee", "", ""],
            ["LOOSE", "Zonder groep", "", "", "", "", "", ""],
        ],
    )
    job = check(cast, "catalogus.xlsx", content)
    assert job.status == ImportStatus.READY, problems(job)
    # Four new competences and one new group ("Houding en samenwerking").
    assert (job.create_count, job.update_count, job.unchanged_count) == (5, 0, 0)
    assert not Competence.objects.exists()  # checking writes nothing
    imports.import_job_confirm(job=job, by=cast.user(Role.HR))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    haccp = Competence.objects.select_related("group").get(code="HACCP")
    assert (haccp.group.name, haccp.kind, haccp.is_active) == ("Hygiëne", "technical", True)  # type: ignore[union-attr]
    assert haccp.level_texts == {"U": "Alleen"}
    team = Competence.objects.get(code="TEAM")
    assert (team.kind, team.level_texts) == ("general", {"O": "Leert aan"})
    assert Competence.objects.get(code="ATT").is_active is False
    assert Competence.objects.get(code="LOOSE").group is None
    assert CompetenceGroup.objects.filter(organisation=cast.organisation).count() == 2
    assert AuditEntry.objects.filter(action="competences.competence_created").count() == 4
    assert AuditEntry.objects.filter(action="people.import_completed").count() == 1


def test_every_problem_is_listed_with_row_column_and_value_and_nothing_is_written(
    cast: Cast,
) -> None:
    scale = catalogue_services.scale_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="1-5", preset="numeric"
    )
    catalogue_services.group_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="Mengen", scale=scale
    )
    content = csv_bytes(
        HEADER,
        [
            ["", "Geen code", "", "", "", "", "", ""],
            ["MIX", "Mengen", "Mengen", "vaardigheid", "", "misschien", "Alleen", ""],
            ["MIX", "Dubbel", "", "", "", "", "x" * 501, ""],
            ["NEW", "Nieuw", "Nieuwe groep", "", "", "", "", ""],
        ],
    )
    job = check(cast, "catalogus.csv", content)
    assert job.status == ImportStatus.INVALID
    found = problems(job)
    assert (2, "code", "", "required") in found
    assert (3, "kind", "vaardigheid", "bad_choice") in found
    assert (3, "active", "misschien", "competence_bad_boolean") in found
    assert (3, "level U", "Alleen", "competence_unknown_level") in found
    assert (4, "code", "MIX", "duplicate_in_file") in found
    assert (4, "level U", "x" * 200, "too_long") in found
    assert len(found) == 6
    messages = {p.column: p.message for p in imports.import_problems(job) if p.row == 3}
    assert messages["level U"].startswith("The scale 1-5 of this competence has no level U.")
    assert "1, 2, 3, 4, 5" in messages["level U"]
    assert not Competence.objects.exists()
    assert not CompetenceGroup.objects.filter(name="Nieuwe groep").exists()


def test_a_group_change_that_moves_given_levels_to_another_scale_is_refused(cast: Cast) -> None:
    scale = catalogue_services.scale_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="1-5", preset="numeric"
    )
    catalogue_services.group_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="Mengen", scale=scale
    )
    assess(cast, cast.worker, competence(cast, "MIX"), "U")
    job = check(cast, "c.csv", csv_bytes(["code", "name", "group"], [["MIX", "Mengen", "Mengen"]]))
    assert problems(job) == [(2, "group", "Mengen", "competence_group_scale")]
    assert "would be measured on 1-5" in imports.import_problems(job)[0].message


def test_reimport_updates_by_code_and_an_export_imports_again_unchanged(
    cast: Cast, client_for: Any
) -> None:
    scale = catalogue_services.scale_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="1-5", preset="numeric"
    )
    mixing = catalogue_services.group_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="Mengen", scale=scale
    )
    competence(cast, "MIX", group=mixing, level_texts={"4": "Mengt alleen"})
    competence(cast, "HACCP", level_texts={"U": "Alleen", "O": "Leert aan"})
    client = client_for(cast.user(Role.HR))
    response = client.get(reverse("people:export", kwargs={"kind": KIND}))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == [column.key for column in imports.COLUMNS[KIND]]
    assert header[6:] == ["level 0", "level I", "level L", "level U", "level O"] + [
        f"level {n}" for n in range(1, 6)
    ]
    job = check(cast, "export.xlsx", response.content)
    assert job.status == ImportStatus.READY, problems(job)
    assert (job.create_count, job.update_count, job.unchanged_count) == (0, 0, 2)

    # Change a name and a level text; leave the other columns out: they stay.
    job = run(cast, "c.csv", csv_bytes(["code", "name", "level U"], [["haccp", "Hygiëne", "Zelf"]]))
    assert (job.create_count, job.update_count) == (0, 1)
    haccp = Competence.objects.get(code="HACCP")
    assert (haccp.name, haccp.level_texts) == ("Hygiëne", {"U": "Zelf", "O": "Leert aan"})


def test_the_import_page_offers_the_catalogue_with_template_and_export(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    page = client.get(reverse("people:import")).content.decode()
    assert "Competence catalogue" in page
    assert reverse("people:export", kwargs={"kind": KIND}) in page
    catalogue = client.get(reverse("competences:competence-list")).content.decode()
    assert reverse("people:import") in catalogue
    response = client.get(reverse("people:import-template", kwargs={"kind": KIND}))
    help_sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[1]
    explained = [row[0] for row in help_sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert "level <code>" in explained


def test_a_manager_may_not_import_the_catalogue(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.MANAGER))
    assert client.get(reverse("people:import")).status_code == 403
    assert client.get(reverse("people:export", kwargs={"kind": KIND})).status_code == 403
    catalogue = client.get(reverse("competences:competence-list")).content.decode()
    assert reverse("people:import") not in catalogue


def test_the_catalogue_export_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    url = reverse("people:export", kwargs={"kind": KIND})
    competence(cast, "A", level_texts={"U": "x"})
    with django_assert_max_num_queries(7) as few:
        client.get(url)
    group = catalogue_services.group_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="G"
    )
    for i in range(30):
        competence(cast, f"C{i:02d}", group=group if i % 2 else None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_checking_a_catalogue_keeps_a_fixed_query_count(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    def rows(n: int) -> bytes:
        return csv_bytes(
            HEADER, [[f"C{i}", f"N{i}", f"G{i % 3}", "", "", "", "U", ""] for i in range(n)]
        )

    services.default_scale(cast.organisation)
    with django_assert_max_num_queries(20) as few:
        check(cast, "a.csv", rows(3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        check(cast, "b.csv", rows(60))
