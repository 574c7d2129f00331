"""The OpenAPI schema, and a schemathesis-style walk: no input the schema allows or forbids
makes the API fail (5xx), and every refusal has the documented shape."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from leerplek.competences import services
from leerplek.core.roles import Role
from tests.api import onboarding_walk, registration_walk, training_walk
from tests.api.conftest import ApiClient
from tests.competences.factories import competence as competence_factory
from tests.competences.factories import level
from tests.factories import Cast, WorkstationFactory

ENDPOINTS = {
    ("/api/v1/units", "get"),
    ("/api/v1/units", "post"),
    ("/api/v1/units/{unit_id}", "get"),
    ("/api/v1/units/{unit_id}", "patch"),
    ("/api/v1/functions", "get"),
    ("/api/v1/functions", "post"),
    ("/api/v1/functions/{job_id}", "get"),
    ("/api/v1/functions/{job_id}", "patch"),
    ("/api/v1/workstations", "get"),
    ("/api/v1/workstations", "post"),
    ("/api/v1/workstations/{workstation_id}", "get"),
    ("/api/v1/workstations/{workstation_id}", "patch"),
    ("/api/v1/people", "get"),
    ("/api/v1/people", "post"),
    ("/api/v1/people/{employee_id}", "get"),
    ("/api/v1/people/{employee_id}", "patch"),
    ("/api/v1/competences", "get"),
    ("/api/v1/competences", "post"),
    ("/api/v1/competences/{competence_id}", "get"),
    ("/api/v1/competences/{competence_id}", "patch"),
    ("/api/v1/competence-groups", "get"),
    ("/api/v1/scales", "get"),
    ("/api/v1/requirements", "get"),
    ("/api/v1/requirements", "put"),
    ("/api/v1/requirements/{requirement_id}", "get"),
    ("/api/v1/requirements/{requirement_id}", "delete"),
    ("/api/v1/assessments", "get"),
    ("/api/v1/assessments", "post"),
    ("/api/v1/matrix", "get"),
    ("/api/v1/gaps", "get"),
    ("/api/v1/retention", "get"),
    ("/api/v1/onboarding-templates", "get"),
    ("/api/v1/onboarding-templates", "post"),
    ("/api/v1/onboarding-templates/{template_id}", "get"),
    ("/api/v1/onboardings", "get"),
    ("/api/v1/onboardings", "post"),
    ("/api/v1/onboardings/{onboarding_id}", "get"),
    ("/api/v1/onboardings/{onboarding_id}/tasks", "get"),
    ("/api/v1/onboarding-tasks/{task_id}/done", "post"),
    ("/api/v1/guidances", "get"),
    ("/api/v1/guidances", "post"),
    ("/api/v1/guidances/{guidance_id}", "get"),
    ("/api/v1/guidances/{guidance_id}/end", "post"),
    ("/api/v1/progress-reviews", "get"),
    ("/api/v1/progress-reviews/{review_id}", "get"),
    ("/api/v1/progress-reviews/{review_id}/record", "post"),
    ("/api/v1/training/programmes", "get"),
    ("/api/v1/training/programmes/{programme_id}", "get"),
    ("/api/v1/training/instructions", "get"),
    ("/api/v1/training/instructions/{instruction_id}", "get"),
    ("/api/v1/training/assignments", "get"),
    ("/api/v1/training/assignments/{assignment_id}", "get"),
    ("/api/v1/training/assignments/{assignment_id}/modules/{module_id}/declare", "post"),
    ("/api/v1/training/signoffs/{signoff_id}/confirm", "post"),
    ("/api/v1/training/tests/{test_id}/attempts", "post"),
    ("/api/v1/training/certificates", "get"),
    ("/api/v1/training/certificates/verify/{code}", "get"),
} | registration_walk.ENDPOINTS


def load_schema() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_loads_without_a_token_and_lists_every_endpoint(db: None) -> None:
    schema = load_schema()

    assert schema["info"]["title"] == "Leerplek API"
    listed = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert listed == ENDPOINTS


def test_the_schema_declares_bearer_tokens_on_every_endpoint(db: None) -> None:
    schema = load_schema()

    [(name, scheme)] = schema["components"]["securitySchemes"].items()
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for item in schema["paths"].values():
        for operation in item.values():
            assert operation["security"] == [{name: []}]
            assert {"401", "403", "422"} <= set(operation["responses"])


# --- A walk over every operation with hostile values -------------------------------------------

HOSTILE: list[Any] = [
    None,
    "",
    " ",
    "x" * 3000,
    "a\x00b",
    "\ud800",
    "💥",
    -1,
    0,
    1.5,
    2**31,
    2**63,
    2**64,
    True,
    [],
    {},
    [1],
    {"id": 1},
    "2025-13-45",
    "0000-00-00",
    "NaN",
    "Infinity",
    "1e999",
]
BASE_BODIES = {
    "/api/v1/units": {"name": "Fuzz", "kind": "team"},
    "/api/v1/functions": {"code": "FZ", "name": "Fuzz"},
    "/api/v1/workstations": {"code": "FZ", "name": "Fuzz", "unit": "{unit}"},
    "/api/v1/people": {
        "first_name": "F",
        "last_name": "Z",
        "gender": "x",
        "hire_date": "2025-01-06",
    },
    "/api/v1/competences": {"code": "FZ", "name": "Fuzz"},
    "/api/v1/requirements": {"competence": "{competence}", "job": "{job}", "level": "U"},
    "/api/v1/assessments": {
        "employee": "{employee}",
        "competence": "{competence}",
        "level": "U",
        "method": "observation",
    },
    "/api/v1/onboarding-templates": {"name": "Fuzz"},
    "/api/v1/onboardings": {
        "employee": "{employee}",
        "reason": "new_hire",
        "start_date": "2025-01-06",
        "organiser": "{employee}",
    },
    "/api/v1/guidances": {"learner": "{employee}", "guide": "{employee}"},
}


def encodable(value: Any) -> bool:
    """What a URL can carry: text that is valid UTF-8 (a lone surrogate is not)."""
    try:
        str(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Path values must still reach the API's route: not empty, no slash.
PATH_VALUES = [
    quote(str(value), safe="")
    for value in HOSTILE
    if encodable(value) and str(value).strip() and "/" not in str(value)
]
QUERY_VALUES = [
    value if isinstance(value, str | int | float) else str(value)
    for value in HOSTILE
    if value is not None and encodable(value)
]


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return schema["components"]["schemas"][name]
    return node


def body_fields(schema: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not body:
        return []
    return list(resolve(schema, body["schema"]).get("properties", {}))


def assert_well_formed(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code == 204:  # a deletion answers without a body
        assert not response.content
        return
    assert response.status_code in {200, 201, 400, 403, 404, 422}, response.content
    body = response.json()
    if response.status_code == 422:
        for error in body["detail"]:
            assert set(error) == {"field", "message", "code"}
            assert error["message"]
    elif response.status_code >= 400:
        assert isinstance(body["detail"], str)


@pytest.mark.parametrize(("path", "method"), sorted(ENDPOINTS))
def test_hostile_input_never_breaks_an_endpoint(
    cast: Cast, hr_api: ApiClient, path: str, method: str
) -> None:
    assert cast.worker is not None
    schema = load_schema()
    operation = schema["paths"][path][method]
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    competence = competence_factory(cast)
    requirement = services.requirement_set(
        competence=competence,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        job=cast.job,
    )
    real = {
        "unit_id": cast.packaging.pk,
        "job_id": cast.job.pk,
        "workstation_id": station.pk,
        "employee_id": cast.worker.pk,
        "competence_id": competence.pk,
        "requirement_id": requirement.pk,
        **onboarding_walk.arguments(cast),
        **training_walk.arguments(cast),
        **registration_walk.arguments(cast),
    }
    # BASE_BODIES name objects as "{unit}" etc.; these are the real ids they stand for.
    ids_by_marker = {
        "{unit}": cast.packaging.pk,
        "{competence}": competence.pk,
        "{job}": cast.job.pk,
        "{employee}": cast.worker.pk,
    }
    relative = path.removeprefix("/api/v1")
    url = relative.format(**real)

    if "{" in relative:
        name = relative[relative.index("{") + 1 : relative.index("}")]
        for value in PATH_VALUES:
            target = relative.format(**{**real, name: value})
            response = hr_api.get(target) if method == "get" else hr_api.send(method, target, {})
            assert_well_formed(response)

    if method == "get":
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for name, value in itertools.product(names, QUERY_VALUES):
            assert_well_formed(hr_api.get(url, {name: value}))
        return

    base = (
        {key: ids_by_marker.get(value, value) for key, value in BASE_BODIES.get(path, {}).items()}
        if method in {"post", "put"}
        else {}
    )
    for number, (name, value) in enumerate(
        itertools.product(body_fields(schema, operation), HOSTILE)
    ):
        body = {**base, name: value}
        if "code" in body and name != "code":
            body["code"] = f"FZ{number}"  # keep codes unique, so each field is tested alone
        assert_well_formed(hr_api.send(method, url, body))
    for raw in ["", "null", "[]", "1", '"text"', "{", '{"a": 1}' * 2]:
        assert_well_formed(hr_api.send(method, url, raw))
