"""The registration API's 'plan' endpoints for the OpenAPI walk (tests/api/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast
from tests.registration.factories_plan import plan_with_lines

# Every (path, method) this area's router adds.
ENDPOINTS: set[tuple[str, str]] = {
    ("/api/v1/registration/needs", "get"),
    ("/api/v1/registration/needs", "post"),
    ("/api/v1/registration/needs/summary", "get"),
    ("/api/v1/registration/plans", "get"),
    ("/api/v1/registration/plans/{plan_id}", "get"),
    ("/api/v1/registration/plans/{plan_id}/lines", "get"),
    ("/api/v1/registration/plan-lines/{line_id}", "get"),
}


def arguments(cast: Cast) -> dict[str, Any]:
    """Path values of this area's endpoints, in HR's scope: a plan of 2031 with two lines."""
    plan, forklift, _kettle = plan_with_lines(cast, year=2031)
    return {"plan_id": plan.pk, "line_id": forklift.pk}
