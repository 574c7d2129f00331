"""Every people endpoint: list with filters and pages, detail, create, update."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people import services
from leerplek.people.models import Employee, ExitReason, Job, JobAssignment, OrgUnit, Workstation
from tests.api.conftest import ApiClient, ids
from tests.factories import Cast, EmployeeFactory, JobFactory, WorkstationFactory, make_unit

# --- Units -----------------------------------------------------------------------------------


def test_units_list_in_tree_order_with_parent(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.get("/units")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [(unit["name"], unit["parent"]) for unit in body["items"]] == [
        ("Productie", None),
        ("Verpakking", {"id": cast.production.pk, "name": "Productie"}),
        ("Kantoor", None),
    ]


def test_units_filter_on_parent_gives_direct_children(cast: Cast, hr_api: ApiClient) -> None:
    make_unit(cast.organisation, "Ploeg A", parent=cast.packaging)

    response = hr_api.get("/units", {"parent": cast.production.pk})

    assert ids(response) == {cast.packaging.pk}


def test_unit_detail(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.get(f"/units/{cast.packaging.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": cast.packaging.pk,
        "name": "Verpakking",
        "code": "",
        "kind": "team",
        "parent": {"id": cast.production.pk, "name": "Productie"},
        "leader": None,
        "description": "",
        "depth": 1,
    }


def test_unit_create_places_the_unit_under_its_parent(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    response = hr_api.post(
        "/units",
        {
            "name": "Lijn 1",
            "kind": "line",
            "parent": cast.packaging.pk,
            "leader": cast.worker.pk,
        },
    )

    assert response.status_code == 201
    body = response.json()
    unit = OrgUnit.objects.get(pk=body["id"])
    assert unit.path == f"{cast.packaging.path}{unit.pk}/"
    assert body["leader"] == {"id": cast.worker.pk, "name": "Wout Werker"}
    assert AuditEntry.objects.filter(action="people.unit_created", object_id=str(unit.pk)).exists()


def test_unit_update_moves_the_unit(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.patch(f"/units/{cast.packaging.pk}", {"parent": cast.office.pk, "code": "VP"})

    assert response.status_code == 200
    assert response.json()["parent"] == {"id": cast.office.pk, "name": "Kantoor"}
    cast.packaging.refresh_from_db()
    assert cast.packaging.path.startswith(cast.office.path)
    assert cast.packaging.code == "VP"


def test_unit_update_to_top_level(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.patch(f"/units/{cast.packaging.pk}", {"parent": None})

    assert response.status_code == 200
    cast.packaging.refresh_from_db()
    assert cast.packaging.parent is None
    assert cast.packaging.depth == 0


# --- Functions -------------------------------------------------------------------------------


def test_functions_list_with_tasks(cast: Cast, hr_api: ApiClient) -> None:
    services.job_update(
        job=cast.job,
        by=cast.user(Role.HR),
        tasks=[services.TaskLine(kind="executive", description="Machine bedienen")],
    )

    response = hr_api.get("/functions")

    assert response.status_code == 200
    [job] = response.json()["items"]
    assert job["code"] == "OPR"
    assert job["tasks"] == [{"kind": "executive", "description": "Machine bedienen"}]


def test_function_detail(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.get(f"/functions/{cast.job.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == "Operator"
    assert response.json()["months_to_independence"] == 6


def test_function_create_with_tasks(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.post(
        "/functions",
        {
            "code": "HEF",
            "name": "Heftruckchauffeur",
            "classification_date": "2024-03-01",
            "tasks": [
                {"kind": "preparatory", "description": "Controle voor gebruik"},
                {"kind": "executive", "description": "Paletten laden"},
            ],
        },
    )

    assert response.status_code == 201
    job = Job.objects.get(pk=response.json()["id"])
    assert job.organisation == cast.organisation
    assert job.classification_date == datetime.date(2024, 3, 1)
    assert [task.description for task in job.tasks.all()] == [
        "Controle voor gebruik",
        "Paletten laden",
    ]


def test_function_update_replaces_tasks_only_when_given(cast: Cast, hr_api: ApiClient) -> None:
    path = f"/functions/{cast.job.pk}"
    hr_api.patch(path, {"tasks": [{"kind": "supporting", "description": "Schoonmaken"}]})

    response = hr_api.patch(path, {"name": "Productieoperator"})

    assert response.status_code == 200
    assert response.json()["name"] == "Productieoperator"
    assert response.json()["tasks"] == [{"kind": "supporting", "description": "Schoonmaken"}]


# --- Workstations ----------------------------------------------------------------------------


def test_workstations_filter_on_unit_includes_sub_units(cast: Cast, hr_api: ApiClient) -> None:
    in_packaging = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    in_production = WorkstationFactory(organisation=cast.organisation, unit=cast.production)
    WorkstationFactory(organisation=cast.organisation, unit=cast.office)

    response = hr_api.get("/workstations", {"unit": cast.production.pk})

    assert ids(response) == {in_packaging.pk, in_production.pk}


def test_workstation_detail(cast: Cast, hr_api: ApiClient) -> None:
    station = WorkstationFactory(
        organisation=cast.organisation, unit=cast.packaging, code="WP1", name="Wikkelaar"
    )

    response = hr_api.get(f"/workstations/{station.pk}")

    assert response.json() == {
        "id": station.pk,
        "code": "WP1",
        "name": "Wikkelaar",
        "unit": {"id": cast.packaging.pk, "name": "Verpakking"},
        "is_machine": False,
        "description": "",
        "difficulty_rank": 1,
    }


def test_workstation_create_and_update(cast: Cast, hr_api: ApiClient) -> None:
    created = hr_api.post(
        "/workstations",
        {"code": "M7", "name": "Menger", "unit": cast.production.pk, "is_machine": True},
    )
    assert created.status_code == 201
    station_id = created.json()["id"]

    updated = hr_api.patch(
        f"/workstations/{station_id}", {"unit": cast.packaging.pk, "difficulty_rank": 4}
    )

    assert updated.status_code == 200
    station = Workstation.objects.get(pk=station_id)
    assert (station.unit, station.difficulty_rank, station.is_machine) == (cast.packaging, 4, True)


# --- People ----------------------------------------------------------------------------------


def test_people_list_shows_everyone_to_hr(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.get("/people", {"limit": 200})

    assert response.status_code == 200
    assert ids(response) == set(
        Employee.objects.filter(organisation=cast.organisation).values_list("pk", flat=True)
    )


def test_people_search_matches_every_word(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    EmployeeFactory(organisation=cast.organisation, first_name="Wout", last_name="Anders")

    assert ids(hr_api.get("/people", {"q": "wout werk"})) == {cast.worker.pk}


def test_people_search_on_email_and_number(cast: Cast, hr_api: ApiClient) -> None:
    numbered = EmployeeFactory(
        organisation=cast.organisation, employee_number="P-4711", email="jan@bedrijf.test"
    )

    assert ids(hr_api.get("/people", {"q": "4711"})) == {numbered.pk}
    assert ids(hr_api.get("/people", {"q": "jan@bedrijf"})) == {numbered.pk}


def test_people_filter_on_unit_includes_sub_units(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.get("/people", {"unit": cast.production.pk, "limit": 200})

    expected = Employee.objects.filter(unit__in=[cast.production, cast.packaging])
    assert ids(response) == set(expected.values_list("pk", flat=True))


def test_people_filter_on_person_type_and_function(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    agency = EmployeeFactory(organisation=cast.organisation, person_type="agency", job=cast.job)

    assert ids(hr_api.get("/people", {"person_type": "agency"})) == {agency.pk}
    assert ids(hr_api.get("/people", {"job": cast.job.pk})) == {cast.worker.pk, agency.pk}


def test_people_filter_on_active_and_left(cast: Cast, hr_api: ApiClient) -> None:
    left = EmployeeFactory(
        organisation=cast.organisation,
        exit_date=datetime.date(2023, 6, 30),
        exit_reason=ExitReason.RESIGNATION,
    )

    assert ids(hr_api.get("/people", {"status": "left"})) == {left.pk}
    active = ids(hr_api.get("/people", {"status": "active", "limit": 200}))
    assert left.pk not in active
    assert len(active) == Employee.objects.filter(organisation=cast.organisation).count() - 1


def test_people_pages_with_limit_and_offset(cast: Cast, hr_api: ApiClient) -> None:
    everyone = list(
        Employee.objects.filter(organisation=cast.organisation)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", flat=True)
    )

    first = hr_api.get("/people", {"limit": 5}).json()
    second = hr_api.get("/people", {"limit": 5, "offset": 5}).json()

    assert first["count"] == second["count"] == len(everyone)
    assert [item["id"] for item in first["items"] + second["items"]] == everyone[:10]


def test_person_detail(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    response = hr_api.get(f"/people/{cast.worker.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["first_name"], body["last_name"]) == ("Wout", "Werker")
    assert body["unit"] == {"id": cast.packaging.pk, "name": "Verpakking"}
    assert body["job"] == {"id": cast.job.pk, "name": "Operator"}
    assert body["hire_date"] == "2020-01-06"


def test_person_create_opens_the_function_history(cast: Cast, hr_api: ApiClient) -> None:
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    response = hr_api.post(
        "/people",
        {
            "first_name": "Nora",
            "last_name": "Nieuw",
            "gender": "f",
            "hire_date": "2025-03-03",
            "email": "Nora@Example.test",
            "person_type": "agency",
            "experience_years": "2.5",
            "unit": cast.packaging.pk,
            "workstation": station.pk,
            "job": cast.job.pk,
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "nora@example.test"
    assert body["experience_years"] == "2.5"
    assert body["job"] == {"id": cast.job.pk, "name": "Operator"}
    person = Employee.objects.get(pk=body["id"])
    assert person.organisation == cast.organisation
    assignment = JobAssignment.objects.get(employee=person)
    assert (assignment.job, assignment.start_date) == (cast.job, datetime.date(2025, 3, 3))


def test_person_update_changes_only_the_fields_sent(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    manager = cast.employees[Role.MANAGER]
    response = hr_api.patch(
        f"/people/{cast.worker.pk}",
        {"exit_date": "2025-06-30", "exit_reason": "resignation", "manager": manager.pk},
    )

    assert response.status_code == 200
    cast.worker.refresh_from_db()
    assert cast.worker.exit_date == datetime.date(2025, 6, 30)
    assert cast.worker.manager == manager
    assert (cast.worker.first_name, cast.worker.job) == ("Wout", cast.job)
    entry = AuditEntry.objects.get(action="people.employee_updated")
    assert entry.actor == cast.user(Role.HR)


def test_person_update_can_clear_the_unit(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    response = hr_api.patch(f"/people/{cast.worker.pk}", {"unit": None})

    assert response.status_code == 200
    assert response.json()["unit"] is None


# --- Fixed query counts ----------------------------------------------------------------------


def grow(cast: Cast, size: int) -> None:
    """Add `size` units, functions with tasks, workstations and people with every relation."""
    for number in range(size):
        unit = make_unit(cast.organisation, f"Ploeg {number}", parent=cast.packaging)
        job = JobFactory(organisation=cast.organisation)
        services.job_update(
            job=job,
            by=None,  # type: ignore[arg-type]
            tasks=[services.TaskLine(kind="executive", description=f"Taak {number}")],
        )
        station = WorkstationFactory(organisation=cast.organisation, unit=unit)
        leader = EmployeeFactory(
            organisation=cast.organisation, unit=unit, job=job, workstation=station
        )
        EmployeeFactory(
            organisation=cast.organisation,
            unit=unit,
            job=job,
            workstation=station,
            manager=leader,
        )
        OrgUnit.objects.filter(pk=unit.pk).update(leader=leader)


# The token (1), the access (3), the count (1), the page (1); functions add their tasks (1).
LIST_QUERIES = {"/units": 6, "/functions": 7, "/workstations": 6, "/people": 6}


@pytest.mark.parametrize("path", LIST_QUERIES)
@pytest.mark.parametrize("size", [1, 40])
def test_lists_take_a_fixed_number_of_queries(
    cast: Cast,
    hr_api: ApiClient,
    django_assert_max_num_queries: Callable[..., Any],
    path: str,
    size: int,
) -> None:
    grow(cast, size)
    hr_api.get(path)  # the first use of the token also records it

    with django_assert_max_num_queries(LIST_QUERIES[path]):
        response = hr_api.get(path, {"limit": 200})

    assert response.status_code == 200
    assert len(response.json()["items"]) >= size


def test_people_list_with_every_filter_stays_fixed(
    cast: Cast, hr_api: ApiClient, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    grow(cast, 20)
    hr_api.get("/people")
    filters = {"q": "pat", "unit": cast.production.pk, "job": cast.job.pk, "status": "active"}

    # Two more than the plain list: the unit and the function named in the filters.
    with django_assert_max_num_queries(LIST_QUERIES["/people"] + 2):
        response = hr_api.get("/people", {**filters, "person_type": "employee"})

    assert response.status_code == 200
