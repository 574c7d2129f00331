"""The skills matrix as an XLSX workbook: contents, colours, formula safety, refusals, queries."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from leerplek.competences import services
from leerplek.core.roles import Role
from leerplek.core.xlsx import XLSX_TYPE
from tests.competences.factories import assess, competence, level
from tests.competences.test_matrix import grow, small_team
from tests.factories import Cast, EmployeeFactory, WorkstationFactory

pytestmark = pytest.mark.django_db

GREEN, RED, GREY = "FFDCFCE7", "FFFEE2E2", "FFF3F4F6"


def export_url(cast: Cast) -> str:
    return reverse("competences:matrix-export") + f"?unit={cast.packaging.pk}"


def sheet_of(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.content)).active


def test_export_lists_levels_required_row_coverage_and_polyvalence(
    cast: Cast, client_for: Any
) -> None:
    team = small_team(cast)
    assess(cast, team["ann"], team["fill"], "U")
    assess(cast, team["ann"], team["clean"], "O")
    assess(cast, team["bob"], team["fill"], "L")
    sheet = sheet_of(client_for(cast.user(Role.MANAGER)).get(export_url(cast)))
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert rows["Person"] == ("CLEAN", "FILL", "Polyvalence")
    assert rows["Required level"] == ("U", "U", None)
    assert rows["Aerts, " + team["ann"].first_name] == ("O", "U", 1)
    assert rows["Bos, " + team["bob"].first_name] == (None, "L", 0)
    assert rows["Coverage / ideal"] == ("1/2", "1/2", None)
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].font.b
    assert sheet["B1"].font.b


def test_export_colours_cells_as_the_page_does(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    assess(cast, team["ann"], team["fill"], "U")
    assess(cast, team["bob"], team["fill"], "L")
    sheet = sheet_of(client_for(cast.user(Role.HR)).get(export_url(cast)))
    by_name = {row[0].value: row for row in sheet.iter_rows()}
    ann = by_name["Aerts, " + team["ann"].first_name]
    bob = by_name["Bos, " + team["bob"].first_name]
    # Columns: CLEAN, FILL. At or above the required level green, below it red.
    assert ann[2].fill.fgColor.rgb == GREEN
    assert ann[1].fill.fgColor.rgb == RED  # not assessed, U required
    assert bob[2].fill.fgColor.rgb == RED
    assert ann[3].number_format == "0%"
    coverage = by_name["Coverage / ideal"]
    assert coverage[1].fill.fgColor.rgb == RED
    assert coverage[1].font.color.rgb == "FF991B1B"


def test_export_never_turns_a_name_into_a_formula(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        job=cast.job,
        last_name='=HYPERLINK("http://evil.test")',
        first_name="Eve",
    )
    response = client_for(cast.user(Role.HR)).get(export_url(cast))
    sheet = sheet_of(response)
    names = [cell for (cell,) in sheet.iter_rows(min_col=1, max_col=1)]
    evil = next(cell for cell in names if str(cell.value).startswith("="))
    assert evil.data_type == "s"
    assert team["ann"].last_name in [str(cell.value).split(",")[0] for cell in names]


def test_export_without_a_unit_takes_the_first_unit_in_scope(cast: Cast, client_for: Any) -> None:
    small_team(cast)
    response = client_for(cast.user(Role.MANAGER)).get(reverse("competences:matrix-export"))
    names = [row[0] for row in sheet_of(response).iter_rows(values_only=True)]
    assert any(str(name).startswith("Aerts") for name in names)


def test_export_refuses_an_employee_and_a_unit_out_of_scope(cast: Cast, client_for: Any) -> None:
    small_team(cast)
    assert client_for(cast.user(Role.EMPLOYEE)).get(export_url(cast)).status_code == 403
    manager = client_for(cast.user(Role.MANAGER))
    office = reverse("competences:matrix-export") + f"?unit={cast.office.pk}"
    assert manager.get(office).status_code == 403


def test_export_of_another_organisations_unit_is_not_found(cast: Cast, client_for: Any) -> None:
    assert cast.other_hr is not None
    response = client_for(cast.other_hr).get(export_url(cast))
    assert response.status_code == 404


def test_matrix_page_links_to_the_export(cast: Cast, client_for: Any) -> None:
    small_team(cast)
    body = client_for(cast.user(Role.MANAGER)).get(export_url(cast).replace("export/", ""))
    assert export_url(cast).replace("&", "&amp;") in body.content.decode()
    assert "Export to Excel" in body.content.decode()


def test_export_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.MANAGER))
    grow(cast, 2, 3)
    with django_assert_max_num_queries(12) as small:
        sheet = sheet_of(client.get(export_url(cast)))
    before = sheet.max_row
    grow(cast, 25, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        sheet = sheet_of(client.get(export_url(cast)))
    assert sheet.max_row == before + 25
    assert sheet.max_column == 1 + 15 + 1


def test_export_marks_expiry_and_release_and_has_a_legend(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    today = timezone.localdate()
    assess(cast, team["ann"], team["fill"], "U", valid_until=today - datetime.timedelta(days=1))
    assess(cast, team["bob"], team["fill"], "O", valid_until=today + datetime.timedelta(days=5))
    response = client_for(cast.user(Role.HR)).get(export_url(cast))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    by_name = {row[0].value: row for row in sheet.iter_rows()}
    ann = by_name["Aerts, " + team["ann"].first_name]
    bob = by_name["Bos, " + team["bob"].first_name]
    assert ann[2].value == "U \u00d7"  # expired
    assert ann[2].font.i
    assert ann[2].fill.fgColor.rgb == GREY
    assert bob[2].value == "O \u21bb"  # expires soon, still covers
    assert bob[2].fill.fgColor.rgb == GREEN
    assert by_name["Coverage / ideal"][2].value == "1/2"
    legend = list(book["Legend"].iter_rows(values_only=True))
    assert ("\u25d5", "U", "Independent") in legend
    texts = [row[2] for row in legend if row and len(row) > 2]
    assert "not released to work alone at the workstation" in texts
    assert any(str(text).startswith("expired") for text in texts)


def test_export_follows_the_pages_filters(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    weigh = competence(cast, "WEIGH")
    services.requirement_set(
        competence=weigh,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        workstation=station,
    )
    url = export_url(cast) + f"&workstation={station.pk}"
    sheet = sheet_of(client_for(cast.user(Role.HR)).get(url))
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert rows["Person"] == ("WEIGH", "Polyvalence")
    assert rows["Bos, " + team["bob"].first_name] == ("!", 0)  # not released at the station
