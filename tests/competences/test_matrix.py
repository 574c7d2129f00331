"""The skills matrix: latest level, required marks, coverage, polyvalence, releases, queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from leerplek.competences import services
from leerplek.competences.models import CompetenceGroup, Level, LevelScale
from leerplek.competences.selectors import MatrixFilters, matrix_for_unit
from leerplek.core.roles import Role
from tests.competences.factories import DAY, acting, assess, competence, level
from tests.factories import Cast, EmployeeFactory, JobFactory, WorkstationFactory

pytestmark = pytest.mark.django_db


def small_team(cast: Cast) -> dict[str, Any]:
    """Two operators in packaging with two competences their function needs (ideal 2 at U)."""
    hr = cast.user(Role.HR)
    ann = EmployeeFactory(
        organisation=cast.organisation, unit=cast.packaging, job=cast.job, last_name="Aerts"
    )
    bob = EmployeeFactory(
        organisation=cast.organisation, unit=cast.packaging, job=cast.job, last_name="Bos"
    )
    fill, clean = competence(cast, "FILL"), competence(cast, "CLEAN")
    for what in (fill, clean):
        services.requirement_set(
            competence=what, by=hr, level=level(cast.organisation, "U"), job=cast.job, ideal_count=2
        )
    return {"ann": ann, "bob": bob, "fill": fill, "clean": clean}


def hr_access(cast: Cast) -> Any:
    return acting(cast.user(Role.HR), cast.organisation).access


def page_cell(body: str, employee: Any, what: Any) -> str:
    """The markup of one cell on the matrix page: the person's row (marked with data-e when the
    viewer may change it, else found by the link to his page) at the competence's column."""
    header = body[body.index("<thead>") : body.index("</thead>")]
    columns = re.findall(r'data-c="(\d+)"', header)
    start = body.find(f'<tr data-e="{employee.pk}">')
    if start < 0:
        link = reverse("competences:employee-competences", kwargs={"employee_id": employee.pk})
        start = body.rindex("<tr", 0, body.index(f'href="{link}"'))
    row = body[start : body.index("</tr>", start)]
    cells = re.findall(r"<td[^>]*>.*?</td>", row)
    return cells[columns.index(str(what.pk))]


def test_matrix_shows_the_latest_official_level_and_keeps_history(cast: Cast) -> None:
    team = small_team(cast)
    assess(cast, team["ann"], team["fill"], "I", on=datetime.date(2025, 1, 6))
    assess(cast, team["ann"], team["fill"], "O", on=datetime.date(2025, 2, 3))
    services.assessment_record(
        employee=team["ann"],
        competence=team["fill"],
        level=level(cast.organisation, "L"),
        assessed_on=datetime.date(2025, 2, 4),
        by=acting(cast.user(Role.HR), cast.organisation),
        method="self_assessment",
    )
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    codes = [column.competence.code for column in matrix.columns]
    assert codes == ["CLEAN", "FILL"]
    ann = next(row for row in matrix.rows if row.employee == team["ann"])
    assert [cell.code for cell in ann.cells] == ["", "O"]
    assert team["ann"].assessments.count() == 3


@pytest.mark.parametrize("few_columns", [0, 40])
def test_assessments_outside_the_matrix_columns_are_left_out(
    cast: Cast, monkeypatch: Any, few_columns: int
) -> None:
    # A wide matrix reads all the people's assessments and skips the others in Python, a narrow
    # one asks the database for its columns only: the same matrix either way.
    monkeypatch.setattr("leerplek.competences.selectors.FEW_COLUMNS", few_columns)
    team = small_team(cast)
    assess(cast, team["ann"], competence(cast, "OTHER"), "O")  # nobody here needs it
    assess(cast, team["ann"], team["fill"], "U")
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    assert [column.competence.code for column in matrix.columns] == ["CLEAN", "FILL"]
    ann = next(row for row in matrix.rows if row.employee == team["ann"])
    assert [cell.code for cell in ann.cells] == ["", "U"]
    assert sorted(ann.filled) == [0, 1]  # both required, so both drawn
    assert ann.polyvalence == 50


def test_matrix_coverage_polyvalence_and_required_marks(cast: Cast) -> None:
    team = small_team(cast)
    assess(cast, team["ann"], team["fill"], "U")
    assess(cast, team["ann"], team["clean"], "O")
    assess(cast, team["bob"], team["fill"], "L")
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    clean, fill = matrix.columns
    assert (clean.coverage, clean.ideal, clean.short) == (1, 2, True)
    assert (fill.coverage, fill.ideal, fill.short) == (1, 2, True)
    by_name = {row.employee.last_name: row for row in matrix.rows}
    assert by_name["Aerts"].polyvalence == 100
    assert by_name["Bos"].polyvalence == 0
    bob_clean, bob_fill = by_name["Bos"].cells
    assert (bob_fill.code, bob_fill.required, bob_fill.meets) == ("L", "U", False)
    assert (bob_clean.code, bob_clean.meets) == ("", False)


def test_matrix_marks_people_not_released_at_their_workstation(cast: Cast) -> None:
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    weigh = competence(cast, "WEIGH")
    services.requirement_set(
        competence=weigh,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        workstation=station,
    )
    new = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, workstation=station)
    old = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, workstation=station)
    services.work_release_grant(
        employee=old,
        workstation=station,
        released_on=DAY,
        by=acting(cast.user(Role.MANAGER), cast.organisation),
    )
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    flags = {row.employee.pk: (row.not_released, row.cells[0].not_released) for row in matrix.rows}
    assert flags[new.pk] == (True, True)
    assert flags[old.pk] == (False, False)


def grow(cast: Cast, people: int, competences: int) -> None:
    job = JobFactory(organisation=cast.organisation)
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    whats = [competence(cast, f"G{i:03d}-{people}") for i in range(competences)]
    for i, what in enumerate(whats):
        services.requirement_set(
            competence=what,
            by=cast.user(Role.HR),
            level=level(cast.organisation, "U"),
            **({"job": job} if i % 2 else {"workstation": station}),
        )
    for _ in range(people):
        person = EmployeeFactory(
            organisation=cast.organisation, unit=cast.packaging, job=job, workstation=station
        )
        for what in whats[:3]:
            assess(cast, person, what, "U")


def test_matrix_page_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.MANAGER))
    url = reverse("competences:matrix") + f"?unit={cast.packaging.pk}"
    grow(cast, 2, 3)
    with django_assert_max_num_queries(16) as small:
        response = client.get(url)
    assert response.status_code == 200
    grow(cast, 25, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    tbody = body[body.index("<tbody>") : body.index("</tbody>")]
    # 30 people x 15 competences, plus the polyvalence per person.
    assert tbody.count("<td") == 30 * 15 + 30


def test_matrix_page_shows_short_coverage_and_a_manager_only_sees_his_units(
    cast: Cast, client_for: Any
) -> None:
    small_team(cast)
    client = client_for(cast.user(Role.MANAGER))
    body = client.get(reverse("competences:matrix")).content.decode()
    assert 'class="coverage short"' in body
    assert "Aerts" in body
    response = client.get(reverse("competences:matrix") + f"?unit={cast.office.pk}")
    assert "Aerts" not in response.content.decode()


# --- Symbols and scales --------------------------------------------------------------------------


def numeric_group(cast: Cast, name: str = "Safety") -> Any:
    """A competence group measured on its own 1-5 scale."""
    scale = LevelScale.objects.create(organisation=cast.organisation, name="1-5")
    for rank in range(1, 6):
        Level.objects.create(
            scale=scale,
            code=str(rank),
            rank=rank,
            name=f"Step {rank}",
            counts_for_coverage=rank > 3,
        )
    return CompetenceGroup.objects.create(organisation=cast.organisation, name=name, scale=scale)


def test_symbols_fill_quarters_on_each_competences_own_scale(cast: Cast) -> None:
    team = small_team(cast)
    group = numeric_group(cast)
    lift = competence(cast, "LIFT", group=group)
    services.requirement_set(
        competence=lift,
        by=cast.user(Role.HR),
        level=group.scale.levels.get(code="4"),
        job=cast.job,
        ideal_count=1,
    )
    for code, who in (("0", "ann"), ("O", "bob")):
        assess(cast, team[who], team["fill"], code)
    assess(cast, team["ann"], team["clean"], "L")
    services.assessment_record(
        employee=team["ann"],
        competence=lift,
        level=group.scale.levels.get(code="3"),
        assessed_on=DAY,
        by=acting(cast.user(Role.HR), cast.organisation),
        assessor=cast.employees[Role.HR],
        method="test",
    )
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    assert [c.competence.code for c in matrix.columns] == ["CLEAN", "FILL", "LIFT"]
    by_name = {row.employee.last_name: row for row in matrix.rows}
    clean, fill, lift_cell = by_name["Aerts"].cells
    assert (fill.code, fill.quarters, fill.level_name) == ("0", 0, fill.level_name)
    assert (clean.code, clean.quarters) == ("L", 2)
    assert (by_name["Bos"].cells[1].code, by_name["Bos"].cells[1].quarters) == ("O", 4)
    # 1-5: round(4 x 3 / 5) = 2 quarters; the code stays next to the symbol.
    assert (lift_cell.code, lift_cell.quarters, lift_cell.required) == ("3", 2, "4")
    assert not lift_cell.meets
    assert [scale.name for scale in matrix.scales] == ["1-5", "ILUO"]
    iluo = matrix.scales[1]
    assert [(lv.code, lv.quarters) for lv in iluo.levels] == [
        ("0", 0),
        ("I", 1),
        ("L", 2),
        ("U", 3),
        ("O", 4),
    ]
    assert [lv.quarters for lv in matrix.scales[0].levels] == [1, 2, 2, 3, 4]


def test_the_page_draws_symbols_with_their_level_as_text_and_a_legend(
    cast: Cast, client_for: Any
) -> None:
    team = small_team(cast)
    assess(cast, team["ann"], team["fill"], "U")
    body = client_for(cast.user(Role.MANAGER)).get(reverse("competences:matrix")).content.decode()
    # The symbol is drawn by CSS from the class; the level code is the cell's text, the required
    # level a raised code; a required level never assessed says so to a screen reader.
    assert page_cell(body, team["ann"], team["fill"]) == '<td class="q3 cv">U<sup>U</sup></td>'
    assert page_cell(body, team["ann"], team["clean"]) == (
        '<td class="gap na"><span class="visually-hidden">not assessed</span><sup>U</sup></td>'
    )
    assert 'class="matrix-legend"' in body
    assert '<span class="lv q3" aria-hidden="true"></span><span class="lv-code">U</span>' in body
    assert 'id="matrix-reading"' in body
    assert 'aria-describedby="matrix-reading"' in body
    assert "Levels (ILUO)" in body
    assert 'style="' not in body.split('class="matrix-legend"')[1]  # CSP: no inline styles


# --- Expired and expiring ------------------------------------------------------------------------


def test_expired_assessments_do_not_count_and_expiring_ones_are_marked(cast: Cast) -> None:
    team = small_team(cast)
    today = timezone.localdate()
    assess(cast, team["ann"], team["fill"], "U", valid_until=today - datetime.timedelta(days=1))
    assess(cast, team["bob"], team["fill"], "O", valid_until=today + datetime.timedelta(days=59))
    assess(cast, team["ann"], team["clean"], "O", valid_until=today + datetime.timedelta(days=61))
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    clean, fill = matrix.columns
    by_name = {row.employee.last_name: row for row in matrix.rows}
    ann_clean, ann_fill = by_name["Aerts"].cells
    bob_fill = by_name["Bos"].cells[1]
    assert (ann_fill.expired, ann_fill.covers, ann_fill.meets) == (True, False, True)
    assert (bob_fill.expiring, bob_fill.expired, bob_fill.covers) == (True, False, True)
    assert (ann_clean.expired, ann_clean.expiring) == (False, False)
    assert fill.coverage == 1  # Bob only: Ann's U expired
    assert clean.coverage == 1
    assert by_name["Aerts"].polyvalence == 50
    assert (matrix.summary.expired, matrix.summary.expiring) == (1, 1)


def test_a_requirements_validity_period_expires_old_assessments(cast: Cast) -> None:
    team = small_team(cast)
    hr = cast.user(Role.HR)
    services.requirement_set(
        competence=team["fill"],
        by=hr,
        level=level(cast.organisation, "U"),
        job=cast.job,
        ideal_count=2,
        validity_months=12,
    )
    today = timezone.localdate()
    assess(cast, team["ann"], team["fill"], "U", on=today - datetime.timedelta(days=400))
    assess(cast, team["bob"], team["fill"], "U", on=today - datetime.timedelta(days=340))
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    by_name = {row.employee.last_name: row for row in matrix.rows}
    assert by_name["Aerts"].cells[1].expired
    assert by_name["Bos"].cells[1].expiring
    assert matrix.columns[1].coverage == 1


@override_settings(LEERPLEK={**settings.LEERPLEK, "EXPIRY_WARNING_DAYS": 10})
def test_the_warning_period_is_a_setting(cast: Cast) -> None:
    team = small_team(cast)
    today = timezone.localdate()
    assess(cast, team["bob"], team["fill"], "O", valid_until=today + datetime.timedelta(days=20))
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    assert not matrix.rows[1].cells[1].expiring


def test_the_page_marks_expiry_and_counts_marks_in_a_summary(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    today = timezone.localdate()
    assess(cast, team["ann"], team["fill"], "U", valid_until=today - datetime.timedelta(days=1))
    assess(cast, team["bob"], team["fill"], "O", valid_until=today + datetime.timedelta(days=5))
    body = client_for(cast.user(Role.MANAGER)).get(reverse("competences:matrix")).content.decode()
    expired = f"expired on {today - datetime.timedelta(days=1):%d/%m/%Y}"
    expires = f"expires on {today + datetime.timedelta(days=5):%d/%m/%Y}"
    # Only an expired or expiring cell carries a date, in its title.
    assert page_cell(body, team["ann"], team["fill"]) == (
        f'<td class="q3 exp" title="{expired}">U<sup>U</sup></td>'
    )
    assert page_cell(body, team["bob"], team["fill"]) == (
        f'<td class="q4 cv soon" title="{expires}">O<sup>U</sup></td>'
    )
    assert "1 expired" in body
    assert "1 expiring soon" in body


# --- Filters -------------------------------------------------------------------------------------


def station_team(cast: Cast) -> dict[str, Any]:
    """small_team plus a filling station that needs WEIGH at U; Ann released there, Bob not."""
    team = small_team(cast)
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    weigh = competence(cast, "WEIGH")
    services.requirement_set(
        competence=weigh,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        workstation=station,
        ideal_count=1,
    )
    services.work_release_grant(
        employee=team["ann"],
        workstation=station,
        released_on=DAY,
        by=acting(cast.user(Role.MANAGER), cast.organisation),
    )
    return {**team, "station": station, "weigh": weigh}


def test_a_workstation_filter_shows_its_competences_and_releases_for_the_unit(
    cast: Cast,
) -> None:
    team = station_team(cast)
    assess(cast, team["bob"], team["weigh"], "U")
    filters = MatrixFilters(workstation=team["station"])
    matrix = matrix_for_unit(unit=cast.packaging, access=hr_access(cast), filters=filters)
    assert [c.competence.code for c in matrix.columns] == ["WEIGH"]
    by_name = {row.employee.last_name: row for row in matrix.rows}
    assert len(matrix.rows) > 2  # every person of the unit, not only those at the station
    assert (by_name["Aerts"].not_released, by_name["Bos"].not_released) == (False, True)
    assert by_name["Bos"].cells[0].required == "U"
    assert by_name["Bos"].cells[0].not_released
    assert matrix.columns[0].coverage == 1
    unfiltered = matrix_for_unit(unit=cast.packaging, access=hr_access(cast))
    assert [c.competence.code for c in unfiltered.columns] == ["CLEAN", "FILL", "WEIGH"]


def test_group_and_required_only_filters(cast: Cast) -> None:
    team = small_team(cast)
    group = CompetenceGroup.objects.create(organisation=cast.organisation, name="Hygiene")
    team["clean"].group = group
    team["clean"].save()
    nice = competence(cast, "NICE")
    services.requirement_set(
        competence=nice,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "L"),
        job=cast.job,
        mandatory=False,
    )
    access = hr_access(cast)
    full = matrix_for_unit(unit=cast.packaging, access=access)
    assert [c.competence.code for c in full.columns] == ["CLEAN", "FILL", "NICE"]
    nice_cell = full.rows[0].cells[2]
    assert (nice_cell.required, nice_cell.mandatory) == ("L", False)
    grouped = matrix_for_unit(
        unit=cast.packaging, access=access, filters=MatrixFilters(group_id=group.pk)
    )
    assert [c.competence.code for c in grouped.columns] == ["CLEAN"]
    mandatory = matrix_for_unit(
        unit=cast.packaging, access=access, filters=MatrixFilters(required_only=True)
    )
    assert [c.competence.code for c in mandatory.columns] == ["CLEAN", "FILL"]


def test_filters_are_get_parameters_and_keep_the_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    team = station_team(cast)
    client = client_for(cast.user(Role.MANAGER))
    url = (
        reverse("competences:matrix")
        + f"?unit={cast.packaging.pk}&workstation={team['station'].pk}&required=on&gaps=on"
    )
    grow(cast, 2, 3)
    with django_assert_max_num_queries(20) as small:
        response = client.get(url)
    body = response.content.decode()
    assert 'class="matrix only-gaps"' in body
    assert 'hx-vals="{&quot;workstation&quot;: &quot;' in body
    assert f"?unit={cast.packaging.pk}&amp;workstation={team['station'].pk}" in body  # export
    assert "Workstation " in body
    grow(cast, 20, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_workstation_of_another_organisation_is_refused_by_the_form(
    cast: Cast, client_for: Any
) -> None:
    small_team(cast)
    assert cast.other_organisation is not None
    elsewhere = WorkstationFactory(organisation=cast.other_organisation)
    url = reverse("competences:matrix") + f"?unit={cast.packaging.pk}&workstation={elsewhere.pk}"
    body = client_for(cast.user(Role.HR)).get(url).content.decode()
    assert "field-error" in body
    assert "Aerts" not in body


def test_the_page_cell_and_the_htmx_cell_are_the_same_markup(cast: Cast, client_for: Any) -> None:
    team = station_team(cast)
    assess(cast, team["bob"], team["weigh"], "L")
    client = client_for(cast.user(Role.MANAGER))
    cell_url = reverse(
        "competences:matrix-cell",
        kwargs={"employee_id": team["bob"].pk, "competence_id": team["weigh"].pk},
    )
    response = client.post(
        cell_url,
        {
            "level": level(cast.organisation, "I").pk,
            "assessed_on": timezone.localdate().isoformat(),
            "method": "observation",
            "workstation": team["station"].pk,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    returned = response.content.decode().strip()
    page = client.get(
        reverse("competences:matrix")
        + f"?unit={cast.packaging.pk}&workstation={team['station'].pk}"
    ).content.decode()
    assert page_cell(page, team["bob"], team["weigh"]) == returned
    assert returned == '<td class="q1 gap nr">I<sup>U</sup></td>'
