"""The API obeys the same permission table as the pages: each role, each scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model

from leerplek.core.access import load_access
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Job, OrgUnit, Workstation
from tests.api.conftest import ApiClient, ids
from tests.factories import Cast, EmployeeFactory, UserFactory, WorkstationFactory, grant

DENIED = {"detail": "Your role does not allow this."}


def test_an_employee_cannot_list_people(cast: Cast, api_for: Callable[..., ApiClient]) -> None:
    response = api_for(Role.EMPLOYEE).get("/people")

    assert response.status_code == 403
    assert response.json() == DENIED


def test_an_employee_opens_his_own_record_only(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    assert cast.worker is not None
    api = api_for(Role.EMPLOYEE)

    own = api.get(f"/people/{cast.employees[Role.EMPLOYEE].pk}")
    other = api.get(f"/people/{cast.worker.pk}")

    assert own.status_code == 200
    assert own.json()["email"] == "employee@example.test"
    assert other.status_code == 403


def test_a_manager_lists_only_the_people_of_his_units(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    response = api_for(Role.MANAGER).get("/people", {"limit": 200})

    assert response.status_code == 200
    in_scope = Employee.objects.filter(unit__path__startswith=cast.production.path)
    own = cast.employees[Role.MANAGER].pk  # his own record sits in the office
    assert ids(response) == {*in_scope.values_list("pk", flat=True), own}


def test_a_manager_cannot_open_someone_outside_his_units(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    office_worker = cast.employees[Role.HR]

    response = api_for(Role.MANAGER).get(f"/people/{office_worker.pk}")

    assert response.status_code == 403
    assert response.json() == DENIED


@pytest.mark.parametrize("path", ["/people", "/people/{id}"])
def test_the_consultation_body_never_sees_a_person(
    cast: Cast, api_for: Callable[..., ApiClient], path: str
) -> None:
    assert cast.worker is not None

    response = api_for(Role.CONSULTATION).get(path.format(id=cast.worker.pk))

    assert response.status_code == 403


PERSON = {"first_name": "A", "last_name": "B", "gender": "f", "hire_date": "2025-01-06"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/units", {"name": "Nieuw", "kind": "team"}),
        ("patch", "/units/{unit}", {"name": "Anders"}),
        ("post", "/functions", {"code": "X1", "name": "Nieuw"}),
        ("patch", "/functions/{job}", {"name": "Anders"}),
        ("post", "/workstations", {"code": "W1", "name": "Pers"}),
        ("patch", "/workstations/{station}", {"name": "Anders"}),
        ("post", "/people", PERSON),
        ("patch", "/people/{person}", {"first_name": "Anders"}),
    ],
)
def test_a_manager_changes_nothing(
    cast: Cast, api_for: Callable[..., ApiClient], method: str, path: str, body: dict[str, Any]
) -> None:
    assert cast.worker is not None
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    names = {
        "unit": cast.packaging.pk,
        "job": cast.job.pk,
        "station": station.pk,
        "person": cast.worker.pk,
    }
    if path == "/workstations":
        body = {**body, "unit": cast.packaging.pk}
    api = api_for(Role.MANAGER)
    entries = AuditEntry.objects.count()

    response = api.send(method, path.format(**names), body)

    assert response.status_code == 403
    assert response.json() == DENIED
    assert AuditEntry.objects.count() == entries


def scoped_hr(cast: Cast) -> Any:
    user = UserFactory()
    EmployeeFactory(organisation=cast.organisation, user=user, unit=cast.packaging)
    grant(user, cast.organisation, Role.HR, cast.production)
    return user


def test_hr_scoped_to_a_unit_adds_people_there_only(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    api = api_for(scoped_hr(cast))

    inside = api.post("/people", {**PERSON, "unit": cast.packaging.pk})
    outside = api.post("/people", {**PERSON, "unit": cast.office.pk})
    nowhere = api.post("/people", PERSON)

    assert inside.status_code == 201
    assert (outside.status_code, nowhere.status_code) == (403, 403)


def test_hr_scoped_to_a_unit_cannot_move_someone_out_of_it(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    assert cast.worker is not None

    response = api_for(scoped_hr(cast)).patch(f"/people/{cast.worker.pk}", {"unit": cast.office.pk})

    assert response.status_code == 403
    cast.worker.refresh_from_db()
    assert cast.worker.unit == cast.packaging


def test_hr_scoped_to_a_unit_cannot_add_a_top_level_unit(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    api = api_for(scoped_hr(cast))

    top = api.post("/units", {"name": "Nieuw", "kind": "site"})
    below = api.post("/units", {"name": "Nieuw", "kind": "team", "parent": cast.packaging.pk})

    assert (top.status_code, below.status_code) == (403, 201)


# --- Lists agree with the rules --------------------------------------------------------------

LISTS: list[tuple[str, str, type[Model]]] = [
    ("/units", "people.view_unit", OrgUnit),
    ("/functions", "people.view_job", Job),
    ("/workstations", "people.view_workstation", Workstation),
    ("/people", "people.view_employee", Employee),
]


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_list_shows_exactly_what_the_rules_allow(
    cast: Cast, api_for: Callable[..., ApiClient], role: Role
) -> None:
    for unit in (cast.packaging, cast.office):
        WorkstationFactory(organisation=cast.organisation, unit=unit)
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    api = api_for(role)

    for path, perm, model in LISTS:
        response = api.get(path, {"limit": 200})
        everything = model._default_manager.filter(organisation=cast.organisation)
        if model is Employee or model is Workstation:
            everything = everything.select_related("unit")
        allowed = {obj.pk for obj in everything if user.has_perm(perm, obj)}
        if response.status_code == 403:
            assert path == "/people"
            assert not user.has_perm("people.list_employees")
            continue
        assert response.status_code == 200
        assert ids(response) == allowed, path
