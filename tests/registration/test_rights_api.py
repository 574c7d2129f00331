"""The rights and volume API: the same figures as the pages, scope, refusals, query bounds."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from leerplek.core.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.factories import Cast
from tests.registration.factories import person
from tests.registration.factories_rights import followed, fte, part_time, pc200

pytestmark = pytest.mark.django_db

D = datetime.date


def api(cast: Cast, role: Role, organisation: Any = None) -> ApiClient:
    user = cast.user(role) if organisation is None else cast.other_hr
    return ApiClient(Client(), make_token(user, organisation or cast.organisation))  # type: ignore[arg-type]


def test_the_list_gives_each_workers_right(cast: Cast) -> None:
    fte(cast, 2025, "25")
    sara = person(cast, "Sara", last_name="Aaa")
    part_time(sara, "0.5", D(2025, 1, 1))
    followed(cast, sara, "7.60", D(2025, 3, 3))

    body = api(cast, Role.HR).get("/registration/rights", {"year": 2025, "limit": 5}).json()

    first = body["items"][0]
    assert first["employee"]["last_name"] == "Aaa"
    assert (first["entitled"], first["followed"], first["balance"], first["below"]) == (
        "2.50",
        "1.00",
        "1.50",
        True,
    )
    assert body["count"] > 5


def test_a_manager_lists_only_his_units(cast: Cast) -> None:
    person(cast, "Olga", last_name="Office", unit=cast.office)
    body = api(cast, Role.MANAGER).get("/registration/rights", {"limit": 200}).json()
    names = {item["employee"]["last_name"] for item in body["items"]}
    assert "Werker" in names
    assert "Office" not in names


def test_one_workers_years_with_carry_over(cast: Cast) -> None:
    rule = pc200(cast)
    for year in (2024, 2025):
        fte(cast, year, "25", rule)
    worker = cast.worker
    assert worker is not None

    body = api(cast, Role.HR).get(f"/registration/rights/{worker.pk}", {"year": 2025}).json()

    latest = body["years"][0]
    assert (latest["year"], latest["carried"], latest["balance"]) == (2025, "3.00", "6.00")
    assert latest["setting"]["rule"] == "PC 200 growth path"


def test_an_employee_reads_his_own_right_but_no_other(cast: Cast) -> None:
    client = api(cast, Role.EMPLOYEE)
    own = cast.employees[Role.EMPLOYEE]
    assert client.get(f"/registration/rights/{own.pk}").status_code == 200
    assert client.get(f"/registration/rights/{cast.worker.pk}").status_code == 403  # type: ignore[union-attr]
    assert client.get("/registration/rights").status_code == 403


def test_another_organisations_worker_is_not_found(cast: Cast) -> None:
    assert cast.other_employee is not None
    response = api(cast, Role.HR).get(f"/registration/rights/{cast.other_employee.pk}")
    assert response.status_code == 404


def test_the_volume_api_gives_the_pages_figures(cast: Cast) -> None:
    worker = cast.worker
    assert worker is not None
    followed(cast, worker, "7.60", D(2025, 3, 3))
    body = api(cast, Role.HR).get("/registration/volume", {"year": 2025}).json()
    assert (body["participants"], body["hours"]) == (1, "7.60")
    category = next(item for item in body["breakdowns"] if item["key"] == "category")
    assert category["groups"][0]["label"] == "Formal"
    assert len(body["months"]) == 12


def test_the_volume_api_hides_small_groups_from_the_consultation_body(cast: Cast) -> None:
    worker = cast.worker
    assert worker is not None
    followed(cast, worker, "7.60", D(2025, 3, 3))
    body = api(cast, Role.CONSULTATION).get("/registration/volume", {"year": 2025}).json()
    assert body["aggregates_only"] is True
    assert body["participants"] is None
    assert all(
        group["participants"] is None for item in body["breakdowns"] for group in item["groups"]
    )


def test_a_half_given_period_is_refused_naming_the_field(cast: Cast) -> None:
    response = api(cast, Role.HR).get("/registration/volume", {"start": "2025-01-01"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "end"


def test_the_rights_list_keeps_its_query_count(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client = api(cast, Role.HR)
    for rounds in (1, 30):
        for number in range(rounds):
            followed(cast, person(cast, f"Q{rounds}-{number}"), "3", D(2025, 2, 2))
        with django_assert_max_num_queries(14):
            assert client.get("/registration/rights", {"year": 2025}).status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get("/registration/volume", {"year": 2025}).status_code == 200
