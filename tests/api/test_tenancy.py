"""A token of one organisation never reaches another organisation's records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from leerplek.core.roles import Role
from leerplek.people.models import Employee, Workstation
from tests.api.conftest import ApiClient, ids
from tests.factories import Cast, JobFactory, WorkstationFactory, grant


@pytest.fixture
def foreign(cast: Cast) -> dict[str, Any]:
    """One record of every kind in the other organisation."""
    other = cast.other_organisation
    assert other is not None
    assert cast.other_employee is not None
    unit = cast.other_employee.unit
    assert unit is not None
    return {
        "units": unit.pk,
        "functions": JobFactory(organisation=other).pk,
        "workstations": WorkstationFactory(organisation=other, unit=unit).pk,
        "people": cast.other_employee.pk,
    }


@pytest.mark.parametrize("kind", ["units", "functions", "workstations", "people"])
def test_another_organisations_record_does_not_exist(
    cast: Cast, hr_api: ApiClient, foreign: dict[str, Any], kind: str
) -> None:
    detail = hr_api.get(f"/{kind}/{foreign[kind]}")
    listed = hr_api.get(f"/{kind}", {"limit": 200})

    assert detail.status_code == 404
    assert detail.json() == {"detail": "Not found."}
    assert foreign[kind] not in ids(listed)


@pytest.mark.parametrize(
    ("kind", "field"),
    [("units", "name"), ("functions", "name"), ("workstations", "name"), ("people", "first_name")],
)
def test_another_organisations_record_cannot_be_changed(
    cast: Cast, hr_api: ApiClient, foreign: dict[str, Any], kind: str, field: str
) -> None:
    response = hr_api.patch(f"/{kind}/{foreign[kind]}", {field: "Overgenomen"})

    assert response.status_code == 404
    assert cast.other_employee is not None
    cast.other_employee.refresh_from_db()
    assert cast.other_employee.first_name == "Zita"


def test_the_other_organisation_sees_its_own_records(
    cast: Cast, api_for: Callable[..., ApiClient], foreign: dict[str, Any]
) -> None:
    assert cast.other_hr is not None
    api = api_for(cast.other_hr, cast.other_organisation)

    for kind, pk in foreign.items():
        assert ids(api.get(f"/{kind}")) == {pk}, kind
        assert api.get(f"/{kind}/{pk}").status_code == 200


@pytest.mark.parametrize(
    ("path", "field", "body"),
    [
        (
            "/people",
            "unit",
            {
                "first_name": "A",
                "last_name": "B",
                "gender": "f",
                "hire_date": "2025-01-06",
                "unit": "units",
            },
        ),
        (
            "/people",
            "job",
            {
                "first_name": "A",
                "last_name": "B",
                "gender": "f",
                "hire_date": "2025-01-06",
                "job": "functions",
            },
        ),
        (
            "/people",
            "manager",
            {
                "first_name": "A",
                "last_name": "B",
                "gender": "f",
                "hire_date": "2025-01-06",
                "manager": "people",
            },
        ),
        ("/workstations", "unit", {"code": "W9", "name": "Pers", "unit": "units"}),
        ("/units", "parent", {"name": "Nieuw", "kind": "team", "parent": "units"}),
        ("/units", "leader", {"name": "Nieuw", "kind": "team", "leader": "people"}),
    ],
)
def test_another_organisations_id_is_refused_on_its_field(
    cast: Cast,
    hr_api: ApiClient,
    foreign: dict[str, Any],
    path: str,
    field: str,
    body: dict[str, Any],
) -> None:
    body = {**body, field: foreign[body[field]]}
    people, stations = Employee.objects.count(), Workstation.objects.count()

    response = hr_api.post(path, body)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["field"], error["code"]) == (field, "does_not_exist")
    assert (Employee.objects.count(), Workstation.objects.count()) == (people, stations)


@pytest.mark.parametrize(("path", "name"), [("/people", "unit"), ("/workstations", "unit")])
def test_filtering_on_another_organisations_unit_is_refused(
    cast: Cast, hr_api: ApiClient, foreign: dict[str, Any], path: str, name: str
) -> None:
    response = hr_api.get(path, {name: foreign["units"]})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == name


def test_a_member_of_two_organisations_gets_the_one_of_his_token(
    cast: Cast, api_for: Callable[..., ApiClient], foreign: dict[str, Any]
) -> None:
    user = cast.user(Role.HR)
    assert cast.other_organisation is not None
    grant(user, cast.other_organisation, Role.HR)
    user.current_organisation = cast.other_organisation  # the web session is elsewhere
    user.save(update_fields=["current_organisation"])

    response = api_for(user, cast.organisation).get(f"/people/{foreign['people']}")

    assert response.status_code == 404
