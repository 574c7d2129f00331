"""Bad input gets a 422 naming the field, in one shape, and is never half-written."""

from __future__ import annotations

from typing import Any

import pytest

from leerplek.core.models import AuditEntry
from leerplek.people.models import Employee, OrgUnit
from leerplek.people.services import ERRORS
from tests.api.conftest import ApiClient
from tests.factories import Cast

PERSON = {"first_name": "Nora", "last_name": "Nieuw", "gender": "f", "hire_date": "2025-03-03"}


def errors(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.content
    return response.json()["detail"]


def test_a_duplicate_email_names_the_email_field(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    people = Employee.objects.count()

    response = hr_api.post("/people", {**PERSON, "email": cast.worker.email.upper()})

    assert errors(response) == [
        {"field": "email", "message": str(ERRORS["duplicate_email"]), "code": "duplicate_email"}
    ]
    assert Employee.objects.count() == people


def test_an_exit_before_the_hire_names_the_exit_date(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None

    response = hr_api.patch(
        f"/people/{cast.worker.pk}", {"exit_date": "2019-12-31", "exit_reason": "resignation"}
    )

    assert errors(response) == [
        {
            "field": "exit_date",
            "message": str(ERRORS["exit_before_hire"]),
            "code": "exit_before_hire",
        }
    ]
    cast.worker.refresh_from_db()
    assert cast.worker.exit_date is None
    assert not AuditEntry.objects.filter(action="people.employee_updated").exists()


@pytest.mark.parametrize("value", ["2025-02-30", "30/01/2025", "tomorrow", 20250101])
def test_a_bad_date_names_the_date_field(cast: Cast, hr_api: ApiClient, value: Any) -> None:
    [error] = errors(hr_api.post("/people", {**PERSON, "hire_date": value}))

    assert error["field"] == "hire_date"
    assert error["message"]


def test_an_unknown_unit_id_names_the_unit_field(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.post("/people", {**PERSON, "unit": 987654})

    assert errors(response) == [
        {
            "field": "unit",
            "message": "There is no such record in this organisation (id 987654).",
            "code": "does_not_exist",
        }
    ]


def test_missing_fields_are_each_named(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.post("/people", {"first_name": "Nora"})

    named = {(error["field"], error["code"]) for error in errors(response)}
    assert named == {("last_name", "missing"), ("gender", "missing"), ("hire_date", "missing")}


def test_a_field_the_endpoint_does_not_take_is_refused(cast: Cast, hr_api: ApiClient) -> None:
    # The function changes through a dated assignment, never by a plain update.
    assert cast.worker is not None

    response = hr_api.patch(f"/people/{cast.worker.pk}", {"job": cast.job.pk})

    assert [(e["field"], e["code"]) for e in errors(response)] == [("job", "extra_forbidden")]


def test_a_bad_choice_names_the_field(cast: Cast, hr_api: ApiClient) -> None:
    [error] = errors(hr_api.post("/people", {**PERSON, "gender": "q"}))

    assert (error["field"], error["code"]) == ("gender", "enum")


def test_clearing_a_required_field_names_it(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None

    [error] = errors(hr_api.patch(f"/people/{cast.worker.pk}", {"last_name": None}))

    assert error["field"] == "last_name"


def test_a_unit_under_its_own_sub_unit_names_the_parent(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.patch(f"/units/{cast.production.pk}", {"parent": cast.packaging.pk})

    assert errors(response) == [
        {"field": "parent", "message": str(ERRORS["unit_cycle"]), "code": "unit_cycle"}
    ]
    cast.production.refresh_from_db()
    assert cast.production.parent is None


def test_a_duplicate_function_code_names_the_code(cast: Cast, hr_api: ApiClient) -> None:
    [error] = errors(hr_api.post("/functions", {"code": "OPR", "name": "Tweede operator"}))

    assert (error["field"], error["code"]) == ("code", "duplicate_code")


def test_an_overlong_name_names_the_field(cast: Cast, hr_api: ApiClient) -> None:
    [error] = errors(hr_api.post("/units", {"name": "x" * 201, "kind": "team"}))

    assert (error["field"], error["code"]) == ("name", "max_length")
    assert not OrgUnit.objects.filter(name__startswith="xxx").exists()


def test_an_out_of_range_rank_names_its_field(cast: Cast, hr_api: ApiClient) -> None:
    [error] = errors(
        hr_api.post(
            "/workstations",
            {"code": "W", "name": "Pers", "unit": cast.packaging.pk, "difficulty_rank": 11},
        )
    )

    assert error == {
        "field": "difficulty_rank",
        "message": "Ensure this value is less than or equal to 10.",
        "code": "max_value",
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"status": "gone"}, "status"),
        ({"q": "x" * 101}, "q"),
        ({"unit": "abc"}, "unit"),
    ],
)
def test_bad_list_parameters_name_the_parameter(
    cast: Cast, hr_api: ApiClient, params: dict[str, Any], field: str
) -> None:
    [error] = errors(hr_api.get("/people", params))

    assert error["field"] == field


@pytest.mark.parametrize("path", ["/people/0", "/people/abc", f"/people/{2**64}"])
def test_an_impossible_id_in_the_path_is_422(cast: Cast, hr_api: ApiClient, path: str) -> None:
    [error] = errors(hr_api.get(path))

    assert error["field"] == "employee_id"


@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_text_the_database_cannot_store_is_refused(
    cast: Cast, hr_api: ApiClient, text: str
) -> None:
    [error] = errors(hr_api.post("/people", {**PERSON, "first_name": text}))

    assert error["field"] == "first_name"


def test_a_body_that_is_not_json_is_400(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.post("/people", "{not json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


def test_an_unknown_path_is_a_json_404(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.get(f"/people/{2**40}")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Not found."}


def test_messages_follow_accept_language(cast: Cast, hr_api: ApiClient) -> None:
    hr_api.headers["Accept-Language"] = "fr"

    response = hr_api.get("/people/999999")

    assert response.status_code == 404
    assert response.headers["Content-Language"] == "fr"
