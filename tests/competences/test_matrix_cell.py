"""Changing one matrix cell in place with htmx: the form, the new cell, refusals and queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.competences.models import Assessment
from leerplek.core.roles import Role
from tests.competences.factories import assess, level
from tests.competences.test_matrix import small_team
from tests.factories import Cast

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def cell_url(employee: Any, what: Any) -> str:
    return reverse(
        "competences:matrix-cell", kwargs={"employee_id": employee.pk, "competence_id": what.pk}
    )


def data(cast: Cast, code: str = "U", on: datetime.date | None = None) -> dict[str, Any]:
    return {
        "level": level(cast.organisation, code).pk,
        "assessed_on": (on or timezone.localdate()).isoformat(),
        "method": "observation",
    }


def test_cell_form_has_level_todays_date_and_method(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    response = client_for(cast.user(Role.MANAGER)).get(
        cell_url(team["bob"], team["fill"]), headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<td class="cell cell-edit" id="cell-{team["bob"].pk}-')
    assert 'name="level"' in body
    assert 'name="method"' in body
    assert f'value="{timezone.localdate().isoformat()}"' in body
    assert f'hx-post="{cell_url(team["bob"], team["fill"])}"' in body
    assert response["Vary"].count("HX-Request") == 1


def test_cell_link_without_javascript_goes_to_the_assessment_form(
    cast: Cast, client_for: Any
) -> None:
    team = small_team(cast)
    response = client_for(cast.user(Role.MANAGER)).get(cell_url(team["bob"], team["fill"]))
    assessment_url = reverse(
        "competences:assessment-create", kwargs={"employee_id": team["bob"].pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{assessment_url}?competence={team['fill'].pk}"


def test_saving_a_cell_records_an_assessment_and_returns_the_new_cell(
    cast: Cast, client_for: Any
) -> None:
    team = small_team(cast)
    assess(cast, team["bob"], team["fill"], "L")
    response = client_for(cast.user(Role.MANAGER)).post(
        cell_url(team["bob"], team["fill"]), data(cast, "U"), headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    # The new cell as the page draws it: level U (three quarters), counts, required U.
    assert body.strip() == '<td class="q3 cv">U<sup>U</sup></td>'
    latest = Assessment.objects.filter(employee=team["bob"], competence=team["fill"]).first()
    assert latest is not None
    assert latest.level.code == "U"
    assert latest.assessor == cast.employees[Role.MANAGER]
    assert latest.recorded_by == cast.user(Role.MANAGER)
    assert Assessment.objects.count() == 2  # the earlier L stays as history


def test_a_level_below_the_requirement_comes_back_red(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    response = client_for(cast.user(Role.HR)).post(
        cell_url(team["ann"], team["clean"]), data(cast, "I"), headers=HTMX
    )
    assert response.content.decode().strip() == '<td class="q1 gap">I<sup>U</sup></td>'


def test_a_future_date_is_refused_with_422_and_no_new_row(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    assess(cast, team["bob"], team["fill"], "L")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(cast.user(Role.MANAGER)).post(
        cell_url(team["bob"], team["fill"]), data(cast, "U", on=tomorrow), headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "The assessment date cannot be in the future" in body
    assert 'hx-post="' in body  # the form again, so the old value stays in the matrix
    assert Assessment.objects.count() == 1


def test_own_level_is_refused_with_the_message_on_top(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    me = cast.employees[Role.HR]
    response = client_for(cast.user(Role.HR)).post(
        cell_url(me, team["fill"]), data(cast), headers=HTMX
    )
    assert response.status_code == 422
    assert "Nobody validates his own level." in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_employee_may_not_change_a_cell(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    client = client_for(cast.user(Role.EMPLOYEE))
    url = cell_url(team["bob"], team["fill"])
    assert client.get(url, headers=HTMX).status_code == 403
    assert client.post(url, data(cast), headers=HTMX).status_code == 403
    assert not Assessment.objects.exists()


def test_a_manager_may_not_change_a_cell_outside_his_units(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    office_person = cast.employees[Role.CONSULTATION]
    if office_person.unit.path.startswith(cast.packaging.path):
        pytest.skip("the cast puts this person in packaging")
    response = client_for(cast.user(Role.MANAGER)).post(
        cell_url(office_person, team["fill"]), data(cast), headers=HTMX
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_a_person_of_another_organisation_is_not_found(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    client = client_for(cast.user(Role.HR))
    url = cell_url(cast.other_employee, team["fill"])
    assert client.get(url, headers=HTMX).status_code == 404
    assert client.post(url, data(cast), headers=HTMX).status_code == 404
    assert not Assessment.objects.exists()


def test_matrix_cells_link_to_the_in_place_form_only_for_assessors(
    cast: Cast, client_for: Any
) -> None:
    team = small_team(cast)
    url = reverse("competences:matrix") + f"?unit={cast.packaging.pk}"
    body = client_for(cast.user(Role.MANAGER)).get(url).content.decode()
    # The table holds the edit URL once; a row the viewer may change names its person, a column
    # header its competence: matrix.js puts them together.
    template = cell_url(team["bob"], team["fill"])
    template = template.replace(str(team["bob"].pk), "{e}").replace(str(team["fill"].pk), "{c}")
    assert f'data-cell-url="{template}"' in body
    assert f'<tr data-e="{team["bob"].pk}">' in body
    assert f'data-c="{team["fill"].pk}"' in body
    assert "competences/matrix.js" in body
    adviser = client_for(cast.user(Role.PREVENTION_ADVISER)).get(url).content.decode()
    assert "Bos" in adviser
    assert "data-cell-url" not in adviser
    assert "data-e=" not in adviser
    assert "matrix.js" not in adviser


def test_the_cell_form_shows_the_current_level_and_its_dates(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    until = timezone.localdate() + datetime.timedelta(days=30)
    assess(cast, team["bob"], team["fill"], "L", on=datetime.date(2025, 3, 4), valid_until=until)
    response = client_for(cast.user(Role.MANAGER)).get(
        cell_url(team["bob"], team["fill"]), headers=HTMX
    )
    body = response.content.decode()
    assert "Current level L (With help), assessed on 04/03/2025" in body
    assert "04/03/2025" in body
    assert f"{until:%d/%m/%Y}" in body


def test_saving_a_cell_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    team = small_team(cast)
    client = client_for(cast.user(Role.MANAGER))
    url = cell_url(team["bob"], team["fill"])
    with django_assert_max_num_queries(30) as first:
        client.post(url, data(cast, "L"), headers=HTMX)
    for code in "IUOLU":
        assess(cast, team["bob"], team["fill"], code)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.post(url, data(cast, "O"), headers=HTMX).status_code == 200
