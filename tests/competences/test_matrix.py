"""The skills matrix: latest level, required marks, coverage, polyvalence, releases, queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from leerplek.competences import services
from leerplek.competences.selectors import matrix_for_unit
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
    assert response.content.decode().count('<td class="cell') == 30 * 15


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
